import * as z from 'zod';

/** A page cursor that is not one this query handed out (tampered, or from another list). */
export class InvalidCursorError extends Error {
  constructor() {
    super('Invalid page cursor');
    this.name = 'InvalidCursorError';
  }
}

const StartKey = z.record(z.string(), z.union([z.string(), z.number()]));

/**
 * DynamoDB's LastEvaluatedKey as an opaque string for the next request. It is not secret: it holds
 * the keys of the last item on the page (for a village page, a NIK the caller was just shown), so it
 * is only ever handed to whoever may read that page.
 */
export const encodeCursor = (lastKey: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(lastKey)).toString('base64url');

/**
 * The start key from a cursor, checked to belong to the same query (`expected` partition key values):
 * a cursor from another village's list must not page through this one.
 */
export function decodeCursor(cursor: string, expected: Record<string, string>): Record<string, string | number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const key = StartKey.safeParse(parsed);
  if (!key.success || Object.entries(expected).some(([k, v]) => key.data[k] !== v)) throw new InvalidCursorError();
  return key.data;
}
