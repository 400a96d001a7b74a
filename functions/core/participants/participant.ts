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
  /**
   * The audit entity whose event recorded this person's enrolment and the opening of their coverage
   * (`enrolment#<proposal>#<first>`, one event for a batch of people: functions/ports/enrolment-store.ts).
   * Set by the store when it records the person.
   */
  enrolment: z.string().optional(),
});
export type Participant = z.infer<typeof Participant>;
