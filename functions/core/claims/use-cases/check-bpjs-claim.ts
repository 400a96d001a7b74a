import type { BpjsClaimStatus } from '../../bpjs/claim-contract';
import type { HolidayCalendar } from '../../contributions/holidays';
import type { BpjsClaims } from '../../../ports/bpjs';
import type { ClaimStore, StoredClaim } from '../../../ports/claim-store';
import type { CoverageStore } from '../../../ports/coverage-store';
import type { Mailer } from '../../../ports/mailer';
import type { Claim } from '../claim';
import {
  bpjsLateMail,
  bpjsNeedsDocumentMail,
  filerOf,
  reclassifiedMail,
  refusedByBpjsMail,
  transferFailedMail,
} from '../claim-mails';
import { bpjsAskedForDocument, bpjsReclassified, bpjsRefused, payoutFailed } from '../claim-transitions';
import { missing } from '../documents';
import { bpjsIsLate, bpjsPromisedBy } from './bpjs-promise';
import { hasNotice, mustGetClaim, withNotice, type ClaimStepInput } from './claim-workflow';

export type CheckBpjsClaimDeps = {
  claims: ClaimStore;
  bpjs: BpjsClaims;
  coverages: Pick<CoverageStore, 'get'>;
  mailer: Mailer;
  holidays: HolidayCalendar;
  /** BPJS's promise (claim-settings.ts `bpjsPromiseWorkingDays`): past it, Dinas Sosial is alerted. */
  bpjsPromiseWorkingDays: number;
  apiUrl: string;
  opsEmail: string;
  /** Dinas Sosial for a claim: the team and the approver of the programme version it was filed under. */
  dinasSosial: (claim: Pick<Claim, 'programmeId' | 'programmeVersion'>) => string[];
  now: () => Date;
};

/** Where the claim is after one look: the workflow waits and looks again unless BPJS paid or refused. */
export type BpjsLook = { claimId: string; state: 'WAITING' | 'PAID' | 'REFUSED' };

/** The claim was never filed with BPJS, or BPJS no longer knows it: not something waiting mends. */
class BpjsClaimMissingError extends Error {
  override name = 'BpjsClaimMissingError';
}

const ACTOR = 'system:claims-check-bpjs';

/**
 * One look at BPJS's decision (the workflow polls with a Wait state between looks). On the way:
 * - a document BPJS asks for is sent when we have it, else the operator is asked for it (once);
 * - a reclassification (JKK <-> JKM, PP 49/2023 Ps. 25A) recomputes the benefit by our rules, records
 *   why, tells the operator and Dinas Sosial, and confirms the new amount, which BPJS then pays;
 * - a failed transfer marks the claim PAYOUT_FAILED and flags it (once per failure): never paid;
 * - past BPJS's promise of 3 working days, Dinas Sosial is alerted (once).
 * Every notice is recorded on the claim before the next look, so a retry sends none twice.
 */
export async function checkBpjsClaim(deps: CheckBpjsClaimDeps, input: ClaimStepInput): Promise<BpjsLook> {
  const c = await mustGetClaim(deps.claims, input.claimId);
  const look = (state: BpjsLook['state']): BpjsLook => ({ claimId: c.id, state });
  if (c.status === 'PAID') return look('PAID');
  if (c.status === 'REFUSED_BY_BPJS') return look('REFUSED');
  if (c.status === 'REJECTED' || c.status === 'REFUSED')
    throw new BpjsClaimMissingError(`Claim ${c.id} is ${c.status}`);
  const bpjsClaimId = c.bpjs?.claimId;
  if (!bpjsClaimId) throw new BpjsClaimMissingError(`Claim ${c.id} has no BPJS claim id`);
  const status = await deps.bpjs.getClaimStatus(bpjsClaimId);
  if (!status) throw new BpjsClaimMissingError(`BPJS does not know claim ${bpjsClaimId} (${c.id})`);
  const step = { deps, claim: c, status, execution: input.executionArn };

  switch (status.status) {
    case 'PAID':
      // A transfer BPJS made while the file still lacked what it asked for is recorded once the file is complete.
      return look(c.status === 'WAITING_FOR_DOCUMENTS' ? 'WAITING' : 'PAID');
    case 'REFUSED':
      await refused(step);
      return look('REFUSED');
    case 'NEEDS_DOCUMENT':
      await needsDocument(step);
      break;
    case 'APPROVED':
      if (status.awaitingAmount) await reclassified(step);
      break;
    case 'TRANSFER_FAILED':
      await transferFailed(step);
      break;
    case 'RECEIVED':
      break;
  }
  if (!status.decidedAt) await alertIfLate(step);
  return look('WAITING');
}

type Step = { deps: CheckBpjsClaimDeps; claim: StoredClaim; status: BpjsClaimStatus; execution?: string };

/** Sends the mail and records it under `key`, unless a notice with that key was recorded already. */
async function noticeOnce(
  step: Step,
  key: string,
  mail: () => Parameters<Mailer['send']>[0],
  change: { action: string; next?: (c: Claim) => Claim; details?: Record<string, unknown> },
) {
  const { deps, claim } = step;
  if (hasNotice(claim, key)) return;
  const sent = mail();
  const { messageId } = await deps.mailer.send(sent);
  await deps.claims.change(claim.id, {
    next: (current) => withNotice(change.next ? change.next(current) : current, key),
    audit: {
      action: change.action,
      actor: ACTOR,
      execution: step.execution,
      details: { ...change.details, to: sent.to, messageId },
    },
  });
}

async function refused(step: Step) {
  const { deps, claim, status, execution } = step;
  const reason = status.reason ?? 'BPJS Ketenagakerjaan tidak menyebutkan alasan.';
  const at = status.decidedAt ?? deps.now().toISOString();
  const latest = await deps.claims.change(claim.id, {
    next: (current) => bpjsRefused(current, reason, at),
    audit: { action: 'CLAIM_REFUSED_BY_BPJS', actor: ACTOR, execution, details: { reason } },
  });
  const to = [...filerOf(claim, deps.opsEmail), ...deps.dinasSosial(claim)];
  await noticeOnce(
    { ...step, claim: latest },
    'bpjs-refused',
    () => refusedByBpjsMail(latest, reason, to, deps.apiUrl),
    {
      action: 'CLAIM_REFUSAL_MAIL_SENT',
    },
  );
}

/**
 * BPJS asks for a document (claim-transitions.ts `bpjsAskedForDocument`): one the claim holds is sent
 * on at once; one it lacks puts the claim back to WAITING_FOR_DOCUMENTS and the operator is asked
 * (once). When it arrives, the next look finds it and sends it.
 */
async function needsDocument(step: Step) {
  const { deps, claim, status, execution } = step;
  const type = status.missingDocument!;
  const marked = await deps.claims.change(claim.id, {
    next: (current) => bpjsAskedForDocument(current, type, deps.now().toISOString()),
    audit: { action: 'CLAIM_DOCUMENT_REQUESTED_BY_BPJS', actor: ACTOR, execution, details: { type } },
  });
  const asked = marked.requiredDocuments.find((d) => d.type === type)!;
  // BPJS learns the document is there; the file stays with us (claim-contract.ts).
  if (asked.present) return void (await deps.bpjs.supplyDocument(claim.bpjs!.claimId!, type));
  await noticeOnce(
    { ...step, claim: marked },
    `bpjs-document#${type}`,
    () => bpjsNeedsDocumentMail(marked, asked, filerOf(claim, deps.opsEmail), deps.apiUrl),
    { action: 'CLAIM_BPJS_DOCUMENT_MAIL_SENT', details: { type } },
  );
}

/**
 * BPJS approved the claim under the other death classification and waits for the amount: the
 * benefit is recomputed by our rules (claim-transitions.ts `bpjsReclassified`), the operator and
 * Dinas Sosial are told why it changed, and the new amount is confirmed once the file holds what the
 * new type needs (until then the claim waits for those documents, and BPJS pays nothing).
 */
async function reclassified(step: Step) {
  const { deps, claim, status, execution } = step;
  const classification = status.classification;
  const coverage = await deps.coverages.get(claim.programmeId, claim.nik);
  const at = deps.now().toISOString();
  const current = await deps.claims.change(claim.id, {
    next: (c) => bpjsReclassified(c, classification, coverage?.continuousPaidMonths ?? 0, at),
    audit: {
      action: 'CLAIM_RECLASSIFIED',
      actor: ACTOR,
      execution,
      details: { from: claim.type, to: classification, before: claim.benefit?.total },
    },
  });
  const explanation = current.decisions.findLast((d) => d.action === 'RECLASSIFIED')?.reason ?? '';
  const stillMissing = missing(current.requiredDocuments);
  const to = [...filerOf(claim, deps.opsEmail), ...deps.dinasSosial(claim)];
  await noticeOnce(
    { ...step, claim: current },
    `reclassified#${classification}`,
    () => reclassifiedMail(current, explanation, stillMissing, to, deps.apiUrl),
    { action: 'CLAIM_RECLASSIFICATION_MAIL_SENT', details: { after: current.benefit?.total } },
  );
  if (stillMissing.length > 0) return;
  // BPJS pays nothing until it has the amount our rules give for its classification.
  await deps.bpjs.confirmAmount(claim.bpjs!.claimId!, { classification, amount: current.benefit!.total });
}

/** The bank refused the transfer: PAYOUT_FAILED, flagged once per failure, never paid; BPJS tries again. */
async function transferFailed(step: Step) {
  const { deps, claim, status, execution } = step;
  const reason = status.reason ?? 'Bank menolak transfer.';
  const at = deps.now().toISOString();
  const latest = await deps.claims.change(claim.id, {
    next: (c) => (c.status === 'PAYOUT_FAILED' ? c : payoutFailed(c, reason, at)),
    audit: { action: 'CLAIM_PAYOUT_FAILED', actor: ACTOR, execution, details: { reason } },
  });
  const episode = latest.decisions.filter((d) => d.action === 'FLAGGED').length;
  const to = [...filerOf(claim, deps.opsEmail), ...deps.dinasSosial(claim)];
  await noticeOnce(
    { ...step, claim: latest },
    `transfer-failed#${episode}`,
    () => transferFailedMail(latest, reason, to, deps.apiUrl),
    {
      action: 'CLAIM_PAYOUT_FAILURE_FLAGGED',
      details: { reason },
    },
  );
}

async function alertIfLate(step: Step) {
  const { deps, claim } = step;
  const submittedAt = claim.bpjs?.submittedAt;
  if (!submittedAt || !bpjsIsLate(submittedAt, deps.now(), deps.holidays, deps.bpjsPromiseWorkingDays)) return;
  const promisedBy = bpjsPromisedBy(submittedAt, deps.holidays, deps.bpjsPromiseWorkingDays);
  const latest = await mustGetClaim(deps.claims, claim.id);
  await noticeOnce(
    { ...step, claim: latest },
    'bpjs-late',
    () => bpjsLateMail(latest, deps.dinasSosial(claim), submittedAt, promisedBy, deps.apiUrl),
    { action: 'CLAIM_BPJS_LATE_ALERTED', details: { submittedAt, promisedBy } },
  );
}
