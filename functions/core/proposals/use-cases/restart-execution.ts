import type { ProposalStore } from '../../../ports/proposal-store';
import type { WorkflowCallbacks } from '../../../ports/workflow';
import type { Proposal, ProposalStatus } from '../proposal';

export type RestartDeps = { proposals: ProposalStore; workflow: WorkflowCallbacks };
export type Restarted = { ok: true; executionArn: string };

/**
 * Starts a new execution for `p` at `resumeAt`, under a new name, after recording that it did:
 * conditional on the status `p` was read in, so two restarts (or a restart and a cancellation)
 * cannot both win. Every stage is idempotent, so the new execution skips what is done.
 */
export async function restartExecution(
  deps: RestartDeps,
  p: Proposal,
  resumeAt: ProposalStatus,
  actor: string,
): Promise<Restarted> {
  const redrives = p.redrives + 1;
  const name = `${p.id}-redrive-${redrives}`;
  await deps.proposals.change(p.id, {
    from: [p.status],
    set: { status: resumeAt, redrives, activeExecution: name },
    remove: ['reason', 'failure'],
    audit: { action: 'PROPOSAL_REDRIVEN', actor, from: p.status, to: resumeAt, details: { redrives } },
  });
  const { executionArn } = await deps.workflow.start(name, p.sourceEvent);
  return { ok: true, executionArn };
}
