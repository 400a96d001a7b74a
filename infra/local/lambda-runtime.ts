import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENTRY_METADATA, PROJECT_ROOT, RECOVERY_METADATA } from '../constructs/jaring-function';
import type { LocalResources } from './resources';

export type LocalFunction = {
  logicalId: string;
  name: string;
  arn: string;
  entry: string;
  exportName: string;
  timeoutSeconds: number;
  memorySize: number;
  /** A workflow's recovery function (its `jaring:recovers-after-restart` metadata): invoked at start. */
  recoversAfterRestart: boolean;
  /** Resolved when asked for: some values (the HTTP API's URL) are known only once the local services listen. */
  environment: () => Record<string, string>;
};

/** What a failed invocation reports, as the Lambda runtime does: Step Functions matches on errorType. */
export class LambdaInvocationError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: string[],
  ) {
    super(errorMessage);
    this.name = errorType;
  }
  /** The Cause Step Functions records for a failed Lambda task: the error as JSON. */
  get taskCause(): string {
    return JSON.stringify({ errorType: this.errorType, errorMessage: this.errorMessage, trace: this.trace });
  }
}

/**
 * Runs the functions the template defines, in-process: the handler module CDK bundles for each
 * (its `jaring:entry` metadata), called with the event AWS would send and a fresh context, with
 * the function's timeout enforced.
 */
export class LambdaRuntime {
  readonly functions = new Map<string, LocalFunction>();

  constructor(
    resources: LocalResources,
    private readonly log: (line: string) => void,
  ) {
    for (const { stack, logicalId, resource } of resources.resourcesOfType('AWS::Lambda::Function')) {
      const entry = resource.Metadata?.[ENTRY_METADATA] as string | undefined;
      if (!entry) continue; // CDK's own helper functions (custom resources) have no place locally.
      const props = resources.resolve(stack, resource.Properties ?? {});
      const fn: LocalFunction = {
        logicalId,
        name: logicalId,
        arn: resources.getAtt(logicalId, 'Arn'),
        entry: resolve(PROJECT_ROOT, entry),
        exportName: String(props.Handler ?? 'index.handler')
          .split('.')
          .pop()!,
        timeoutSeconds: Number(props.Timeout ?? 3),
        memorySize: Number(props.MemorySize ?? 128),
        recoversAfterRestart: resource.Metadata?.[RECOVERY_METADATA] === true,
        environment: () => resources.resolve(stack, resource.Properties?.Environment?.Variables ?? {}),
      };
      this.functions.set(logicalId, fn);
    }
  }

  /** Finds a function by name, ARN (with or without a version or alias) or logical id. */
  lookup(nameOrArn: string): LocalFunction {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6]! : nameOrArn;
    const fn = this.functions.get(name);
    if (!fn) throw new LambdaInvocationError('ResourceNotFoundException', `Function not found: ${nameOrArn}`, []);
    return fn;
  }

  /** The environment every function shares; a variable two functions set differently would be a local-stack bug. */
  sharedEnvironment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const fn of this.functions.values()) {
      for (const [k, v] of Object.entries(fn.environment())) {
        // Node flags (a heap cap) shape a Lambda's own process; in-process they mean nothing.
        if (k === 'NODE_OPTIONS') continue;
        if (k in env && env[k] !== v)
          throw new Error(`Functions disagree on ${k}: the local stack runs them in one process and needs one value`);
        env[k] = v;
      }
    }
    return env;
  }

  async invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    const fn = this.lookup(nameOrArn);
    const module = (await import(pathToFileURL(fn.entry).href)) as Record<string, unknown>;
    const handler = module[fn.exportName] as ((event: unknown, context: unknown) => Promise<unknown>) | undefined;
    if (typeof handler !== 'function')
      throw new LambdaInvocationError('Runtime.HandlerNotFound', `${fn.entry} has no export ${fn.exportName}`, []);
    const started = Date.now();
    const deadline = started + fn.timeoutSeconds * 1000;
    const requestId = randomUUID();
    const context = {
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: String(fn.memorySize),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: `local/${requestId}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new LambdaInvocationError(
              'Sandbox.Timedout',
              `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
              [],
            ),
          ),
        fn.timeoutSeconds * 1000,
      );
    });
    try {
      const result = await Promise.race([
        Promise.resolve().then(() => handler(structuredClone(event), context)),
        timeout,
      ]);
      this.log(`lambda ${fn.name} ok in ${Date.now() - started} ms`);
      // Lambda returns JSON: what cannot be serialised does not reach the caller.
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (error) {
      if (error instanceof LambdaInvocationError) throw error;
      const e = error as Error;
      this.log(`lambda ${fn.name} failed: ${e?.name}: ${e?.message}`);
      throw new LambdaInvocationError(e?.name || 'Error', e?.message ?? String(error), (e?.stack ?? '').split('\n'));
    } finally {
      clearTimeout(timer);
    }
  }
}
