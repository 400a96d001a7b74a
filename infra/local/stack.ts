import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../constructs/jaring-function';
import { startBpjsSandbox } from './bpjs-sandbox';
import { createUserPoolsFromTemplates, ensureUser, signIn, startCognitoLocal } from './cognito-local';
import { ALL_DEMO_USERS, villagesOfDemoUser } from './demo-users';
import { runCustomResources } from './custom-resources';
import { createTablesFromTemplates, startDynamoDbLocal } from './dynamodb-local';
import { LocalEventRouter } from './event-router';
import { LocalEventBridge } from './eventbridge-local';
import { LocalHttpApi } from './http-api';
import { LambdaRuntime } from './lambda-runtime';
import { startMailInbox } from './mail-inbox';
import { freePort } from './ports';
import { LocalResources } from './resources';
import { bucketsFromTemplates, startS3Local, type S3ObjectCreated } from './s3-local';
import { LocalScheduler } from './scheduler';
import { LocalStepFunctions } from './stepfunctions-local';
import { synthesizeTemplates } from './template';

export type LocalStackOptions = {
  /** Where data lives across restarts (default `.jaring/` in the project, or JARING_HOME). */
  home?: string;
  /** 0 picks a free port. */
  ports?: Partial<Record<keyof typeof DEFAULT_PORTS, number>>;
  region?: string;
  log?: (line: string) => void;
};

export const DEFAULT_PORTS = {
  s3: 4569,
  dynamodb: 8000,
  stepfunctions: 8083,
  api: 3000,
  smtp: 1025,
  mail: 1080,
  bpjs: 4010,
  cognito: 9229,
  scheduler: 8090,
  events: 8091,
};

/** A demo user as `stack.json` lists it: sign in with the username and password, or send the token. */
export type StackUser = { username: string; password: string; email: string; token: string; villages?: string[] };

/** What `stack.json` holds: every endpoint and resource name a script needs. */
export type StackInfo = {
  region: string;
  home: string;
  s3: { endpoint: string; buckets: Record<string, string> };
  dynamodb: { endpoint: string; tables: Record<string, string> };
  /** State machines by their name less the app and stage (`jaring-dev-<workflow>` is `<workflow>`). */
  stepfunctions: { endpoint: string; stateMachines: Record<string, string> };
  /** Lists the schedules (GET /schedules) and fires one as if at a chosen time (POST /schedules/<name>/fire). */
  scheduler: { endpoint: string };
  /** EventBridge PutEvents (AWS JSON 1.1), for events the functions put on a bus. */
  events: { endpoint: string };
  api: string;
  mail: { web: string; messages: string; smtp: string };
  bpjs: string;
  cognito: { endpoint: string; userPools: Record<string, string>; clients: Record<string, string> };
  /** One demo user per role in Kapuas, Kubu Raya's and an auditor of both, signed in for this session. */
  users: Record<string, StackUser>;
};

const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * A state machine's key in stack.json: its name less what every name of the app starts with (the
 * part up to the stage), in camelCase, or its logical id less CDK's hash when the template names none.
 */
export function stateMachineKey(name: string | undefined, logicalId: string, stage: string): string {
  if (!name) return camel(logicalId.replace(/[A-F0-9]{8}$/, ''));
  const short = name.includes(`-${stage}-`) ? name.slice(name.indexOf(`-${stage}-`) + stage.length + 2) : name;
  return short.replace(/[-_]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Starts the whole pipeline on loopback from the synthesized templates. Returns the endpoints and
 * a `stop()`; writes them to `<home>/stack.json`. Once everything is up, each workflow's recovery
 * function re-drives what an earlier run left mid-way.
 */
/** JARING_VERBOSE=1 shows every invocation and what the functions log (README, "The two commands"). */
const VERBOSE = process.env.JARING_VERBOSE === '1';

export async function startLocalStack(options: LocalStackOptions = {}) {
  const log = options.log ?? (() => undefined);
  const home = resolve(options.home ?? process.env.JARING_HOME ?? join(PROJECT_ROOT, '.jaring'));
  mkdirSync(home, { recursive: true });
  const region = options.region ?? 'ap-southeast-3';
  const port = (name: keyof typeof DEFAULT_PORTS) => options.ports?.[name] ?? DEFAULT_PORTS[name];
  const stoppers: [string, () => Promise<void>][] = [];
  const stop = async () => {
    for (const [name, s] of stoppers.reverse()) {
      const t0 = Date.now();
      await s().catch((e: Error) => log(`stop ${name}: ${e.message}`));
      log(`stopped ${name} in ${Date.now() - t0} ms`);
    }
  };

  try {
    const templates = synthesizeTemplates();
    const resources = new LocalResources(
      [
        { stackName: 'stateful', template: templates.stateful },
        { stackName: 'stateless', template: templates.stateless },
      ],
      region,
    );
    const outputs = (suffix: string) => {
      const found: Record<string, string> = {};
      for (const { template } of resources.stacks) {
        for (const name of Object.keys(template.Outputs ?? {})) {
          if (name.endsWith(suffix) && !name.startsWith('ExportsOutput'))
            found[camel(name.slice(0, -suffix.length))] = resources.output(name)!;
        }
      }
      return found;
    };
    const buckets = outputs('BucketName');
    const tables = outputs('TableName');

    // The AWS SDK reads these, so handlers reach the local services with no code of their own.
    Object.assign(process.env, {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
    });

    const dynamoPort = port('dynamodb') || (await freePort());
    const dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir: join(home, 'dynamodb'), log });
    stoppers.push(['dynamodb', dynamo.stop]);
    await createTablesFromTemplates(dynamo.client, resources);

    let router: LocalEventRouter | undefined;
    // Uploads that arrive before the router is up wait for it rather than being dropped.
    const early: S3ObjectCreated[] = [];
    const s3 = await startS3Local({
      port: port('s3'),
      dataDir: join(home, 's3'),
      buckets: bucketsFromTemplates(resources),
      // Presigned URLs are verified with the keys the functions sign with (set above).
      credentials: { local: 'local' },
      region,
      onObjectCreated: (e) => {
        if (!router) return void early.push(e);
        router.onObjectCreated(e).catch((error: Error) => log(`event router: ${error.message}`));
      },
    });
    stoppers.push(['s3', s3.stop]);

    // Sign-in: user pools, app clients and groups from the template, before anything resolves their ids.
    const cognito = await startCognitoLocal({ port: port('cognito'), dataDir: join(home, 'cognito'), region });
    stoppers.push(['cognito', cognito.stop]);
    const cognitoClient = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region });
    const userPools = await createUserPoolsFromTemplates(cognitoClient, resources);

    const mail = await startMailInbox({
      smtpPort: port('smtp'),
      webPort: port('mail'),
      dataDir: join(home, 'mail'),
      log,
    });
    stoppers.push(['mail', mail.stop]);
    const bpjs = await startBpjsSandbox({ port: port('bpjs'), dataDir: join(home, 'bpjs'), log });
    stoppers.push(['bpjs', bpjs.stop]);

    const lambdas = new LambdaRuntime(resources, log);
    // Tokens carry AWS's issuer for the pool; their keys are published by the local issuer.
    const api = new LocalHttpApi(resources, lambdas, log, (issuer) => cognito.jwksUri(issuer.split('/').pop()!));
    const apiUrl = await api.listen(port('api'));
    stoppers.push(['api', () => api.stop()]);
    for (const { logicalId } of resources.resourcesOfType('AWS::ApiGatewayV2::Api'))
      resources.setAttribute(logicalId, 'ApiEndpoint', apiUrl);

    const sfn = new LocalStepFunctions(resources, lambdas, join(home, 'stepfunctions'), log);
    const sfnEndpoint = await sfn.listen(port('stepfunctions'));
    stoppers.push(['stepfunctions', () => sfn.stop()]);
    const sfnClient = new SFNClient({ endpoint: sfnEndpoint, region });

    // Events the functions put themselves, and schedules: both start what the template says they start.
    const eventRouter = new LocalEventRouter(
      resources,
      sfnClient,
      log,
      join(home, 'events', 'delivered.jsonl'),
      lambdas,
    );
    // Executions' status changes reach the rules on the default bus (the audit archive's), as in AWS.
    sfn.onStatusChange = (event) => eventRouter.publish(event);
    const eventBridge = new LocalEventBridge(eventRouter, log);
    const eventsEndpoint = await eventBridge.listen(port('events'));
    stoppers.push(['events', () => eventBridge.stop()]);
    const scheduler = new LocalScheduler(resources, sfnClient, lambdas, log);
    const schedulerEndpoint = await scheduler.listen(port('scheduler'));
    stoppers.push(['scheduler', () => scheduler.stop()]);

    // Functions get the environment the template gives them (now resolved to local names), and the
    // local stand-ins where AWS would differ: SMTP instead of SES, the BPJS sandbox. Each handler reads
    // its settings on its first event (functions/wiring/settings.ts), so none is read before this.
    const lambdaEnv = lambdas.sharedEnvironment();
    Object.assign(process.env, lambdaEnv, {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SFN: sfnEndpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventsEndpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: mail.smtpUrl,
      BPJS_URL: bpjs.url,
      // The claims workflow's timed states run in real time here: seconds and minutes, not hours and days.
      CLAIM_BPJS_POLL_SECONDS: process.env.CLAIM_BPJS_POLL_SECONDS ?? '2',
      CLAIM_DOCUMENT_REMINDER_SECONDS: process.env.CLAIM_DOCUMENT_REMINDER_SECONDS ?? '300',
      // Powertools writes every log line and EMF metric to stdout, which in Lambda goes to CloudWatch
      // and here would drown the stack's own output: quiet unless asked (JARING_VERBOSE=1, or a level).
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? (VERBOSE ? 'INFO' : 'SILENT'),
      POWERTOOLS_METRICS_DISABLED: VERBOSE ? 'false' : 'true',
    });
    router = eventRouter;

    // What a deployment's custom resources do (the programme seed: programmes the table lacks), at every start.
    await runCustomResources(resources, lambdas, log);

    const stateMachines: Record<string, string> = {};
    for (const { logicalId, resource } of resources.resourcesOfType('AWS::StepFunctions::StateMachine')) {
      const name = resource.Properties?.StateMachineName as string | undefined;
      stateMachines[stateMachineKey(name, logicalId, templates.config.stage)] = resources.stateMachineArn(logicalId);
    }

    // One demo user per role in Kapuas, and Kubu Raya's (demo-users.ts), created as an admin would and signed in.
    const pool = [...userPools.pools.values()][0];
    const webClient = [...userPools.clients.values()].find((c) => c.poolId === pool);
    const users: Record<string, StackUser> = {};
    if (pool && webClient) {
      for (const [key, user] of Object.entries(ALL_DEMO_USERS)) {
        await ensureUser(cognitoClient, pool, user);
        const villages = villagesOfDemoUser(user);
        users[key] = {
          username: user.username,
          password: user.password,
          email: user.email,
          token: await signIn(cognitoClient, webClient.clientId, user.username, user.password),
          ...(villages ? { villages } : {}),
        };
      }
    }

    const info: StackInfo = {
      region,
      home,
      s3: { endpoint: s3.endpoint, buckets },
      dynamodb: { endpoint: dynamo.endpoint, tables },
      stepfunctions: { endpoint: sfnEndpoint, stateMachines },
      scheduler: { endpoint: schedulerEndpoint },
      events: { endpoint: eventsEndpoint },
      api: apiUrl,
      mail: { web: mail.web, messages: mail.messagesUrl, smtp: mail.smtpUrl },
      bpjs: bpjs.url,
      cognito: {
        endpoint: cognito.endpoint,
        userPools: Object.fromEntries(
          [...userPools.pools].map(([id, poolId]) => [camel(id.replace(/[A-F0-9]{8}$/, '')), poolId]),
        ),
        clients: Object.fromEntries(
          [...userPools.clients].map(([id, c]) => [camel(id.replace(/[A-F0-9]{8}$/, '')), c.clientId]),
        ),
      },
      users,
    };

    // Carry on with what an earlier run left mid-way (AWS would have kept the executions): each
    // workflow's recovery function, as its template marks it, re-drives its own from DynamoDB.
    const redriven: string[] = [];
    for (const fn of lambdas.functions.values()) {
      if (!fn.recoversAfterRestart) continue;
      const result = (await lambdas.invoke(fn.arn, {})) as {
        redriven?: { id: string; from: string; outcome: string }[];
      } | null;
      for (const r of result?.redriven ?? []) {
        log(`re-drove ${r.id} (${r.from}): ${r.outcome}`);
        redriven.push(r.id);
      }
    }

    // Uploads made while the stack was down (AWS would have delivered their events) are delivered now:
    // objects a rule's pattern matches that the router has no record of delivering.
    // (An upload that came in during start-up is in `early` already, and must not go twice: a second
    // event with another sequencer would start the workflow twice.)
    const waiting = early.splice(0);
    const s3Client = new S3Client({ endpoint: s3.endpoint, region, forcePathStyle: true });
    const missed = (await router.undelivered(s3Client)).filter(
      (m) => !waiting.some((e) => e.key === m.key && e.etag === m.etag),
    );
    for (const e of [...waiting, ...missed]) await router.onObjectCreated(e);
    if (missed.length) log(`delivered ${missed.length} upload(s) made while the stack was down`);

    // Schedules fire from now on: like AWS Scheduler, times that passed while the stack was down are not made up.
    scheduler.start();
    if (scheduler.schedules.length) log(`${scheduler.schedules.length} schedule(s) armed`);

    writeFileSync(join(home, 'stack.json'), JSON.stringify(info, null, 2));
    return { info, stop, stepFunctions: sfn, router, scheduler, mail, redriven, lambdas };
  } catch (error) {
    await stop();
    throw error;
  }
}
