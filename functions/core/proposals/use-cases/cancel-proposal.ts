import type { AuditLog } from '../../../ports/audit-log';
import type { ObjectStore } from '../../../ports/object-store';
import { ProposalStatusConflictError, type ProposalStore } from '../../../ports/proposal-store';
import type { QuotaLedger } from '../../../ports/quota-ledger';
import type { FindProgramme, Proposal } from '../proposal';
import { recordProposalEvent } from '../proposal-trail';
import { releaseReservations } from '../reservations';

export type CancelDeps = {
  proposals: ProposalStore;
  audit: AuditLog;
  ledger: QuotaLedger;
  objects: ObjectStore;
  findProgramme: FindProgramme;
};

export type CancelResult =
  | { ok: true; proposal: Proposal }
  | { ok: false; reason: 'NOT_FOUND' | 'NOTE_REQUIRED' | 'NOT_FAILED' | 'ALREADY_APPROVED'; proposal?: Proposal };

/**
 * The Dinas Sosial withdraws a FAILED proposal instead of re-driving it: it becomes CANCELLED (a
 * final status, with who and why in its history) and gives its people and quota back.
 *
 * Only FAILED, because only there nobody else owns the proposal: an unfinished one has a running
 * execution that would race the cancellation, an awaiting one has the approver (who rejects), an
 * INVALID, rejected, expired or superseded one holds nothing, and a new upload replaces any of them.
 * And not one that failed after approval: BPJS may already have registered its workers, so
 * releasing them would let the same people be proposed and paid twice; re-drive that one instead.
 */
export async function cancelProposal(
  deps: CancelDeps,
  input: { proposalId: string; actor: string; note: string },
): Promise<CancelResult> {
  const p = await deps.proposals.get(input.proposalId);
  if (!p) return { ok: false, reason: 'NOT_FOUND' };
  const note = input.note.trim();
  if (!note) return { ok: false, reason: 'NOTE_REQUIRED', proposal: p };
  if (p.status !== 'FAILED') return { ok: false, reason: 'NOT_FAILED', proposal: p };
  if (p.approval?.decision === 'APPROVED' || ['APPROVED', 'SUBMITTING'].includes(p.failure?.previousStatus ?? '')) {
    return { ok: false, reason: 'ALREADY_APPROVED', proposal: p };
  }
  let cancelled: Proposal;
  try {
    cancelled = await deps.proposals.change(p.id, {
      from: ['FAILED'],
      set: {
        status: 'CANCELLED',
        reason: { code: 'PROPOSAL_CANCELLED', message: `Usulan dibatalkan oleh Dinas Sosial. Alasan: ${note}` },
      },
      audit: {
        action: 'PROPOSAL_CANCELLED',
        actor: input.actor,
        from: 'FAILED',
        to: 'CANCELLED',
        details: { note, failure: p.failure },
      },
    });
  } catch (error) {
    // A re-drive or a superseding upload got there first.
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    return { ok: false, reason: 'NOT_FAILED', proposal: await deps.proposals.get(p.id) };
  }
  const programme = deps.findProgramme(p.programmeId, p.programmeVersion);
  if (programme) {
    const released = await releaseReservations(deps, cancelled, programme);
    await recordProposalEvent(deps.audit, p.id, {
      action: 'RESERVATIONS_RELEASED',
      actor: input.actor,
      details: { people: released },
    });
  }
  return { ok: true, proposal: cancelled };
}
