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

export const approvalUrl = (apiUrl: string, p: Proposal) => `${apiUrl.replace(/\/$/, '')}/approvals/${p.id}?code=${p.approval?.code ?? ''}`;
export const proposalUrl = (apiUrl: string, id: string) => `${apiUrl.replace(/\/$/, '')}/proposals/${id}`;

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
  const programme = deps.findProgramme(p.programmeId);
  if (!programme) throw new Error(`Programme ${p.programmeId} of proposal ${p.id} is not configured`);
  const now = deps.now();
  const approval = p.approval ?? {
    code: randomBytes(24).toString('base64url'),
    requestedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + programme.approvalTimeoutDays * 86_400_000).toISOString(),
  };
  const waiting = await deps.proposals.change(p.id, {
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
  if (waiting.approval?.mailedAt) return;
  const mail = approvalRequestMail(
    waiting,
    programme,
    approvalUrl(deps.apiUrl, waiting),
    waiting.report ? `${proposalUrl(deps.apiUrl, p.id)}/report` : undefined,
  );
  const { messageId } = await deps.mailer.send(mail);
  await deps.proposals.change(p.id, {
    from: ['AWAITING_APPROVAL'],
    set: { approval: { ...waiting.approval!, mailedAt: now.toISOString() } },
    audit: { action: 'APPROVAL_MAIL_SENT', actor: 'system:request-approval', execution: input.executionArn, details: { to: mail.to, messageId } },
  });
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
  { ok: true; proposal: Proposal } | { ok: false; reason: 'NOT_FOUND' | 'BAD_CODE' | 'ALREADY_DECIDED' | 'NOT_AWAITING'; proposal?: Proposal };

/**
 * The approver's answer from the approval page. The link's code proves its holder received the
 * mail sent to the programme's approver, so the decision is recorded in that approver's name.
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
  if (p.status !== 'AWAITING_APPROVAL') return { ok: false, reason: 'NOT_AWAITING', proposal: p };
  let decided: Proposal;
  try {
    decided = await deps.proposals.change(p.id, {
      from: ['AWAITING_APPROVAL'],
      set: {
        status: input.decision,
        approval: { ...p.approval, decision: input.decision, decidedAt: deps.now().toISOString(), decidedBy: approver, note: input.note || undefined },
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
    if (error instanceof ProposalStatusConflictError) return { ok: false, reason: 'ALREADY_DECIDED', proposal: await deps.proposals.get(p.id) };
    throw error;
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
  if (p.approval?.decision) return { proposalId: p.id, decision: p.approval.decision };
  try {
    await deps.proposals.change(p.id, {
      from: ['AWAITING_APPROVAL'],
      set: {
        status: 'EXPIRED',
        reason: { code: 'APPROVAL_EXPIRED', message: 'Usulan tidak diputuskan sampai batas waktu persetujuan. Unggah ulang berkas untuk mengajukan kembali.' },
      },
      audit: { action: 'PROPOSAL_EXPIRED', actor: 'system:approval-timeout', execution: input.executionArn, from: 'AWAITING_APPROVAL', to: 'EXPIRED' },
    });
    const programme = deps.findProgramme(p.programmeId);
    if (programme) await releaseReservations(deps, p, programme);
  } catch (error) {
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    const now = await mustGet(deps.proposals, p.id);
    if (now.approval?.decision) return { proposalId: p.id, decision: now.approval.decision };
  }
  return { proposalId: p.id, decision: 'EXPIRED' };
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
