import middy from '@middy/core';
import { resumeUnfinished } from '../core/proposals/use-cases/resume-unfinished';
import { once } from '../wiring/settings';
import { proposalStore } from '../wiring/proposal-store';
import { workflowCallbacks } from '../wiring/workflow';

export const wiring = once(() => ({ proposals: proposalStore(), workflow: workflowCallbacks() }));

/** What a recovery function answers (the local stack reads it for every workflow the same way). */
export type Recovered = { redriven: { id: string; from: string; outcome: string }[] };

/**
 * Carries on with every proposal left mid-workflow, as new executions from DynamoDB. The local
 * stack calls it at start (its engine keeps no executions across a restart). In AWS executions
 * survive, so it is not for a running deployment: an operator re-drives one FAILED proposal instead.
 */
export const handler = middy<unknown, Recovered>().handler(async () => {
  const deps = wiring();
  const redriven: Recovered['redriven'] = [];
  for (const p of await deps.proposals.listUnfinished()) {
    const result = await resumeUnfinished(deps, { proposalId: p.id, actor: 'system:local-stack-restart' });
    redriven.push({ id: p.id, from: p.status, outcome: result.ok ? result.executionArn : result.reason });
  }
  return { redriven };
});
