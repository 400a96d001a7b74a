import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Mailer } from '../../ports/mailer';
import type { ObjectStore } from '../../ports/object-store';
import type { QuotaLedger } from '../../ports/quota-ledger';
import { releaseReservations } from './reservations';
import { ProposalStatusConflictError, type ProposalStore } from '../../ports/proposal-store';
import { StaleTaskTokenError, type WorkflowCallbacks } from '../../ports/workflow';
import type { Programme } from '../programmes/programme';
import { approvalRequestMail } from './mails';
import type { Proposal } from './proposal';

export type Decision = 'APPROVED' | 'REJECTED';
export type ApprovalOutcome = { proposalId: string; decision: Decision | 'EXPIRED' | 'SUPERSEDED' };

/**
 * How long the approval wait may last: the programme's window for a proposal not yet put to the
 * approver, and only what is left of its own deadline for one that was (a re-drive or a restart
 * waits again, it does not start the window over). A passed deadline gives the shortest wait Step
 * Functions accepts, so the wait times out at once and the proposal expires.
 */
export function approvalWaitSeconds(p: Proposal, programme: Programme, now: Date): number {
  if (!p.approval || p.approval.decision) return programme.approvalTimeoutDays * 86_400;
  return Math.max(1, Math.ceil((Date.parse(p.approval.expiresAt) - now.getTime()) / 1000));
}

/** The approval deadline has passed at `now`. */
export const deadlinePassed = (p: Proposal, now: Date) => !!p.approval && Date.parse(p.approval.expiresAt) <= now.getTime();

export const approvalUrl = (apiUrl: string, p: Proposal) => `${apiUrl.replace(/\/$/, '')}/approvals/${p.id}?code=${p.approval?.code ?? ''}`;
export const proposalUrl = (apiUrl: string, id: string) => `${apiUrl.replace(/\/$/, '')}/proposals/${id}`;
/**
 * What a person opens from a mail: the console page of the proposal, which asks them to sign in and,
 * if entitled, offers the report. A bare API address would only answer 401 in a browser.
 */
export const consoleUrl = (apiUrl: string, id: string) => `${apiUrl.replace(/\/$/, '')}/app/proposals/${id}`;

export type RequestApprovalDeps = {
  proposals: ProposalStore;
  mailer: Mailer;
  workflow: WorkflowCallbacks;
  findProgramme: (id: string) => Programme | undefined;
  apiUrl: string;
  now: () => Date;
};

/**
 * Waits for the Kepala Dinas Sosial: stores the workflow's task token with the proposal and mails
 * a link to the approval page. Safe to run again (retry, re-drive): a recorded decision is handed
 * straight back, and the mail goes out once.
 */
export async function requestApproval(deps: RequestApprovalDeps, input: { proposalId: string; taskToken: string; executionArn?: string }) {
  const p = await mustGet(deps.proposals, input.proposalId);
  if (p.approval?.decision) {
    await deps.workflow.succeed(input.taskToken, { proposalId: p.id, decision: p.approval.decision } satisfies ApprovalOutcome);
    return;
  }
  if (await endedWithoutDecision(deps, p, input.taskToken)) return;
  const programme = deps.findProgramme(p.programmeId);
  if (!programme) throw new Error(`Programme ${p.programmeId} of proposal ${p.id} is not configured`);
  const now = deps.now();
  // Past its deadline (a re-drive or restart after it passed): nobody is asked any more, and the
  // wait, armed with what was left (nothing), times out by itself and the proposal expires.
  if (deadlinePassed(p, now)) return;
  const approval = p.approval ?? {
    code: randomBytes(24).toString('base64url'),
    requestedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + programme.approvalTimeoutDays * 86_400_000).toISOString(),
  };
  let waiting: Proposal;
  try {
    waiting = await deps.proposals.change(p.id, {
      from: ['VALIDATED', 'AWAITING_APPROVAL'],
      set: { status: 'AWAITING_APPROVAL', approval: { ...approval, taskToken: input.taskToken }, executionArn: input.executionArn },
      audit: {
        action: p.approval ? 'APPROVAL_WAIT_RESUMED' : 'APPROVAL_REQUESTED',
        actor: 'system:request-approval',
        execution: input.executionArn,
        from: p.status,
        to: 'AWAITING_APPROVAL',
        details: { approver: programme.approverEmail, expiresAt: approval.expiresAt },
      },
    });
  } catch (error) {
    // Superseded between validation and this wait: the newer upload is the one put to the approver.
    if (error instanceof ProposalStatusConflictError && (await endedWithoutDecision(deps, await mustGet(deps.proposals, p.id), input.taskToken))) return;
    throw error;
  }
  if (waiting.approval?.mailedAt) return;
  // Looked at once more just before mailing: an upload superseding this one meanwhile has ended the
  // wait already, and its own proposal is the one the approver should see.
  if ((await mustGet(deps.proposals, p.id)).status !== 'AWAITING_APPROVAL') return;
  const mail = approvalRequestMail(
    waiting,
    programme,
    approvalUrl(deps.apiUrl, waiting),
    waiting.report ? consoleUrl(deps.apiUrl, p.id) : undefined,
  );
  const { messageId } = await deps.mailer.send(mail);
  await deps.proposals.change(p.id, {
    from: ['AWAITING_APPROVAL'],
    set: { approval: { ...waiting.approval!, mailedAt: now.toISOString() } },
    audit: { action: 'APPROVAL_MAIL_SENT', actor: 'system:request-approval', execution: input.executionArn, details: { to: mail.to, messageId } },
  });
}

/** A proposal superseded or expired before its wait began ends the wait at once, with that outcome. */
async function endedWithoutDecision(deps: { workflow: WorkflowCallbacks }, p: Proposal, taskToken: string): Promise<boolean> {
  if (p.status !== 'SUPERSEDED' && p.status !== 'EXPIRED') return false;
  await deps.workflow.succeed(taskToken, { proposalId: p.id, decision: p.status } satisfies ApprovalOutcome);
  return true;
}

export type DecideDeps = {
  proposals: ProposalStore;
  workflow: WorkflowCallbacks;
  ledger: QuotaLedger;
  objects: ObjectStore;
  findProgramme: (id: string) => Programme | undefined;
  now: () => Date;
};

export type DecisionResult =
  { ok: true; proposal: Proposal } | { ok: false; reason: 'NOT_FOUND' | 'BAD_CODE' | 'ALREADY_DECIDED' | 'NOT_AWAITING' | 'EXPIRED'; proposal?: Proposal };

/**
 * The approver's answer from the approval page. The link's code proves its holder received the
 * mail sent to the programme's approver, so the decision is recorded in that approver's name.
 * Only before the proposal's deadline: the write itself is conditional on it, so a decision
 * racing the deadline (or the timeout that expires the proposal) is either in time or refused.
 */
export async function decideApproval(
  deps: DecideDeps,
  input: { proposalId: string; code: string; decision: Decision; note?: string },
): Promise<DecisionResult> {
  const p = await deps.proposals.get(input.proposalId);
  if (!p) return { ok: false, reason: 'NOT_FOUND' };
  const approver = deps.findProgramme(p.programmeId)?.approverEmail ?? 'approval-link';
  if (!p.approval || !sameSecret(p.approval.code, input.code)) return { ok: false, reason: 'BAD_CODE' };
  if (p.approval.decision) return { ok: false, reason: 'ALREADY_DECIDED', proposal: p };
  const now = deps.now();
  if (p.status === 'EXPIRED' || (p.status === 'AWAITING_APPROVAL' && deadlinePassed(p, now))) return { ok: false, reason: 'EXPIRED', proposal: p };
  if (p.status !== 'AWAITING_APPROVAL') return { ok: false, reason: 'NOT_AWAITING', proposal: p };
  let decided: Proposal;
  try {
    decided = await deps.proposals.change(p.id, {
      from: ['AWAITING_APPROVAL'],
      notExpiredAt: now.toISOString(),
      set: {
        status: input.decision,
        approval: { ...p.approval, decision: input.decision, decidedAt: now.toISOString(), decidedBy: approver, note: input.note || undefined },
      },
      audit: {
        action: input.decision === 'APPROVED' ? 'PROPOSAL_APPROVED' : 'PROPOSAL_REJECTED',
        actor: `approver:${approver}`,
        from: 'AWAITING_APPROVAL',
        to: input.decision,
        details: { note: input.note || undefined },
      },
    });
  } catch (error) {
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    // Someone moved first: another decision, the timeout, a superseding upload; or the deadline passed.
    const current = await deps.proposals.get(p.id);
    if (current?.approval?.decision) return { ok: false, reason: 'ALREADY_DECIDED', proposal: current };
    if (current && (current.status === 'EXPIRED' || deadlinePassed(current, now))) return { ok: false, reason: 'EXPIRED', proposal: current };
    return { ok: false, reason: 'NOT_AWAITING', proposal: current };
  }
  const programme = deps.findProgramme(p.programmeId);
  if (input.decision === 'REJECTED' && programme) {
    // A rejected proposal gives its quota and its people back for other proposals.
    const released = await releaseReservations(deps, decided, programme);
    await deps.proposals.record(p.id, { action: 'RESERVATIONS_RELEASED', actor: 'system:approvals', details: { people: released } });
  }
  if (p.approval.taskToken) {
    try {
      await deps.workflow.succeed(p.approval.taskToken, { proposalId: p.id, decision: input.decision } satisfies ApprovalOutcome);
    } catch (error) {
      if (!(error instanceof StaleTaskTokenError)) throw error;
      // The wait ended (interrupted or timed out); the decision is recorded, and a re-drive picks it up.
      await deps.proposals.record(p.id, { action: 'APPROVAL_CALLBACK_STALE', actor: 'system:approvals', details: { error: error.message } });
    }
  }
  return { ok: true, proposal: decided };
}

/**
 * The approval wait timed out. A decision recorded just before the timeout still counts;
 * otherwise the proposal expires.
 */
export type TimeoutDeps = { proposals: ProposalStore; ledger: QuotaLedger; objects: ObjectStore; findProgramme: (id: string) => Programme | undefined };

export async function resolveApprovalTimeout(deps: TimeoutDeps, input: { proposalId: string; executionArn?: string }): Promise<ApprovalOutcome> {
  const p = await mustGet(deps.proposals, input.proposalId);
  const settled = settledOutcome(p);
  if (settled) return settled;
  try {
    await deps.proposals.change(p.id, {
      // VALIDATED too: a wait armed with a passed deadline can time out before it was even recorded.
      from: ['AWAITING_APPROVAL', 'VALIDATED'],
      set: {
        status: 'EXPIRED',
        reason: { code: 'APPROVAL_EXPIRED', message: 'Usulan tidak diputuskan sampai batas waktu persetujuan. Unggah ulang berkas untuk mengajukan kembali.' },
      },
      audit: { action: 'PROPOSAL_EXPIRED', actor: 'system:approval-timeout', execution: input.executionArn, from: p.status, to: 'EXPIRED' },
    });
    const programme = deps.findProgramme(p.programmeId);
    if (programme) await releaseReservations(deps, p, programme);
  } catch (error) {
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    // A decision or a superseding upload got there first; that is how the wait ended.
    const settledMeanwhile = settledOutcome(await mustGet(deps.proposals, p.id));
    if (settledMeanwhile) return settledMeanwhile;
    throw error;
  }
  return { proposalId: p.id, decision: 'EXPIRED' };
}

/** How a proposal's approval wait already ended, if it did. */
function settledOutcome(p: Proposal): ApprovalOutcome | undefined {
  if (p.approval?.decision) return { proposalId: p.id, decision: p.approval.decision };
  if (p.status === 'SUPERSEDED' || p.status === 'EXPIRED') return { proposalId: p.id, decision: p.status };
  return undefined;
}

export async function mustGet(store: ProposalStore, id: string): Promise<Proposal> {
  const p = await store.get(id);
  if (!p) throw new Error(`Proposal ${id} does not exist`);
  return p;
}

export function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
