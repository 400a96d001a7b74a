import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { relative, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/**
 * Where the local stack finds a function's handler module: CDK bundles `entry`, the local stack
 * imports the same file. Written into the template as resource metadata.
 */
export const ENTRY_METADATA = 'jaring:entry';

/**
 * Marks a workflow's recovery function: the local stack, whose engine keeps no executions across a
 * restart, invokes each one at start (with `{}`; it answers `{ redriven: [{ id, from, outcome }] }`).
 */
export const RECOVERY_METADATA = 'jaring:recovers-after-restart';

/**
 * What Powertools (functions/wiring/observability.ts) reads: the service every log line and metric
 * names, the metrics namespace alarms watch (infra/constructs/workflow-alarms.ts). One service for
 * every function: the function's own name is on each log line already (the Lambda context), and the
 * local stack runs all functions in one process with one environment.
 */
export const OBSERVABILITY = { serviceName: 'jaring', metricsNamespace: 'Jaring' } as const;

export type JaringFunctionProps = {
  /** Handler module, relative to the project root (e.g. functions/handlers/notify.ts). */
  entry: string;
  description: string;
  timeout?: Duration;
  memorySize?: number;
  /** Settings that name no resource (a URL, an address); resources come with their grant through the bind methods. */
  environment?: Record<string, string>;
  /** Extra Node.js flags, e.g. a heap cap for a function that streams large files. */
  nodeOptions?: string;
  /**
   * Whether Node maps stack traces through the bundle's source map while running (default true). The map
   * is parsed at start, whole (~85 MB for a bundle with the SDK inside): a function whose peak memory
   * matters turns it off and its traces name minified positions, which the map deployed beside the
   * bundle still translates.
   */
  sourceMapsAtRuntime?: boolean;
  /**
   * Files the handler reads at run time, copied beside the bundle (`to`, a file name) from the project
   * (`from`, relative to its root): a browser script the function serves, which esbuild cannot bundle.
   */
  copyFiles?: { from: string; to: string }[];
};

/**
 * What a function may do with a table:
 * - `read`: read items and query indexes;
 * - `append`: put new items, nothing else (the audit trail, upload grants);
 * - `readAppend`: both of those;
 * - `readUpdate`: read, put and update items, never delete one (proposals are changed, never removed);
 * - `readWrite`: everything on items, deletes included.
 */
export type TableAccess = 'read' | 'append' | 'readAppend' | 'readUpdate' | 'readWrite';
/** What a function may do with objects: `put` is new objects only (a presigned upload signs with it). */
export type BucketAccess = 'read' | 'readWrite' | 'put';
/** `start` starts executions; `completeTasks` answers a task token the state machine waits on. */
export type StateMachineAccess = 'start' | 'completeTasks';

/**
 * Every Jaring Lambda with the same defaults: Node.js 22 (what the local stack runs), arm64,
 * X-Ray tracing, logs kept for a year, Powertools' settings, one bundled ESM file with the SDK
 * pinned by our lockfile.
 */
export class JaringFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: JaringFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    super(scope, id, {
      entry: resolve(PROJECT_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 512,
      logGroup,
      environment: {
        NODE_OPTIONS: [props.sourceMapsAtRuntime !== false && '--enable-source-maps', props.nodeOptions]
          .filter(Boolean)
          .join(' '),
        POWERTOOLS_SERVICE_NAME: OBSERVABILITY.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: OBSERVABILITY.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // An error's message and stack may quote a row (a NIK, a name); logs carry it masked, traces not at all.
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
        ...props.environment,
      },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: resolve(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // Bundle the SDK too, so what runs is what the lockfile and the tests pinned.
        externalModules: [],
        // Some dependencies still call require(); give the ESM bundle one.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        ...(props.copyFiles && {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (inputDir: string, outputDir: string) =>
              props.copyFiles!.map((f) => `cp "${resolve(inputDir, f.from)}" "${resolve(outputDir, f.to)}"`),
          },
        }),
      },
    });
    (this.node.defaultChild as CfnFunction).addMetadata(
      ENTRY_METADATA,
      relative(PROJECT_ROOT, resolve(PROJECT_ROOT, props.entry)),
    );
  }

  /** Declares this function the one that carries on with its workflow's unfinished work after a restart. */
  recoversAfterRestart(): this {
    (this.node.defaultChild as CfnFunction).addMetadata(RECOVERY_METADATA, true);
    return this;
  }

  /*
   * Each bind sets the setting a handler reads and grants what that setting lets it do, in one
   * call, so a function never holds a grant it has no setting for, nor a setting it may not use.
   */

  bindTable({ table, envVarName, access }: { table: ITableV2; envVarName: string; access: TableAccess }): this {
    this.setResource(envVarName, table.tableName);
    if (access !== 'append') table.grantReadData(this);
    if (access === 'readWrite') table.grantWriteData(this);
    const writes = {
      read: [],
      append: ['dynamodb:PutItem'],
      readAppend: ['dynamodb:PutItem'],
      readUpdate: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
      readWrite: [],
    }[access];
    if (writes.length) this.addToRolePolicy(new PolicyStatement({ actions: writes, resources: [table.tableArn] }));
    return this;
  }

  /** `keyPrefixes` narrows the grant to those keys (e.g. `reports/`); the setting is the bucket's name either way. */
  bindBucket({
    bucket,
    envVarName,
    access,
    keyPrefixes,
  }: {
    bucket: IBucket;
    envVarName: string;
    access: BucketAccess;
    keyPrefixes?: string[];
  }): this {
    this.setResource(envVarName, bucket.bucketName);
    for (const pattern of keyPrefixes?.map((prefix) => `${prefix}*`) ?? [undefined]) {
      if (access === 'read') bucket.grantRead(this, pattern);
      else if (access === 'readWrite') bucket.grantReadWrite(this, pattern);
      else bucket.grantPut(this, pattern);
    }
    return this;
  }

  /** By ARN: functions the workflow calls back would make a dependency cycle with the state machine's own token. */
  bindStateMachine({
    stateMachineArn,
    envVarName,
    access,
  }: {
    stateMachineArn: string;
    envVarName: string;
    access: StateMachineAccess;
  }): this {
    this.setResource(envVarName, stateMachineArn);
    const actions =
      access === 'start' ? ['states:StartExecution'] : ['states:SendTaskSuccess', 'states:SendTaskFailure'];
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [stateMachineArn] }));
    return this;
  }

  /** Signing in through an app client needs its id and no IAM grant (Cognito checks the password). */
  bindUserPoolClient({ client, envVarName }: { client: IUserPoolClient; envVarName: string }): this {
    this.setResource(envVarName, client.userPoolClientId);
    return this;
  }

  /** Mail from an address of the identity's domain (`from`, the setting), and permission to send it. */
  bindMailIdentity({
    identity,
    from,
    envVarName,
  }: {
    identity: IEmailIdentity;
    from: string;
    envVarName: string;
  }): this {
    this.setResource(envVarName, from);
    identity.grantSendEmail(this);
    return this;
  }

  private readonly bound = new Map<string, string>();

  /** One setting, one value: binding a name to a second resource is a mistake in the stack, refused. */
  private setResource(envVarName: string, value: string) {
    const earlier = this.bound.get(envVarName);
    if (earlier !== undefined && earlier !== value)
      throw new Error(`${this.node.id}: ${envVarName} is bound to two resources`);
    this.bound.set(envVarName, value);
    this.addEnvironment(envVarName, value);
  }
}
