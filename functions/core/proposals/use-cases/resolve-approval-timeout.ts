import type { ObjectStore } from '../../../ports/object-store';
import { ProposalStatusConflictError, type ProposalStore } from '../../../ports/proposal-store';
import type { QuotaLedger } from '../../../ports/quota-ledger';
import { settledOutcome, type ApprovalOutcome } from '../approval-deadline';
import { mustGet } from '../must-get';
import type { FindProgramme, Proposal } from '../proposal';
import { releaseReservations } from '../reservations';

export type TimeoutDeps = {
  proposals: ProposalStore;
  ledger: QuotaLedger;
  objects: ObjectStore;
  findProgramme: FindProgramme;
};

/**
 * The approval wait timed out. A decision recorded just before the timeout still counts;
 * otherwise the proposal expires.
 *
 * A rejection (or an expiry) already on record is released again before it is passed on: the
 * release that followed it may have failed (the approver saw an error, the workflow was never told
 * and waited out the deadline), and nothing after this step would give the quota and the people
 * back. Releasing twice is safe (releaseReservations: a share is given back once, a claim only
 * while it is still this proposal's).
 */
export async function resolveApprovalTimeout(
  deps: TimeoutDeps,
  input: { proposalId: string; executionArn?: string },
): Promise<ApprovalOutcome> {
  const p = await mustGet(deps.proposals, input.proposalId);
  const settled = settledOutcome(p);
  if (settled) return releasedAgain(deps, p, settled);
  try {
    await deps.proposals.change(p.id, {
      // VALIDATED too: a wait armed with a passed deadline can time out before it was even recorded.
      from: ['AWAITING_APPROVAL', 'VALIDATED'],
      set: {
        status: 'EXPIRED',
        reason: {
          code: 'APPROVAL_EXPIRED',
          message:
            'Usulan tidak diputuskan sampai batas waktu persetujuan. Unggah ulang berkas untuk mengajukan kembali.',
        },
      },
      audit: {
        action: 'PROPOSAL_EXPIRED',
        actor: 'system:approval-timeout',
        execution: input.executionArn,
        from: p.status,
        to: 'EXPIRED',
      },
    });
    const programme = deps.findProgramme(p.programmeId, p.programmeVersion);
    if (programme) await releaseReservations(deps, p, programme);
  } catch (error) {
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    // A decision or a superseding upload got there first; that is how the wait ended.
    const meanwhile = await mustGet(deps.proposals, p.id);
    const settledMeanwhile = settledOutcome(meanwhile);
    if (settledMeanwhile) return releasedAgain(deps, meanwhile, settledMeanwhile);
    throw error;
  }
  return { proposalId: p.id, decision: 'EXPIRED' };
}

const RELEASE_AGAIN: readonly ApprovalOutcome['decision'][] = ['REJECTED', 'EXPIRED'];

async function releasedAgain(deps: TimeoutDeps, p: Proposal, outcome: ApprovalOutcome): Promise<ApprovalOutcome> {
  const programme = deps.findProgramme(p.programmeId, p.programmeVersion);
  if (programme && RELEASE_AGAIN.includes(outcome.decision)) await releaseReservations(deps, p, programme);
  return outcome;
}
