import { computeBenefit, describeReclassification } from './benefit';
import type { ClaimSettings } from './claim-settings';
import {
  Claim,
  type ClaimIssue,
  type ClaimStatus,
  type ClaimType,
  type Decision,
  type DocumentType,
  type Payout,
  type RequiredDocument,
} from './claim';
import { awaitedDocument, missing, requiredDocuments, withDocument } from './documents';
import { recipientsOf } from './heirs';

/**
 * A claim's life as pure moves: each takes a claim and returns the next one (checked against the
 * schema), or throws ClaimTransitionError when the claim's status does not allow the move. Moves
 * that a retried workflow step or a double click may repeat (an approval, a submission, a payout
 * by its bank reference) return the claim unchanged the second time.
 *
 * Maker-checker: whoever filed a claim does not verify or approve it, whoever verified it does not
 * approve it, and a benefit above the programme's `twoApproversAbove` needs two different approvers.
 * People are compared by username, whatever role prefix their decisions carry.
 */

export type ClaimTransitionErrorCode =
  /** The status does not allow the move. */
  | 'WRONG_STATUS'
  /** The same person would check their own work. */
  | 'MAKER_CHECKER'
  /** Something the move needs is missing (documents, the benefit, approvals, a reason). */
  | 'INCOMPLETE'
  /** A payout to someone the benefit is not paid to, or a second one to the same person. */
  | 'PAYOUT_MISMATCH'
  /** BPJS can only move a death between JKM and JKK_DEATH. */
  | 'RECLASSIFICATION';

export class ClaimTransitionError extends Error {
  constructor(
    readonly code: ClaimTransitionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClaimTransitionError';
  }
}

const DEATH_TYPES: readonly ClaimType[] = ['JKM', 'JKK_DEATH'];

function allow(c: Claim, statuses: readonly ClaimStatus[], move: string) {
  if (!statuses.includes(c.status)) {
    throw new ClaimTransitionError('WRONG_STATUS', `Claim ${c.id} is ${c.status}: cannot ${move}`);
  }
}

/** `verifier:Sari` -> `sari`; a bare username as it is. */
const identity = (by: string) =>
  by
    .slice(by.indexOf(':') + 1)
    .trim()
    .toLowerCase();

const decided = (c: Claim, d: Decision, over: Partial<Claim> = {}): Claim =>
  Claim.parse({ ...c, ...over, decisions: [...c.decisions, d], updatedAt: d.at });

/** Where a checked filing starts: refused, waiting for documents, or complete and ready to verify. */
export function statusAfterChecks(issues: readonly ClaimIssue[], docs: readonly RequiredDocument[]): ClaimStatus {
  if (issues.some((i) => i.severity === 'REFUSAL')) return 'REFUSED';
  return missing(docs).length > 0 ? 'WAITING_FOR_DOCUMENTS' : 'AWAITING_VERIFICATION';
}

/**
 * A document arrived (or was sent again). When the last missing one arrives the claim moves on: to
 * the verifier, or, if BPJS had asked for it, back to BPJS, whose decision is still pending and
 * whom the workflow sends it to (the verifier and approvers already decided the claim).
 */
export function documentArrived(c: Claim, type: DocumentType, key: string, at: string): Claim {
  allow(c, ['WAITING_FOR_DOCUMENTS', 'AWAITING_VERIFICATION'], 'receive a document');
  const current = c.requiredDocuments.find((d) => d.type === type);
  if (current?.present && current.key === key) return c;
  const requiredDocuments = withDocument(c.requiredDocuments, type, key, at);
  const complete = missing(requiredDocuments).length === 0;
  const status: ClaimStatus =
    c.status === 'WAITING_FOR_DOCUMENTS' && complete
      ? c.bpjs
        ? 'SUBMITTED_TO_BPJS'
        : 'AWAITING_VERIFICATION'
      : c.status;
  return Claim.parse({ ...c, requiredDocuments, status, updatedAt: at });
}

function notTheFiler(c: Claim, actor: string, move: string) {
  if (identity(c.filedBy) === identity(actor)) {
    throw new ClaimTransitionError('MAKER_CHECKER', `${actor} filed claim ${c.id} and cannot ${move} it`);
  }
}

/** The verifier checked the documents and the computation. */
export function verify(c: Claim, actor: string, at: string): Claim {
  allow(c, ['AWAITING_VERIFICATION'], 'verify');
  notTheFiler(c, actor, 'verify');
  if (!c.benefit) throw new ClaimTransitionError('INCOMPLETE', `Claim ${c.id} has no benefit computed`);
  if (missing(c.requiredDocuments).length > 0) {
    throw new ClaimTransitionError('INCOMPLETE', `Claim ${c.id} still misses documents`);
  }
  return decided(c, { action: 'VERIFIED', by: `verifier:${actor}`, at }, { status: 'AWAITING_APPROVAL' });
}

/** How many different approvers the claim's benefit needs under the programme's settings. */
function approversNeeded(c: Claim, settings: ClaimSettings): 1 | 2 {
  return (c.benefit?.total ?? 0) > settings.twoApproversAbove ? 2 : 1;
}

/** The different people who approved since the claim was last verified. */
function approversSinceVerified(c: Claim): string[] {
  const verifiedAt = c.decisions.findLastIndex((d) => d.action === 'VERIFIED');
  const approvals = c.decisions.slice(verifiedAt + 1).filter((d) => d.action === 'APPROVED');
  return [...new Set(approvals.map((d) => identity(d.by)))];
}

export type ApprovalOutcome = 'APPROVED' | 'NEEDS_SECOND_APPROVER';

/**
 * An approver approves. The claim stays AWAITING_APPROVAL (what comes next is BPJS: `submitted`);
 * the outcome says whether the approvals are now enough. The same approver twice counts once.
 */
export function approve(
  c: Claim,
  actor: string,
  settings: ClaimSettings,
  at: string,
): { claim: Claim; outcome: ApprovalOutcome } {
  allow(c, ['AWAITING_APPROVAL'], 'approve');
  notTheFiler(c, actor, 'approve');
  const verifiers = c.decisions.filter((d) => d.action === 'VERIFIED').map((d) => identity(d.by));
  if (verifiers.includes(identity(actor))) {
    throw new ClaimTransitionError('MAKER_CHECKER', `${actor} verified claim ${c.id} and cannot approve it`);
  }
  const needed = approversNeeded(c, settings);
  const approvers = approversSinceVerified(c);
  const outcome = (n: number): ApprovalOutcome => (n >= needed ? 'APPROVED' : 'NEEDS_SECOND_APPROVER');
  if (approvers.includes(identity(actor)) || approvers.length >= needed) {
    return { claim: c, outcome: outcome(approvers.length) };
  }
  const claim = decided(c, { action: 'APPROVED', by: `approver:${actor}`, at });
  return { claim, outcome: outcome(approvers.length + 1) };
}

/** A verifier (before approval) or an approver turns the claim down, saying why. */
export function reject(c: Claim, actor: string, reason: string, at: string): Claim {
  allow(c, ['WAITING_FOR_DOCUMENTS', 'AWAITING_VERIFICATION', 'AWAITING_APPROVAL'], 'reject');
  if (!reason.trim()) throw new ClaimTransitionError('INCOMPLETE', `Rejecting claim ${c.id} needs a reason`);
  const role = c.status === 'AWAITING_APPROVAL' ? 'approver' : 'verifier';
  return decided(c, { action: 'REJECTED', by: `${role}:${actor}`, at, reason: reason.trim() }, { status: 'REJECTED' });
}

/** BPJS took the approved claim under its reference. */
export function submitted(c: Claim, bpjsReference: string, settings: ClaimSettings, at: string): Claim {
  if (c.status === 'SUBMITTED_TO_BPJS' && c.bpjs?.reference === bpjsReference) return c;
  allow(c, ['AWAITING_APPROVAL'], 'submit to BPJS');
  if (approversSinceVerified(c).length < approversNeeded(c, settings)) {
    throw new ClaimTransitionError('INCOMPLETE', `Claim ${c.id} is not approved yet`);
  }
  return Claim.parse({
    ...c,
    status: 'SUBMITTED_TO_BPJS',
    bpjs: { ...c.bpjs, reference: bpjsReference, submittedAt: at, classification: c.type },
    updatedAt: at,
  });
}

/** While BPJS holds the claim: submitted, or waiting for a document it asked for. */
const WITH_BPJS: readonly ClaimStatus[] = ['SUBMITTED_TO_BPJS', 'WAITING_FOR_DOCUMENTS'];
function allowWithBpjs(c: Claim, move: string) {
  allow(c, WITH_BPJS, move);
  if (!c.bpjs) throw new ClaimTransitionError('WRONG_STATUS', `Claim ${c.id} is not with BPJS: cannot ${move}`);
}

/**
 * BPJS asked for a document. One the claim lacks (or never listed) is awaited from the filer
 * (WAITING_FOR_DOCUMENTS); one the claim already holds is only marked, for the workflow to send on.
 */
export function bpjsAskedForDocument(c: Claim, type: DocumentType, at: string): Claim {
  allowWithBpjs(c, 'record a document BPJS asked for');
  const current = c.requiredDocuments.find((d) => d.type === type);
  if (current?.requestedByBpjs) return c;
  const requiredDocuments = current
    ? c.requiredDocuments.map((d) => (d.type === type ? { ...d, requestedByBpjs: true } : d))
    : [...c.requiredDocuments, { ...awaitedDocument(type), requestedByBpjs: true }];
  const status: ClaimStatus = current?.present ? c.status : 'WAITING_FOR_DOCUMENTS';
  return Claim.parse({ ...c, requiredDocuments, status, updatedAt: at });
}

/**
 * BPJS classified the death the other way (PP 49/2023 Ps. 25A): the benefit is computed again for
 * the new type, under the rules of the event date, with the scholarship's paid months as they are
 * now; the checklist follows the new type (documents already received stay on the record; ones the
 * new type needs are awaited, as asked by BPJS).
 */
export function bpjsReclassified(c: Claim, type: ClaimType, paidMonths: number, at: string): Claim {
  allowWithBpjs(c, 'reclassify');
  if (c.type === type && c.benefit?.computedFor === type) return c;
  if (!DEATH_TYPES.includes(c.type) || !DEATH_TYPES.includes(type)) {
    throw new ClaimTransitionError('RECLASSIFICATION', `Claim ${c.id} cannot move from ${c.type} to ${type}`);
  }
  const benefit = computeBenefit({
    type,
    eventDate: c.eventDate,
    declaredIncome: c.declaredIncome,
    paidMonths,
    incapacityDays: c.incapacityDays,
  });
  const needed = requiredDocuments(type, c.heirs, benefit.total);
  const kept = c.requiredDocuments.filter((d) => d.present || needed.some((n) => n.type === d.type));
  const added = needed
    .filter((n) => !kept.some((d) => d.type === n.type))
    .map((n) => ({ ...n, requestedByBpjs: true }));
  const docs = [...kept, ...added];
  const reason = c.benefit
    ? describeReclassification(c.benefit, benefit)
    : `BPJS Ketenagakerjaan menggolongkan klaim ini sebagai ${type}.`;
  return decided(
    c,
    { action: 'RECLASSIFIED', by: 'bpjs', at, reason },
    {
      type,
      benefit,
      requiredDocuments: docs,
      status: missing(docs).length > 0 ? 'WAITING_FOR_DOCUMENTS' : 'SUBMITTED_TO_BPJS',
      bpjs: { ...c.bpjs!, classification: type },
    },
  );
}

/** BPJS turned the claim down, with its reason. */
export function bpjsRefused(c: Claim, reason: string, at: string): Claim {
  if (c.status === 'REFUSED_BY_BPJS' && c.bpjs?.reason === reason) return c;
  allowWithBpjs(c, 'record a BPJS refusal');
  return decided(
    c,
    { action: 'REFUSED', by: 'bpjs', at, reason },
    { status: 'REFUSED_BY_BPJS', bpjs: { ...c.bpjs!, reason, decidedAt: at } },
  );
}

/** Whom the benefit is paid to: the heirs chosen for a death, the participant for an accident. */
function payeesOf(c: Claim): string[] {
  return c.type === 'JKK' ? [c.nik] : recipientsOf(c.heirs).map((h) => h.nik);
}

/** A transfer to a payee was recorded: PAID once every payee has one. Idempotent by bank reference. */
export function payoutRecorded(c: Claim, payout: Payout): Claim {
  if (c.payouts.some((p) => p.bankReference === payout.bankReference)) return c;
  allow(c, ['SUBMITTED_TO_BPJS', 'PAYOUT_FAILED'], 'record a payout');
  const payees = payeesOf(c);
  if (!payees.includes(payout.heirNik)) {
    throw new ClaimTransitionError('PAYOUT_MISMATCH', `Payout ${payout.bankReference} is to no payee of ${c.id}`);
  }
  if (c.payouts.some((p) => p.heirNik === payout.heirNik)) {
    throw new ClaimTransitionError(
      'PAYOUT_MISMATCH',
      `Claim ${c.id} already has a payout to that payee; ${payout.bankReference} would pay twice`,
    );
  }
  const payouts = [...c.payouts, payout];
  const allPaid = payees.every((nik) => payouts.some((p) => p.heirNik === nik));
  return Claim.parse({
    ...c,
    payouts,
    status: allPaid ? 'PAID' : c.status,
    ...(c.bpjs && { bpjs: { ...c.bpjs, decidedAt: c.bpjs.decidedAt ?? payout.recordedAt } }),
    updatedAt: payout.recordedAt,
  });
}

/** A transfer failed: flagged for someone to act on; the claim is never PAID by it. */
export function payoutFailed(c: Claim, reason: string, at: string): Claim {
  const last = c.decisions.at(-1);
  if (c.status === 'PAYOUT_FAILED' && last?.action === 'FLAGGED' && last.reason === reason) return c;
  allow(c, ['SUBMITTED_TO_BPJS', 'PAYOUT_FAILED'], 'record a failed payout');
  return decided(c, { action: 'FLAGGED', by: 'bpjs', at, reason }, { status: 'PAYOUT_FAILED' });
}
