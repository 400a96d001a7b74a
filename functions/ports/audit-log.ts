import type { AuditEvent } from '../core/audit/audit-event';

/** How to append an event that must be written once, however often the step that appends it runs. */
export type AppendOptions = {
  /**
   * A key unique among this entity's events at this instant (e.g. `enrolled#<proposalId>`): a second
   * append with the same entity, time and key changes nothing. Without it every append is a new event.
   */
  once?: string;
};

/**
 * The audit trail: what happened to each entity (a proposal, a participant, a claim ...), appended
 * and never changed. Read back per entity, oldest first, and per UTC day for an auditor's review.
 */
export interface AuditLog {
  append(event: AuditEvent, options?: AppendOptions): Promise<void>;
  /** One entity's events, oldest first. */
  byEntity(entity: string): Promise<AuditEvent[]>;
  /** Every event of one UTC day (`YYYY-MM-DD`), oldest first. */
  byDay(day: string): Promise<AuditEvent[]>;
}
