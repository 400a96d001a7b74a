import { isFinal } from '../proposal';
import { restartExecution, type Restarted, type RestartDeps } from './restart-execution';

/**
 * Carries on with a proposal an interruption left mid-way (the local stack's engine keeps no
 * executions across a restart, so they are started again from DynamoDB): a new execution resumes
 * at the status the proposal is in. A FAILED or otherwise finished proposal is left alone.
 */
export async function resumeUnfinished(
  deps: RestartDeps,
  input: { proposalId: string; actor: string },
): Promise<Restarted | { ok: false; reason: 'NOT_FOUND' | 'FINISHED' }> {
  const p = await deps.proposals.get(input.proposalId);
  if (!p) return { ok: false, reason: 'NOT_FOUND' };
  if (isFinal(p.status)) return { ok: false, reason: 'FINISHED' };
  return restartExecution(deps, p, p.status, input.actor);
}
