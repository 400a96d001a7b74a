import type { ArchivedExecution, ExecutionRecord } from '../core/audit/execution-record';

/**
 * The archive bucket as the archivers and verifyArchive see it: objects are created once and never
 * changed (S3 Object Lock in compliance mode in AWS; the local S3 has no Object Lock, so the code
 * never relies on a write being refused: `create` checks first).
 */
export interface ArchiveStore {
  /** Every key under a prefix, in S3's (UTF-8 byte) order. */
  list(prefix: string): Promise<string[]>;
  /** The object's bytes, or undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>;
  /** Writes a new object; an object already under the key is left as it is (`exists`), never overwritten. */
  create(key: string, body: Buffer, contentType: string): Promise<'created' | 'exists'>;
  /** When the object under the key was written (S3's Last-Modified, to the second), or undefined when there is none. */
  writtenAt(key: string): Promise<Date | undefined>;
}

/** Step Functions' own record of an execution, while it keeps one (90 days after it closes). */
export interface StepFunctionsHistory {
  /** The execution's summary and its whole history (every page), or undefined when Step Functions has none. */
  execution(executionArn: string): Promise<ArchivedExecution | undefined>;
}

/**
 * An execution's history for the console: from the archive when the execution was archived (found
 * through its EXECUTION_ARCHIVED audit event's key), else live from Step Functions.
 */
export interface ExecutionHistories {
  history(executionArn: string): Promise<ExecutionRecord | undefined>;
}
