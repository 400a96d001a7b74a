import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { relative, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/**
 * Where the local stack finds a function's handler module: CDK bundles `entry`, the local stack
 * imports the same file. Written into the template as resource metadata.
 */
export const ENTRY_METADATA = 'jaring:entry';

export type JaringFunctionProps = {
  /** Handler module, relative to the project root (e.g. functions/handlers/notify.ts). */
  entry: string;
  description: string;
  timeout?: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  /** Extra Node.js flags, e.g. a heap cap for a function that streams large files. */
  nodeOptions?: string;
};

/**
 * Every Jaring Lambda with the same defaults: Node.js 22 (what the local stack runs), arm64,
 * X-Ray tracing, logs kept for a year, one bundled ESM file with the SDK pinned by our lockfile.
 */
export class JaringFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: JaringFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
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
      environment: { NODE_OPTIONS: ['--enable-source-maps', props.nodeOptions].filter(Boolean).join(' '), ...props.environment },
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
      },
    });
    (this.node.defaultChild as CfnFunction).addMetadata(ENTRY_METADATA, relative(PROJECT_ROOT, resolve(PROJECT_ROOT, props.entry)));
  }
}
