import * as z from 'zod';

/** A problem found in an upload or a row: a stable code for machines, a message for the operator (Bahasa Indonesia). */
export const RowIssueSchema = z.object({ code: z.string(), message: z.string() });
export type Issue = z.infer<typeof RowIssueSchema>;
