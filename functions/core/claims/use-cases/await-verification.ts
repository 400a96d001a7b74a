import type { ClaimStatus } from '../claim';
import {
  isFinal,
  mustGetClaim,
  verifierOf,
  wasRejected,
  type ClaimWaitDeps,
  type ClaimWaitInput,
  type WaitOutcome,
} from './claim-workflow';

/**
 * The claim, complete, waits for a verifier to check the documents and the benefit in the console:
 * AWAITING_VERIFICATION with the token parked; the console's verify or reject sends it back. A claim
 * already verified or rejected (a retry, a resumed execution) is answered at once.
 */
export async function awaitVerification(deps: ClaimWaitDeps, input: ClaimWaitInput): Promise<void> {
  const answer = (decision: WaitOutcome['decision']) =>
    deps.workflow.succeed(input.taskToken, { decision } satisfies WaitOutcome);
  const c = await mustGetClaim(deps.claims, input.claimId);
  if (wasRejected(c)) return answer('REJECTED');
  if (isFinal(c)) return answer('STOPPED');
  if (verifierOf(c)) return answer('VERIFIED');
  const at = deps.now().toISOString();
  const parked = await deps.claims.change(c.id, {
    // Decided between the read and this write: leave it, and answer below.
    next: (current) =>
      verifierOf(current) || wasRejected(current) || !WAITS_FROM.includes(current.status)
        ? current
        : {
            ...current,
            status: 'AWAITING_VERIFICATION',
            waiting: { for: 'VERIFICATION', taskToken: input.taskToken, since: at },
          },
    audit: {
      action: 'CLAIM_AWAITING_VERIFICATION',
      actor: 'system:claims-await-verification',
      execution: input.executionArn,
    },
  });
  if (parked.waiting?.taskToken === input.taskToken) return;
  return answer(wasRejected(parked) ? 'REJECTED' : verifierOf(parked) ? 'VERIFIED' : 'STOPPED');
}

/** A claim is put to the verifier from these; any other status was moved on by someone else. */
const WAITS_FROM: readonly ClaimStatus[] = ['WAITING_FOR_DOCUMENTS', 'AWAITING_VERIFICATION'];
