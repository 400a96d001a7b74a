import { authorize } from '../../access/policy';
import type { Principal } from '../../access/principal';
import type { Claim, ClaimStatus } from '../claim';
import { reject } from '../claim-transitions';
import {
  conflictRefusal,
  identityOf,
  NOT_FOUND,
  refusal,
  resumeWorkflow,
  type ClaimActionDeps,
  type ClaimActionResult,
} from './claim-action';

/** A verifier turns a claim down while checking it; an approver while deciding it. */
const VERIFIER_REJECTS: readonly ClaimStatus[] = ['WAITING_FOR_DOCUMENTS', 'AWAITING_VERIFICATION'];
const APPROVER_REJECTS: readonly ClaimStatus[] = ['AWAITING_APPROVAL'];
const MIN_REASON = 5;

/**
 * A verifier (checking the file) or an approver (deciding it, signed in) rejects the claim, always
 * with a reason the family can be told. The decision is written with who and when; the workflow's
 * parked token, whichever wait it is, is given back REJECTED, and the claim is final. A rejected
 * death claim frees the person's death for a corrected filing (the store's guard).
 */
export async function rejectClaim(
  deps: ClaimActionDeps,
  input: { claimId: string; principal: Principal; reason: string; expectedVersion?: number },
): Promise<ClaimActionResult> {
  const c = await deps.claims.get(input.claimId);
  if (!c) return NOT_FOUND;
  const resource = { villageCode: c.villageCode };
  const asVerifier = authorize(input.principal, 'claim:verify', resource);
  const asApprover = authorize(input.principal, 'claim:approve', resource);
  if (asVerifier === 'hide' && asApprover === 'hide') return NOT_FOUND;
  const role =
    asVerifier === 'allow' && VERIFIER_REJECTS.includes(c.status)
      ? 'verifier'
      : asApprover === 'allow' && APPROVER_REJECTS.includes(c.status)
        ? 'approver'
        : undefined;
  if (!role) {
    if (asVerifier !== 'allow' && asApprover !== 'allow')
      return refusal(403, 'FORBIDDEN', 'Hanya verifikator atau pemberi persetujuan yang dapat menolak klaim.');
    return refusal(409, 'NOT_REJECTABLE', 'Klaim ini tidak dapat ditolak pada tahap ini.');
  }
  const reason = input.reason.trim();
  if (reason.length < MIN_REASON)
    return refusal(400, 'REASON_REQUIRED', 'Tuliskan alasan penolakan agar keluarga dan desa dapat diberi tahu.');

  const at = deps.now().toISOString();
  const by = `${role}:${identityOf(input.principal)}`;
  const from = role === 'verifier' ? VERIFIER_REJECTS : APPROVER_REJECTS;
  let token: string | undefined;
  let rejected: Claim;
  try {
    rejected = await deps.claims.change(c.id, {
      from,
      expectedVersion: input.expectedVersion,
      next: (current) => {
        token = current.waiting?.taskToken;
        return { ...reject(current, identityOf(input.principal), reason, at), waiting: undefined };
      },
      audit: { action: 'CLAIM_REJECTED', actor: by, at, details: { reason, userId: input.principal.id } },
    });
  } catch (error) {
    return conflictRefusal(error);
  }
  await resumeWorkflow(deps, c.id, token, 'REJECTED', by);
  return { ok: true, claim: rejected };
}
