import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';

/**
 * A Step Functions task: the state's input, checked against its schema, handed to one use case.
 * Errors propagate with their names, which the workflow's Retry and Catch match on.
 */
export function taskHandler<S extends z.ZodType, R>(schema: S, run: (input: z.infer<S>, context: Context) => Promise<R>) {
  return middy<unknown, R>().handler(async (event, context) => run(schema.parse(event), context));
}
