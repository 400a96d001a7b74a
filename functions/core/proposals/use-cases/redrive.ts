import { ProposalStatusConflictError } from '../../../ports/proposal-store';
import type { Proposal, ProposalStatus } from '../proposal';
import { restartExecution, type Restarted, type RestartDeps } from './restart-execution';

/**
 * Starts the workflow again for a FAILED proposal, from the stage it stopped at: every stage is
 * idempotent, so the new execution skips what is done. Only FAILED: anything else either has an
 * execution carrying it (a second one would race it) or is finished.
 */
export async function redrive(
  deps: RestartDeps,
  input: { proposalId: string; actor: string },
): Promise<Restarted | { ok: false; reason: 'NOT_FOUND' | 'NOT_FAILED'; proposal?: Proposal }> {
  const p = await deps.proposals.get(input.proposalId);
  if (!p) return { ok: false, reason: 'NOT_FOUND' };
  if (p.status !== 'FAILED') return { ok: false, reason: 'NOT_FAILED', proposal: p };
  const resumeAt = (p.failure?.previousStatus as ProposalStatus | undefined) ?? 'RECEIVED';
  return restartExecution(deps, p, resumeAt, input.actor).catch(async (error: Error) => {
    // A cancellation, a superseding upload or another re-drive got there first.
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    return { ok: false as const, reason: 'NOT_FAILED' as const, proposal: await deps.proposals.get(p.id) };
  });
}
