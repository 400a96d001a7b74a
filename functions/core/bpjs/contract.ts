import { z } from 'zod';
import { Worker } from '../workers/worker';

/**
 * BPJS Ketenagakerjaan has no public partner API or bulk format (shared/DOMAIN.md), so Jaring
 * defines its own contract: a batch registration keyed by an idempotency key, answered per
 * worker. The sandbox serves exactly this; a real integration is one adapter away.
 */
export const MAX_BATCH_SIZE = 100;

export const RegistrationRequest = z.object({
  programmeId: z.string(),
  /** Our reference for the batch (proposal id and batch number); also the idempotency key. */
  reference: z.string(),
  employer: z.object({ name: z.string(), regencyCode: z.string() }),
  coverageStart: z.string(),
  coverageEnd: z.string(),
  benefits: z.array(z.string()),
  workers: z
    .array(Worker.pick({ nik: true, name: true, birthDate: true, sex: true, occupation: true }))
    .min(1)
    .max(MAX_BATCH_SIZE),
});
export type RegistrationRequest = z.infer<typeof RegistrationRequest>;

export const RegistrationResult = z.discriminatedUnion('status', [
  z.object({ nik: z.string(), status: z.literal('REGISTERED'), kpj: z.string() }),
  z.object({ nik: z.string(), status: z.literal('REJECTED'), reason: z.object({ code: z.string(), message: z.string() }) }),
]);
export type RegistrationResult = z.infer<typeof RegistrationResult>;

export const RegistrationResponse = z.object({ registrationId: z.string(), results: z.array(RegistrationResult) });
export type RegistrationResponse = z.infer<typeof RegistrationResponse>;
