import type { AuditEvent, ChainedAuditEvent } from '../core/audit/audit-event';

/** How to append an event that must be written once, however often the step that appends it runs. */
export type AppendOptions = {
  /**
   * A key unique among this entity's events at this instant (e.g. `enrolled#<proposalId>`): a second
   * append with the same entity, time and key changes nothing. Without it every append is a new event.
   */
  once?: string;
  /**
   * The caller knows the entity has no event yet (a participant being enrolled): the event is tried
   * as the chain's first without reading the chain's end, and read only if that place is taken.
   * A wrong hint costs one failed write, never a wrong chain.
   */
  newEntity?: boolean;
};

/**
 * The audit trail: what happened to each entity (a proposal, a participant, a claim ...), appended
 * and never changed, each entity's events a hash chain (functions/core/audit/chain.ts). Read back
 * per entity in chain order, and per UTC day for an auditor's review and the daily archive.
 */
export interface AuditLog {
  append(event: AuditEvent, options?: AppendOptions): Promise<void>;
  /** One entity's events by position (1, 2, ...): the chain `verifyChain` checks. */
  byEntity(entity: string): Promise<ChainedAuditEvent[]>;
  /** Every event of one UTC day (`YYYY-MM-DD`) of every entity, oldest first. */
  byDay(day: string): Promise<ChainedAuditEvent[]>;
}
