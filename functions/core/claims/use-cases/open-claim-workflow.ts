import type { ClaimStore } from '../../../ports/claim-store';
import { isFinal, mustGetClaim, type ClaimStepInput } from './claim-workflow';

/** How long the workflow's timed states last: settings, so the local stack can make them short. */
export type ClaimTiming = {
  /** From a documents wait to the reminder to the operator (a few days in AWS). */
  documentReminderSeconds: number;
  /** Between looks at BPJS's decision. */
  bpjsPollSeconds: number;
};

/**
 * The workflow's first step: the claim exists, whether there is anything to do (a claim refused at
 * filing, or already paid, ends the execution at once), and the timings the later states read.
 */
export async function openClaimWorkflow(
  deps: { claims: ClaimStore; timing: ClaimTiming },
  input: ClaimStepInput,
): Promise<ClaimTiming & { claimId: string; final: boolean }> {
  const c = await mustGetClaim(deps.claims, input.claimId);
  return { claimId: c.id, final: isFinal(c), ...deps.timing };
}
