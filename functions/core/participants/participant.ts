import * as z from 'zod';
import { Worker } from '../workers/worker';

/** A worker BPJS registered: covered under one programme, with a KPJ number. */
export const Participant = Worker.omit({ row: true }).extend({
  programmeId: z.string(),
  proposalId: z.string(),
  villageCode: z.string(),
  kpj: z.string(),
  status: z.enum(['ACTIVE']),
  coverageStart: z.string(),
  coverageEnd: z.string(),
  enrolledAt: z.string(),
});
export type Participant = z.infer<typeof Participant>;
