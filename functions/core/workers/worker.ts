import * as z from 'zod';

/**
 * A worker proposed for coverage, as a validated spreadsheet row becomes it. This is what travels
 * to BPJS and what a participant record keeps; never the raw row.
 */
export const Sex = z.enum(['L', 'P']);
export type Sex = z.infer<typeof Sex>;

export const Worker = z.object({
  /** The row of the uploaded sheet this worker came from, as the operator sees it. */
  row: z.number().int().positive(),
  nik: z.string().regex(/^\d{16}$/),
  name: z.string().min(1),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sex: Sex,
  occupation: z.string(),
  /** The programme category the occupation maps to, when it maps to one. */
  occupationCategory: z.string().optional(),
  address: z.string().optional(),
  phone: z.string().optional(),
  dtsenDecile: z.number().int().min(1).max(10).optional(),
});
export type Worker = z.infer<typeof Worker>;
