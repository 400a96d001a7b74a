import * as z from 'zod';

/**
 * One thing that happened to one entity, appended and never changed. Auditors (Inspektorat, BPK)
 * read the history from these; the tables grant the functions Put but never Update or Delete.
 */
export const AuditEvent = z.object({
  /** The entity the event belongs to, e.g. `proposal#<id>`, `participant#<nik>`. */
  entity: z.string(),
  action: z.string(),
  /** Who did it: `system:<function>`, `operator:<email>`, `approver:<email>`, `bpjs`. */
  actor: z.string(),
  at: z.string(),
  /** The Step Functions execution the event happened in, when it happened in one. */
  execution: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/**
 * An event as the trail stores it: its place in its entity's hash chain (functions/core/audit/chain.ts).
 * `position` counts the entity's events from 1, `prev` is the hash of the event before it (64 zeros
 * for the first), `hash` the sha256 of this event's fields with those two, so changing or removing
 * an event breaks the link after it.
 */
export const ChainedAuditEvent = AuditEvent.extend({
  position: z.number().int().positive(),
  // Any string: a hash someone overwrote must still be read, so the verification can name it.
  prev: z.string(),
  hash: z.string(),
});
export type ChainedAuditEvent = z.infer<typeof ChainedAuditEvent>;

/**
 * Where a person acted from, as their request said (API Gateway's source IP and user agent): recorded
 * on decisions and on openings of personal data, so the trail answers "from where" as well as who.
 */
export type RequestOrigin = { sourceIp?: string; userAgent?: string };

export const proposalEntity = (proposalId: string) => `proposal#${proposalId}`;
export const participantEntity = (nik: string, programmeId: string) => `participant#${programmeId}#${nik}`;
/**
 * The record of one batch of a proposal's people enrolled together (functions/ports/enrolment-store.ts):
 * `first` is the batch's first person in the proposal's order, so a re-run names the same batch.
 */
export const enrolmentEntity = (proposalId: string, first: number) =>
  `enrolment#${proposalId}#${String(first).padStart(7, '0')}`;
