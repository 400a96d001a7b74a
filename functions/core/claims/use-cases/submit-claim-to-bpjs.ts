import type { BpjsClaims } from '../../../ports/bpjs';
import type { ClaimStore } from '../../../ports/claim-store';
import { ClaimSettings } from '../claim-settings';
import { submitted } from '../claim-transitions';
import { recipientOf } from '../heirs';
import { mustGetClaim, type ClaimStepInput } from './claim-workflow';

export type SubmitClaimDeps = { claims: ClaimStore; bpjs: BpjsClaims; now: () => Date };

/** The claim cannot be put to BPJS as it stands (no benefit computed, nobody to pay): a retry cannot mend it. */
class ClaimNotSubmittableError extends Error {
  override name = 'ClaimNotSubmittableError';
}

/**
 * Files the approved claim with BPJS Ketenagakerjaan, exactly once whatever the retries: our claim id
 * is the idempotency key, so a filing whose answer was lost answers the same BPJS claim when sent
 * again; a claim that already has its BPJS id is not sent at all.
 */
export async function submitClaimToBpjs(
  deps: SubmitClaimDeps,
  input: ClaimStepInput,
): Promise<{ claimId: string; bpjsClaimId: string }> {
  const c = await mustGetClaim(deps.claims, input.claimId);
  if (c.bpjs?.claimId) return { claimId: c.id, bpjsClaimId: c.bpjs.claimId };
  const recipient = recipientOf(c.heirs);
  if (!c.benefit || c.benefit.total <= 0) throw new ClaimNotSubmittableError(`Claim ${c.id} has no benefit to claim`);
  if (!recipient) throw new ClaimNotSubmittableError(`Claim ${c.id} names nobody to pay`);
  const filed = await deps.bpjs.submitClaim({
    reference: c.id,
    programmeId: c.programmeId,
    kpj: c.kpj,
    nik: c.nik,
    type: c.type,
    eventDate: c.eventDate,
    description: c.description,
    recipient: {
      nik: recipient.nik,
      name: recipient.name,
      relationship: recipient.relationship,
      bankAccount: recipient.bankAccount,
    },
    documents: c.requiredDocuments.filter((d) => d.present).map((d) => d.type),
    amountRequested: c.benefit.total,
  });
  const submittedAt = deps.now().toISOString();
  // The approvals are counted as the workflow asked for them (the links that went out said how many).
  const asAsked = ClaimSettings.parse({
    twoApproversAbove: (c.approval?.approversNeeded ?? 1) >= 2 ? 0 : Number.MAX_SAFE_INTEGER,
  });
  await deps.claims.change(c.id, {
    next: (current) => {
      const moved = submitted(current, current.id, asAsked, submittedAt);
      return {
        ...moved,
        waiting: undefined,
        bpjs: { ...moved.bpjs!, claimId: filed.bpjsClaimId, classification: filed.classification },
      };
    },
    audit: {
      action: 'CLAIM_SUBMITTED_TO_BPJS',
      actor: 'system:claims-submit-to-bpjs',
      execution: input.executionArn,
      details: { bpjsClaimId: filed.bpjsClaimId, amountRequested: c.benefit.total },
    },
  });
  return { claimId: c.id, bpjsClaimId: filed.bpjsClaimId };
}
