import { proposalEntity, type AuditEvent } from '../audit/audit-event';
import type { AuditLog } from '../../ports/audit-log';

/**
 * Appends an event to a proposal's trail that changes no state (a mail sent, people released, a
 * batch answered). A change of state is recorded by ProposalStore.change, in the same write.
 */
export function recordProposalEvent(audit: AuditLog, proposalId: string, event: Omit<AuditEvent, 'entity' | 'at'>) {
  return audit.append({ ...event, entity: proposalEntity(proposalId), at: new Date().toISOString() });
}

/** A proposal's trail, oldest first. */
export const proposalHistory = (audit: AuditLog, proposalId: string) => audit.byEntity(proposalEntity(proposalId));
