import type { AuditEvent } from '../core/audit/audit-event';
import type { Proposal, ProposalStatus } from '../core/proposals/proposal';

/** A change to one proposal, applied only if its conditions still hold, together with its audit event. */
export type ProposalChange = {
  /** Only if the proposal is still in one of these statuses. */
  from?: readonly ProposalStatus[];
  /**
   * Only if the proposal's approval deadline (`approval.expiresAt`) is later than this instant:
   * checked in the same write, so a decision racing the deadline cannot slip past it.
   */
  notExpiredAt?: string;
  set: Partial<Omit<Proposal, 'id' | 'createdAt'>>;
  /** Attributes to clear (a reason that no longer holds after a re-drive). */
  remove?: readonly (keyof Proposal)[];
  audit: Omit<AuditEvent, 'entity' | 'at'>;
};

export class ProposalNotFoundError extends Error {
  override name = 'ProposalNotFoundError';
}

/** The proposal was not in a status the change allows (someone else moved it first), or its deadline had passed. */
export class ProposalStatusConflictError extends Error {
  override name = 'ProposalStatusConflictError';
}

/**
 * Proposals, each change written together with the audit event that records it. Events that change
 * no state are appended to the AuditLog itself, and the trail is read there (ports/audit-log.ts).
 */
export interface ProposalStore {
  get(id: string): Promise<Proposal | undefined>;
  /** Proposals of one upload key, newest upload first (S3's order, see compareUploads). */
  findByUploadKey(uploadKey: string): Promise<Proposal[]>;
  /** Proposals of one village in one programme, newest upload first. */
  findByProgrammeVillage(programmeId: string, villageCode: string): Promise<Proposal[]>;
  /** Creates the proposal unless one with the same id exists; returns which happened. */
  create(proposal: Proposal, audit: Omit<AuditEvent, 'entity' | 'at'>): Promise<'created' | 'exists'>;
  /** Applies a change atomically with its audit event; ProposalStatusConflictError when a condition does not hold. */
  change(id: string, change: ProposalChange): Promise<Proposal>;
  /** Proposals the workflow has not finished, for re-driving after an interruption. */
  listUnfinished(): Promise<Proposal[]>;
}
