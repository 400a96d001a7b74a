import { authorize } from '../../access/policy';
import type { Principal } from '../../access/principal';
import type { Claim } from '../claim';
import { verify } from '../claim-transitions';
import { missing } from '../documents';
import {
  conflictRefusal,
  identityOf,
  NOT_FOUND,
  refusal,
  resumeWorkflow,
  type ClaimActionDeps,
  type ClaimActionResult,
} from './claim-action';
import { verifierOf } from './claim-workflow';

/**
 * The maker's step of maker-checker: a verifier, having checked the documents against the heirs
 * and the benefit line by line, marks the claim verified (claim-transitions.ts `verify`: not their
 * own filing). The decision (who, when, the note) goes on the claim with its audit event; the claim
 * then waits for its approvers, and the workflow's parked token is given back VERIFIED. Only on the
 * version the verifier's page showed, when it names one: a change in between makes them look again.
 */
export async function verifyClaim(
  deps: ClaimActionDeps,
  input: { claimId: string; principal: Principal; note?: string; expectedVersion?: number },
): Promise<ClaimActionResult> {
  const c = await deps.claims.get(input.claimId);
  if (!c) return NOT_FOUND;
  const may = authorize(input.principal, 'claim:verify', { villageCode: c.villageCode });
  if (may === 'hide') return NOT_FOUND;
  if (may === 'deny')
    return refusal(403, 'FORBIDDEN', 'Hanya verifikator Dinas Sosial yang dapat memverifikasi klaim.');
  if (verifierOf(c)) return refusal(409, 'ALREADY_VERIFIED', 'Klaim ini sudah diverifikasi.');
  if (c.status === 'WAITING_FOR_DOCUMENTS') {
    const labels = missing(c.requiredDocuments).map((d) => d.label);
    return refusal(409, 'DOCUMENTS_MISSING', `Dokumen belum lengkap: ${labels.join('; ')}.`);
  }

  const at = deps.now().toISOString();
  const who = identityOf(input.principal);
  const note = input.note?.trim() || undefined;
  let token: string | undefined;
  let verified: Claim;
  try {
    verified = await deps.claims.change(c.id, {
      from: ['AWAITING_VERIFICATION'],
      expectedVersion: input.expectedVersion,
      next: (current) => {
        const next = verify(current, who, at);
        token = current.waiting?.for === 'VERIFICATION' ? current.waiting.taskToken : undefined;
        // The verifier's note travels with their decision.
        const decisions = next.decisions.map((d, i) => (i === next.decisions.length - 1 ? { ...d, reason: note } : d));
        return { ...next, decisions, waiting: token ? undefined : current.waiting };
      },
      audit: { action: 'CLAIM_VERIFIED', actor: `verifier:${who}`, at, details: { note, userId: input.principal.id } },
    });
  } catch (error) {
    return conflictRefusal(error);
  }
  await resumeWorkflow(deps, c.id, token, 'VERIFIED', `verifier:${who}`);
  return { ok: true, claim: verified };
}
