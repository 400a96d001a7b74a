import type { Principal } from '../../access/principal';
import type { AuditLog } from '../../../ports/audit-log';
import {
  ClaimNotFoundError,
  ClaimStatusConflictError,
  ClaimVersionConflictError,
  type ClaimStore,
} from '../../../ports/claim-store';
import { StaleTaskTokenError, type WorkflowCallbacks } from '../../../ports/workflow';
import type { Claim } from '../claim';
import { ClaimTransitionError, type ClaimTransitionErrorCode } from '../claim-transitions';
import type { WaitOutcome } from './claim-workflow';

/**
 * What the people's actions on a claim share (verify, reject, approve): who the actor is, the
 * refusals they can act on, and giving the workflow's parked token back once the decision is written.
 */

export type ClaimActionDeps = {
  claims: ClaimStore;
  workflow: Pick<WorkflowCallbacks, 'succeed'>;
  audit: Pick<AuditLog, 'append'>;
  now: () => Date;
};

/** A refusal a person can act on: HTTP-like status, a stable code, an Indonesian message. */
export type ClaimRefusal = { ok: false; status: 403 | 404 | 409 | 400; code: string; message: string };
export type ClaimActionResult = { ok: true; claim: Claim } | ClaimRefusal;

export const refusal = (status: ClaimRefusal['status'], code: string, message: string): ClaimRefusal => ({
  ok: false,
  status,
  code,
  message,
});

export const NOT_FOUND = refusal(404, 'NOT_FOUND', 'Klaim tidak ditemukan.');
const CHANGED = refusal(
  409,
  'CONFLICT',
  'Klaim ini baru saja diubah orang lain. Muat ulang halaman, periksa kembali, lalu ulangi.',
);

/**
 * The person in a decision, as the claims workflow compares them (claim-workflow.ts `identityOf`):
 * their e-mail address, which is what an approver's mailed link names, so a verifier who is also an
 * approver is recognised on either path; the username when the user has no address.
 */
export const identityOf = (p: Principal) => (p.email ?? p.username).trim().toLowerCase();

/** How decisions and the filing name a person: their role and identity, e.g. `verifier:sari@dinsos.go.id`. */
export const decidedBy = (p: Principal, role: string) => `${role}:${identityOf(p)}`;

const TRANSITION_REFUSALS: Record<ClaimTransitionErrorCode, ClaimRefusal> = {
  WRONG_STATUS: refusal(409, 'NOT_AWAITING', 'Klaim ini tidak sedang menunggu langkah tersebut.'),
  MAKER_CHECKER: refusal(
    403,
    'MAKER_CHECKER',
    'Anda sudah mengajukan atau memverifikasi klaim ini, sehingga tidak dapat juga memeriksa atau menyetujuinya.',
  ),
  INCOMPLETE: refusal(409, 'INCOMPLETE', 'Klaim ini belum lengkap untuk langkah tersebut.'),
  PAYOUT_MISMATCH: refusal(409, 'PAYOUT_MISMATCH', 'Pembayaran tidak sesuai dengan penerima manfaat.'),
  RECLASSIFICATION: refusal(409, 'RECLASSIFICATION', 'Jenis klaim tidak dapat diubah seperti itu.'),
};

/**
 * A refusal for what stopped the change: a move the claim's rules refuse (claim-transitions.ts), or
 * a store conflict (someone moved first). Anything else is thrown on.
 */
export function conflictRefusal(error: unknown): ClaimRefusal {
  if (error instanceof ClaimTransitionError) return TRANSITION_REFUSALS[error.code];
  if (error instanceof ClaimNotFoundError) return NOT_FOUND;
  if (error instanceof ClaimStatusConflictError || error instanceof ClaimVersionConflictError) return CHANGED;
  throw error;
}

/**
 * Gives the token the workflow parked back with the decision. A token no longer waited on (the wait
 * timed out, the execution was stopped) is recorded, not an error: the decision is on the claim, and
 * the workflow's wait reads it when it runs again.
 */
export async function resumeWorkflow(
  deps: ClaimActionDeps,
  claimId: string,
  taskToken: string | undefined,
  decision: WaitOutcome['decision'],
  actor: string,
) {
  if (!taskToken) return;
  try {
    await deps.workflow.succeed(taskToken, { decision } satisfies WaitOutcome);
  } catch (error) {
    if (!(error instanceof StaleTaskTokenError)) throw error;
    await deps.audit.append({
      entity: `claim#${claimId}`,
      action: 'CLAIM_CALLBACK_STALE',
      actor,
      at: deps.now().toISOString(),
      details: { decision, error: error.message },
    });
  }
}
