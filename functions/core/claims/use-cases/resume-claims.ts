import type { ClaimStore } from '../../../ports/claim-store';
import type { WorkflowCallbacks } from '../../../ports/workflow';
import type { ClaimStepInput } from './claim-workflow';
import { isFinal } from './claim-workflow';
import { DOCUMENTS_PARKED } from './document-arrived';

export type ResumeClaimsDeps = {
  claims: Pick<ClaimStore, 'byProgramme'>;
  workflow: Pick<WorkflowCallbacks, 'start'>;
  programmeIds: readonly string[];
  now: () => Date;
};

/**
 * Carries on with every claim left mid-workflow after the local stack restarted (its engine keeps no
 * executions): a new execution per claim, which resumes where the claim is, since every step reads
 * the claim and answers at once what was already done. Finished claims, and those whose documents
 * wait was parked (their last document starts them), are left alone. In AWS executions survive.
 */
export async function resumeClaims(deps: ResumeClaimsDeps) {
  const resumed: { id: string; from: string; outcome: string }[] = [];
  const stamp = deps.now().getTime();
  for (const programmeId of deps.programmeIds) {
    let cursor: string | undefined;
    do {
      const page = await deps.claims.byProgramme(programmeId, { limit: 100, cursor });
      for (const c of page.items) {
        if (isFinal(c) || (!c.waiting && c.notices?.includes(DOCUMENTS_PARKED))) continue;
        const { executionArn } = await deps.workflow.start(`${c.id}-restart-${stamp}`, {
          claimId: c.id,
        } satisfies ClaimStepInput);
        resumed.push({ id: c.id, from: c.status, outcome: executionArn });
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return { redriven: resumed };
}
