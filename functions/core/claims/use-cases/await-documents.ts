import { missing } from '../documents';
import { isFinal, mustGetClaim, type ClaimWaitDeps, type ClaimWaitInput, type WaitOutcome } from './claim-workflow';

/**
 * The claim waits for its documents: its task token is parked on the claim, and the document that
 * completes the list sends it back (document-arrived.ts). A claim already complete goes straight on.
 * Never a refusal for a missing document: the workflow reminds the operator (remind-documents.ts)
 * and waits again. Safe to run again: it parks the newer token.
 */
export async function awaitDocuments(deps: ClaimWaitDeps, input: ClaimWaitInput): Promise<void> {
  const c = await mustGetClaim(deps.claims, input.claimId);
  if (isFinal(c)) return deps.workflow.succeed(input.taskToken, { decision: 'STOPPED' } satisfies WaitOutcome);
  const at = deps.now().toISOString();
  // Checked and parked in one conditional write, so a document arriving meanwhile either sees the token or
  // was already on the list when this looked. A claim past this step (a resumed execution) goes on.
  const parked = await deps.claims.change(c.id, {
    next: (current) =>
      missing(current.requiredDocuments).length === 0 || current.status !== 'WAITING_FOR_DOCUMENTS'
        ? current
        : { ...current, waiting: { for: 'DOCUMENTS', taskToken: input.taskToken, since: at } },
    audit: {
      action: 'CLAIM_WAITING_FOR_DOCUMENTS',
      actor: 'system:claims-await-documents',
      execution: input.executionArn,
      details: { missing: missing(c.requiredDocuments).map((d) => d.type) },
    },
  });
  if (parked.waiting?.taskToken !== input.taskToken)
    await deps.workflow.succeed(input.taskToken, { decision: 'COMPLETE' } satisfies WaitOutcome);
}
