import type { AuditLog } from '../../../ports/audit-log';
import type { RequestOrigin } from '../../audit/audit-event';
import type { ObjectStore } from '../../../ports/object-store';
import { ProposalStatusConflictError, type ProposalStore } from '../../../ports/proposal-store';
import type { QuotaLedger } from '../../../ports/quota-ledger';
import { StaleTaskTokenError, type WorkflowCallbacks } from '../../../ports/workflow';
import { sameSecret } from '../approval-code';
import { deadlinePassed, type ApprovalOutcome, type Decision } from '../approval-deadline';
import type { FindProgramme, Proposal } from '../proposal';
import { recordProposalEvent } from '../proposal-trail';
import { releaseReservations } from '../reservations';

export type DecideDeps = {
  proposals: ProposalStore;
  audit: AuditLog;
  workflow: WorkflowCallbacks;
  ledger: QuotaLedger;
  objects: ObjectStore;
  findProgramme: FindProgramme;
  now: () => Date;
};

export type DecisionResult =
  | { ok: true; proposal: Proposal }
  | {
      ok: false;
      reason: 'NOT_FOUND' | 'BAD_CODE' | 'ALREADY_DECIDED' | 'NOT_AWAITING' | 'EXPIRED';
      proposal?: Proposal;
    };

/**
 * The approver's answer from the approval page. The link's code proves its holder received the
 * mail sent to the programme's approver, so the decision is recorded in that approver's name, with
 * where it came from (`origin`: IP and browser), since the link's holder is known by the code alone.
 * Only before the proposal's deadline: the write itself is conditional on it, so a decision
 * racing the deadline (or the timeout that expires the proposal) is either in time or refused.
 */
export async function decideApproval(
  deps: DecideDeps,
  input: { proposalId: string; code: string; decision: Decision; note?: string; origin?: RequestOrigin },
): Promise<DecisionResult> {
  const p = await deps.proposals.get(input.proposalId);
  if (!p) return { ok: false, reason: 'NOT_FOUND' };
  const approver = deps.findProgramme(p.programmeId, p.programmeVersion)?.approverEmail ?? 'approval-link';
  if (!p.approval || !sameSecret(p.approval.code, input.code)) return { ok: false, reason: 'BAD_CODE' };
  if (p.approval.decision) return { ok: false, reason: 'ALREADY_DECIDED', proposal: p };
  const now = deps.now();
  if (p.status === 'EXPIRED' || (p.status === 'AWAITING_APPROVAL' && deadlinePassed(p, now)))
    return { ok: false, reason: 'EXPIRED', proposal: p };
  if (p.status !== 'AWAITING_APPROVAL') return { ok: false, reason: 'NOT_AWAITING', proposal: p };
  let decided: Proposal;
  try {
    decided = await deps.proposals.change(p.id, {
      from: ['AWAITING_APPROVAL'],
      notExpiredAt: now.toISOString(),
      set: {
        status: input.decision,
        approval: {
          ...p.approval,
          decision: input.decision,
          decidedAt: now.toISOString(),
          decidedBy: approver,
          note: input.note || undefined,
        },
      },
      audit: {
        action: input.decision === 'APPROVED' ? 'PROPOSAL_APPROVED' : 'PROPOSAL_REJECTED',
        actor: `approver:${approver}`,
        from: 'AWAITING_APPROVAL',
        to: input.decision,
        details: { note: input.note || undefined, ...input.origin },
      },
    });
  } catch (error) {
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    // Someone moved first: another decision, the timeout, a superseding upload; or the deadline passed.
    const current = await deps.proposals.get(p.id);
    if (current?.approval?.decision) return { ok: false, reason: 'ALREADY_DECIDED', proposal: current };
    if (current && (current.status === 'EXPIRED' || deadlinePassed(current, now)))
      return { ok: false, reason: 'EXPIRED', proposal: current };
    return { ok: false, reason: 'NOT_AWAITING', proposal: current };
  }
  const programme = deps.findProgramme(p.programmeId, p.programmeVersion);
  if (input.decision === 'REJECTED' && programme) {
    // A rejected proposal gives its quota and its people back for other proposals.
    const released = await releaseReservations(deps, decided, programme);
    await recordProposalEvent(deps.audit, p.id, {
      action: 'RESERVATIONS_RELEASED',
      actor: 'system:approvals',
      details: { people: released },
    });
  }
  if (p.approval.taskToken) {
    try {
      await deps.workflow.succeed(p.approval.taskToken, {
        proposalId: p.id,
        decision: input.decision,
      } satisfies ApprovalOutcome);
    } catch (error) {
      if (!(error instanceof StaleTaskTokenError)) throw error;
      // The wait ended (interrupted or timed out); the decision is recorded, and a re-drive picks it up.
      await recordProposalEvent(deps.audit, p.id, {
        action: 'APPROVAL_CALLBACK_STALE',
        actor: 'system:approvals',
        details: { error: error.message },
      });
    }
  }
  return { ok: true, proposal: decided };
}
