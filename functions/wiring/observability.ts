import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { maskNumbers } from '../core/privacy/mask';

/*
 * Powertools for AWS Lambda: one logger, one metrics buffer and one tracer per container, used by
 * the handler chains (functions/handlers/task-handler.ts, http.ts) through their middy middlewares.
 * Service name, metrics namespace and log level come from the environment the function construct
 * sets (POWERTOOLS_*, infra/constructs/jaring-function.ts), so nothing here names a deployment.
 */

export const logger = new Logger();

export const tracer = new Tracer();

export const metrics = new Metrics({
  // Most invocations count nothing (a mail sent, an upload registered); Powertools warns at each such
  // flush, which would be one useless line per invocation. Its other warnings are real mistakes.
  logger: {
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.info(message),
    error: (message: string) => logger.error(message),
    warn: (message: string) =>
      message.startsWith('No application metrics') ? logger.debug(message) : logger.warn(message),
  },
});

/** An SDK v3 client with each call traced in X-Ray (a no-op where tracing is off: outside Lambda, in tests). */
export const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);

/** What Jaring counts (namespace from POWERTOOLS_METRICS_NAMESPACE: "Jaring"). */
export type JaringMetric = 'ProposalsValidated' | 'RowsValid' | 'RowsInvalid' | 'WorkersEnrolled' | 'ExecutionsFailed';

/**
 * Counts what one invocation did, at most once per invocation (the buffer is flushed at its end by
 * logMetrics). Each count is published for the whole service (the series an alarm watches), per
 * programme where known, and per failed stage where given: one EMF record with three dimension sets.
 */
export function count(counts: Partial<Record<JaringMetric, number>>, by: { programme?: string; stage?: string } = {}) {
  metrics.addDimensions({});
  if (by.programme) metrics.addDimensions({ programme: by.programme });
  if (by.stage) metrics.addDimensions({ stage: by.stage });
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value ?? 0);
}

/**
 * The keys every log line of an invocation carries, from what its input holds: the proposal (or,
 * for later workflows, the claim) and the Step Functions execution. Ids only, never personal data.
 */
export function correlationKeys(input: unknown): Record<string, string> {
  const keys: Record<string, string> = {};
  const from = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    for (const name of ['proposalId', 'claimId', 'executionArn'] as const) {
      const value = (o as Record<string, unknown>)[name];
      if (typeof value === 'string' && value) keys[name] ??= value;
    }
  };
  from(input);
  // mark-failed gets the id inside the failed state's data.
  from((input as { failure?: unknown } | undefined)?.failure);
  return keys;
}

/** An error as a log line may carry it: its name and its message with digit runs masked (a message may quote a row). */
export const loggableError = (error: unknown) => ({
  name: (error as Error)?.name ?? 'Error',
  message: maskNumbers(String((error as Error)?.message ?? error)),
});
