import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { correlationKeys, loggableError, logger, metrics, tracer } from '../wiring/observability';

/**
 * A Step Functions task: the state's input, checked against its schema, handed to one use case.
 * Errors propagate with their names, which the workflow's Retry and Catch match on.
 *
 * Around it, Powertools: every log line carries the Lambda context and the proposal (or claim) and
 * execution the input names, counts are flushed as EMF at the end, and the invocation is traced.
 * The response is not put in the trace: it is the workflow's state, which may name people.
 */
export function taskHandler<S extends z.ZodType, R>(
  schema: S,
  run: (input: z.infer<S>, context: Context) => Promise<R>,
) {
  return middy<unknown, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      logger.appendKeys(correlationKeys(event));
      try {
        return await run(schema.parse(event), context);
      } catch (error) {
        // Step Functions keeps the error for the Catch; this line ties it to the proposal in the logs.
        logger.warn('Task failed', { error: loggableError(error) });
        throw error;
      }
    });
}
