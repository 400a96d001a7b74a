import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type * as z from 'zod';

/** Reads JSON Lines one record at a time, checking each against its schema. */
export async function* readJsonLines<T extends z.ZodType>(body: Readable, schema: T): AsyncGenerator<z.infer<T>> {
  for await (const line of createInterface({ input: body, crlfDelay: Infinity })) {
    if (line.trim()) yield schema.parse(JSON.parse(line));
  }
}

export const toJsonLines = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
