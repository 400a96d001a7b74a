import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { waitFor } from './ports';
import type { LocalResources } from './resources';

/**
 * DynamoDB Local, AWS's own emulator (the jar ships in the npm package amplify-dynamodb-simulator),
 * on the machine's Java. Data is kept on disk under the stack's home, so it survives restarts.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir: string; log: (line: string) => void }) {
  const require = createRequire(import.meta.url);
  const emulatorDir = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  mkdirSync(options.dataDir, { recursive: true });
  // Java outlives a Node process that dies without stopping it (a crash, kill -9, a test runner's
  // timeout), keeping the port and the data directory's lock; a small shell guard ends it then.
  // It tells Java's pid first, so that an exit of this process (a second Ctrl-C) ends Java at once.
  const guard = `java "$@" & pid=$!
echo "java-pid $pid"
trap 'kill $pid 2>/dev/null; wait $pid; exit 0' TERM INT
while kill -0 ${process.pid} 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 1; done
kill $pid 2>/dev/null; wait $pid`;
  const java: ChildProcess = spawn(
    'sh',
    [
      '-c',
      guard,
      'dynamodb-local',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-port',
      String(options.port),
      '-sharedDb',
      '-dbPath',
      options.dataDir,
    ],
    { cwd: emulatorDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let javaPid: number | undefined;
  let stdout = '';
  java.stdout?.on('data', (d: Buffer) => {
    if (javaPid !== undefined) return;
    stdout += d.toString();
    const found = stdout.match(/^java-pid (\d+)$/m);
    if (found) javaPid = Number(found[1]);
  });
  // 'exit' handlers run on process.exit() and on a crash (not on a signal's default action or
  // kill -9: the guard covers those).
  const endJava = () => {
    if (javaPid !== undefined) signal(javaPid, 'SIGTERM');
  };
  process.on('exit', endJava);
  let exited: string | undefined;
  java.on('exit', (code) => {
    exited = `DynamoDB Local exited with code ${code}`;
    process.removeListener('exit', endJava);
  });
  java.on('error', (error) => (exited = `DynamoDB Local could not start (is Java 17 installed?): ${error.message}`));
  java.stderr?.on('data', (d: Buffer) => options.log(d.toString().trim()));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await waitFor(async () => {
    if (exited) throw new Error(exited);
    await client.send(new ListTablesCommand({}));
    return true;
  }, 'DynamoDB Local');
  return {
    endpoint,
    client,
    stop: () =>
      new Promise<void>((resolve) => {
        if (java.exitCode !== null) return resolve();
        java.once('exit', () => resolve());
        // Java directly (the guard would only see to it after its next second), and the guard.
        endJava();
        java.kill('SIGTERM');
      }),
  };
}

/** Creates the tables the synthesized templates define (keys, indexes, TTL), if they do not exist yet. */
export async function createTablesFromTemplates(client: DynamoDBClient, resources: LocalResources): Promise<string[]> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  const created: string[] = [];
  for (const { stack, logicalId, resource } of [
    ...resources.resourcesOfType('AWS::DynamoDB::GlobalTable'),
    ...resources.resourcesOfType('AWS::DynamoDB::Table'),
  ]) {
    const props = resources.resolve(stack, resource.Properties ?? {});
    const TableName = resources.ref(logicalId);
    if (existing.has(TableName)) continue;
    const input: CreateTableCommandInput = {
      TableName,
      KeySchema: props.KeySchema,
      AttributeDefinitions: props.AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: props.GlobalSecondaryIndexes?.map((g: any) => ({
        IndexName: g.IndexName,
        KeySchema: g.KeySchema,
        Projection: g.Projection ?? { ProjectionType: 'ALL' },
      })),
      LocalSecondaryIndexes: props.LocalSecondaryIndexes,
    };
    await client.send(new CreateTableCommand(input));
    await waitFor(
      async () => (await client.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus === 'ACTIVE',
      `table ${TableName}`,
    );
    const ttl = props.TimeToLiveSpecification;
    if (ttl?.Enabled)
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: ttl.AttributeName },
        }),
      );
    created.push(TableName);
  }
  return created;
}

/** Sends a signal to a process that may have gone already. */
function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
