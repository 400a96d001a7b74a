import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { createTablesFromTemplates, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { freePort } from '../../infra/local/ports';
import { LocalResources } from '../../infra/local/resources';
import type { CfnTemplate } from '../../infra/local/template';
import { StatefulStack } from '../../infra/stacks/stateful-stack';

/** DynamoDB Local holding the stateful stack's tables, and what a test reaches them with. */
export type StatefulTables = {
  endpoint: string;
  client: DynamoDBClient;
  /** Marshalls as the stores' wiring does: undefined fields dropped, class instances refused. */
  db: DynamoDBDocumentClient;
  /** The local name of the table `pick` chooses from the stateful stack. */
  table: (pick: (stateful: StatefulStack) => IConstruct) => string;
  /** The commands sent through `db`, by name and input, while `run` ran: what a store asked of the tables. */
  commandsSent: (run: () => Promise<unknown>) => Promise<{ name: string; input: Record<string, unknown> }[]>;
  stop: () => Promise<void>;
};

/**
 * DynamoDB Local alone (no S3, Step Functions or API) on a free port with a fresh data directory, its
 * tables created from the stateful stack's synthesized template as the local stack creates them, so the
 * keys and indexes a test runs against are the deployed ones. `name` labels the data directory.
 */
export async function startStatefulTables(name: string): Promise<StatefulTables> {
  const dynamodb = await startDynamoDbLocal({
    port: await freePort(),
    dataDir: mkdtempSync(join(tmpdir(), `jaring-${name}-`)),
    log: () => {},
  });
  try {
    const stateful = new StatefulStack(new App(), 'Stateful');
    const resources = new LocalResources(
      [{ stackName: 'Stateful', template: Template.fromStack(stateful).toJSON() as CfnTemplate }],
      'local',
    );
    await createTablesFromTemplates(dynamodb.client as DynamoDBClient, resources);
    const db = DynamoDBDocumentClient.from(dynamodb.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    return {
      endpoint: dynamodb.endpoint,
      client: dynamodb.client as DynamoDBClient,
      db,
      table: (pick) => resources.ref(stateful.getLogicalId(pick(stateful).node.defaultChild as CfnElement)),
      commandsSent: async (run) => {
        const send = vi.spyOn(db, 'send');
        try {
          await run();
          return send.mock.calls.map(([command]) => ({
            name: command.constructor.name,
            input: (command as { input: Record<string, unknown> }).input,
          }));
        } finally {
          send.mockRestore();
        }
      },
      stop: dynamodb.stop,
    };
  } catch (error) {
    // The caller gets no handle to stop it with: Java would otherwise hold the port until the process ends.
    await dynamodb.stop();
    throw error;
  }
}
