/** Completes a workflow task that waits for a callback (Step Functions task tokens). */
export interface WorkflowCallbacks {
  succeed(taskToken: string, output: unknown): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
  /** Starts the enrollment workflow again for an input, under a new execution name. */
  start(name: string, input: unknown): Promise<{ executionArn: string }>;
}

/** The token is no longer waited on (the execution ended, timed out or was interrupted). */
export class StaleTaskTokenError extends Error {
  override name = 'StaleTaskTokenError';
}
