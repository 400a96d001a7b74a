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

export const proposalEntity = (proposalId: string) => `proposal#${proposalId}`;
export const participantEntity = (nik: string, programmeId: string) => `participant#${programmeId}#${nik}`;
