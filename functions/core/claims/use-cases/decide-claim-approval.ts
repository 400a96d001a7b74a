import { authorize } from '../../access/policy';
import type { Principal } from '../../access/principal';
import type { RequestOrigin } from '../../audit/audit-event';
import { sameSecret } from '../../proposals/approval-code';
import type { Claim } from '../claim';
import { ClaimSettings } from '../claim-settings';
import { approve, reject } from '../claim-transitions';
import {
  conflictRefusal,
  identityOf,
  NOT_FOUND,
  refusal,
  resumeWorkflow,
  type ClaimActionDeps,
  type ClaimActionResult,
} from './claim-action';
import { approversWhoApproved, verifierOf } from './claim-workflow';

export type ClaimApprovalDecision = 'APPROVED' | 'REJECTED';

/**
 * Who decides: the holder of an approver's mailed link (the code proves they received the mail sent
 * to that approver, as for proposals), or an approver signed in to the console.
 */
export type ClaimApprover = { code: string } | { principal: Principal };

export const BAD_CODE = refusal(403, 'BAD_CODE', 'Tautan persetujuan tidak sah. Gunakan tautan terbaru dari email.');

/**
 * The approvals the claim needs as the workflow asked for them (`approval.approversNeeded`, fixed when
 * the links went out), in the settings' terms the move reads: two above nothing, or one always.
 */
const settingsAsAsked = (c: Claim) =>
  ClaimSettings.parse({
    twoApproversAbove: (c.approval?.approversNeeded ?? 1) >= 2 ? 0 : Number.MAX_SAFE_INTEGER,
  });

/** The approver the link's code belongs to, compared in constant time. */
export const approverOfCode = (c: Pick<Claim, 'approval'>, code: string) =>
  c.approval?.links.find((l) => sameSecret(l.code, code))?.approver;

/**
 * The checker's step of maker-checker: one approver's decision on a verified claim. Whoever verified
 * the claim may not approve it, on either path; an approver decides once. Each approval is written
 * with who and when, and the workflow's parked token is given back APPROVED: the workflow counts the
 * different approvers and asks the next until as many as the claim's amount needs have approved. A
 * rejection, with its reason, ends the claim.
 */
export async function decideClaimApproval(
  deps: ClaimActionDeps,
  input: {
    claimId: string;
    approver: ClaimApprover;
    decision: ClaimApprovalDecision;
    note?: string;
    /** Where the decision came from (the link's or the console's request), for the trail. */
    origin?: RequestOrigin;
  },
): Promise<ClaimActionResult> {
  const c = await deps.claims.get(input.claimId);
  if (!c) return NOT_FOUND;
  let who: string | undefined;
  let userId: string | undefined;
  if ('code' in input.approver) {
    who = approverOfCode(c, input.approver.code);
    if (!who) return BAD_CODE;
  } else {
    const may = authorize(input.approver.principal, 'claim:approve', { villageCode: c.villageCode });
    if (may === 'hide') return NOT_FOUND;
    if (may === 'deny')
      return refusal(403, 'FORBIDDEN', 'Hanya pemberi persetujuan (Kepala Dinas Sosial) yang dapat menyetujui klaim.');
    who = identityOf(input.approver.principal);
    userId = input.approver.principal.id;
  }
  who = who.trim().toLowerCase();
  if (who === verifierOf(c))
    return refusal(403, 'OWN_VERIFICATION', 'Anda memverifikasi klaim ini, sehingga tidak dapat juga menyetujuinya.');
  if (approversWhoApproved(c).includes(who))
    return refusal(409, 'ALREADY_DECIDED', 'Anda sudah menyetujui klaim ini; menunggu pemberi persetujuan lain.');
  if (c.status !== 'AWAITING_APPROVAL')
    return refusal(409, 'NOT_AWAITING', 'Klaim ini tidak sedang menunggu persetujuan.');
  const note = input.note?.trim() || undefined;
  if (input.decision === 'REJECTED' && !note)
    return refusal(400, 'NOTE_REQUIRED', 'Mohon tuliskan alasan penolakan agar keluarga dan desa dapat diberi tahu.');

  const at = deps.now().toISOString();
  const by = `approver:${who}`;
  const approver = who;
  const approved = input.decision === 'APPROVED';
  let token: string | undefined;
  let decided: Claim;
  try {
    decided = await deps.claims.change(c.id, {
      from: ['AWAITING_APPROVAL'],
      next: (current) => {
        token = undefined;
        const next = approved
          ? approve(current, approver, settingsAsAsked(current), at).claim
          : reject(current, approver, note ?? '', at);
        // The same approver's second tab, racing the first: one decision each, nothing written twice.
        if (next === current) return current;
        if (approved && note)
          next.decisions = next.decisions.map((d, i) => (i === next.decisions.length - 1 ? { ...d, reason: note } : d));
        token = current.waiting?.for === 'APPROVAL' ? current.waiting.taskToken : undefined;
        return { ...next, waiting: token ? undefined : current.waiting };
      },
      audit: {
        action: approved ? 'CLAIM_APPROVED' : 'CLAIM_REJECTED',
        actor: by,
        at,
        details: { note, via: 'code' in input.approver ? 'link' : 'console', userId, ...input.origin },
      },
    });
  } catch (error) {
    return conflictRefusal(error);
  }
  await resumeWorkflow(deps, c.id, token, input.decision, by);
  return { ok: true, claim: decided };
}
