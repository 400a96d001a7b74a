import * as z from 'zod';
import { Worker } from '../workers/worker';

/**
 * BPJS Ketenagakerjaan has no public partner API or bulk format (shared/DOMAIN.md), so Jaring
 * defines its own contract: a batch registration keyed by an idempotency key, answered per
 * worker, and a look-up of one registered participant. The sandbox serves exactly this; a real
 * integration is one adapter away.
 *
 *   POST /v1/registrations                    Idempotency-Key: <reference>  -> RegistrationResponse
 *   GET  /v1/participants/<programmeId>/<nik>                             -> RegisteredParticipant | 404
 *
 * A repeated POST with the same key is answered with the first answer and registers nobody again.
 * 429 and 503 may carry Retry-After (seconds or an HTTP date).
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
  z.object({ nik: z.string(), status: z.literal('REGISTERED'), kpj: z.string().min(1) }),
  z.object({
    nik: z.string(),
    status: z.literal('REJECTED'),
    reason: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type RegistrationResult = z.infer<typeof RegistrationResult>;

export const RegistrationResponse = z.object({ registrationId: z.string(), results: z.array(RegistrationResult) });
export type RegistrationResponse = z.infer<typeof RegistrationResponse>;

/** One participant in BPJS's own register: who registered them is the batch reference. */
export const RegisteredParticipant = z.object({ nik: z.string(), kpj: z.string().min(1), reference: z.string() });
export type RegisteredParticipant = z.infer<typeof RegisteredParticipant>;
