import type { Mailer } from '../../../ports/mailer';
import { ProposalStatusConflictError, type ProposalStore } from '../../../ports/proposal-store';
import type { WorkflowCallbacks } from '../../../ports/workflow';
import { newApprovalCode } from '../approval-code';
import { deadlinePassed, type ApprovalOutcome } from '../approval-deadline';
import { approvalUrl, consoleUrl } from '../links';
import { approvalRequestMail } from '../mails';
import { mustGet } from '../must-get';
import type { FindProgramme, Proposal } from '../proposal';

export type RequestApprovalDeps = {
  proposals: ProposalStore;
  mailer: Mailer;
  workflow: WorkflowCallbacks;
  findProgramme: FindProgramme;
  apiUrl: string;
  now: () => Date;
};

/**
 * Waits for the Kepala Dinas Sosial: stores the workflow's task token with the proposal and mails
 * a link to the approval page. Safe to run again (retry, re-drive): a recorded decision is handed
 * straight back, and the mail goes out once.
 */
export async function requestApproval(
  deps: RequestApprovalDeps,
  input: { proposalId: string; taskToken: string; executionArn?: string },
) {
  const p = await mustGet(deps.proposals, input.proposalId);
  if (p.approval?.decision) {
    await deps.workflow.succeed(input.taskToken, {
      proposalId: p.id,
      decision: p.approval.decision,
    } satisfies ApprovalOutcome);
    return;
  }
  if (await endedWithoutDecision(deps, p, input.taskToken)) return;
  const programme = deps.findProgramme(p.programmeId, p.programmeVersion);
  if (!programme) throw new Error(`Programme ${p.programmeId} of proposal ${p.id} is not configured`);
  const now = deps.now();
  // Past its deadline (a re-drive or restart after it passed): nobody is asked any more, and the
  // wait, armed with what was left (nothing), times out by itself and the proposal expires.
  if (deadlinePassed(p, now)) return;
  const approval = p.approval ?? {
    code: newApprovalCode(),
    requestedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + programme.approvalTimeoutDays * 86_400_000).toISOString(),
  };
  let waiting: Proposal;
  try {
    waiting = await deps.proposals.change(p.id, {
      from: ['VALIDATED', 'AWAITING_APPROVAL'],
      set: {
        status: 'AWAITING_APPROVAL',
        approval: { ...approval, taskToken: input.taskToken },
        executionArn: input.executionArn,
      },
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
    if (
      error instanceof ProposalStatusConflictError &&
      (await endedWithoutDecision(deps, await mustGet(deps.proposals, p.id), input.taskToken))
    )
      return;
    throw error;
  }
  if (waiting.approval?.mailedAt) return;
  // Looked at once more just before mailing: an upload superseding this one meanwhile has ended the
  // wait already, and its own proposal is the one the approver should see.
  if ((await mustGet(deps.proposals, p.id)).status !== 'AWAITING_APPROVAL') return;
  const mail = approvalRequestMail(
    waiting,
    programme,
    approvalUrl(deps.apiUrl, waiting.id, waiting.approval!.code),
    waiting.report ? consoleUrl(deps.apiUrl, p.id) : undefined,
  );
  const { messageId } = await deps.mailer.send(mail);
  await deps.proposals.change(p.id, {
    from: ['AWAITING_APPROVAL'],
    set: { approval: { ...waiting.approval!, mailedAt: now.toISOString() } },
    audit: {
      action: 'APPROVAL_MAIL_SENT',
      actor: 'system:request-approval',
      execution: input.executionArn,
      details: { to: mail.to, messageId },
    },
  });
}

/** A proposal superseded or expired before its wait began ends the wait at once, with that outcome. */
async function endedWithoutDecision(
  deps: { workflow: WorkflowCallbacks },
  p: Proposal,
  taskToken: string,
): Promise<boolean> {
  if (p.status !== 'SUPERSEDED' && p.status !== 'EXPIRED') return false;
  await deps.workflow.succeed(taskToken, { proposalId: p.id, decision: p.status } satisfies ApprovalOutcome);
  return true;
}
