import type { ClaimStore } from '../../../ports/claim-store';
import type { Mailer } from '../../../ports/mailer';
import type { WorkflowCallbacks } from '../../../ports/workflow';
import { newApprovalCode } from '../../proposals/approval-code';
import type { Claim } from '../claim';
import { claimApprovalMail, claimApprovalUrl } from '../claim-mails';
import {
  approversWhoApproved,
  isFinal,
  mustGetClaim,
  verifierOf,
  wasRejected,
  type ClaimWaitInput,
  type WaitOutcome,
} from './claim-workflow';

/** Who may approve a claim, and how many different ones must (claim-settings: two above the programme's amount). */
export type ApprovalPolicy = { approvers: readonly string[]; approversNeeded: number };

export type RequestClaimApprovalDeps = {
  claims: ClaimStore;
  mailer: Mailer;
  workflow: WorkflowCallbacks;
  approvalPolicy: (claim: Claim) => ApprovalPolicy;
  apiUrl: string;
  now: () => Date;
};

/** The programme's approvers, less the verifier, are fewer than the claim needs: a setting to mend, not a retry. */
export class NotEnoughApproversError extends Error {
  override name = 'NotEnoughApproversError';
}

/**
 * Maker-checker: a verified claim waits for its approvers. Each approver gets a link of their own
 * (a secret code per approver, as proposals' approval links have) to `/claim-approvals/<claimId>`;
 * the verifier never gets one, and an approval by the verifier does not count. The page records
 * each decision and sends the parked token back; the workflow then asks again, and this answers
 * APPROVALS_COMPLETE once as many different approvers as needed have approved (REJECTED after any
 * rejection). Each approver is mailed once, however often it runs.
 */
export async function requestClaimApproval(deps: RequestClaimApprovalDeps, input: ClaimWaitInput): Promise<void> {
  const answer = (decision: WaitOutcome['decision']) =>
    deps.workflow.succeed(input.taskToken, { decision } satisfies WaitOutcome);
  const c = await mustGetClaim(deps.claims, input.claimId);
  if (wasRejected(c)) return answer('REJECTED');
  if (isFinal(c)) return answer('STOPPED');
  const policy = deps.approvalPolicy(c);
  const needed = c.approval?.approversNeeded ?? policy.approversNeeded;
  const done = (claim: Claim) => wasRejected(claim) || approversWhoApproved(claim).length >= needed;
  if (done(c) || !['AWAITING_VERIFICATION', 'AWAITING_APPROVAL'].includes(c.status))
    return answer(wasRejected(c) ? 'REJECTED' : 'APPROVALS_COMPLETE');

  const verifier = verifierOf(c);
  const eligible = [...new Set(policy.approvers.map((a) => a.trim().toLowerCase()))].filter((a) => a !== verifier);
  if (eligible.length < needed)
    throw new NotEnoughApproversError(
      `Claim ${c.id} needs ${needed} approvers other than its verifier; the programme names ${eligible.length}`,
    );
  const now = deps.now().toISOString();
  const approval = c.approval ?? {
    requestedAt: now,
    approversNeeded: needed,
    links: eligible.map((approver) => ({ approver, code: newApprovalCode() })),
  };
  const parked = await deps.claims.change(c.id, {
    next: (current) =>
      done(current) || !['AWAITING_VERIFICATION', 'AWAITING_APPROVAL'].includes(current.status)
        ? current
        : {
            ...current,
            status: 'AWAITING_APPROVAL',
            approval: current.approval ?? approval,
            waiting: { for: 'APPROVAL', taskToken: input.taskToken, since: now },
          },
    audit: {
      action: c.approval ? 'CLAIM_APPROVAL_WAIT_RESUMED' : 'CLAIM_APPROVAL_REQUESTED',
      actor: 'system:claims-request-approval',
      execution: input.executionArn,
      details: { approvers: approval.links.map((l) => l.approver), approversNeeded: needed },
    },
  });
  if (parked.waiting?.taskToken !== input.taskToken)
    return answer(wasRejected(parked) ? 'REJECTED' : 'APPROVALS_COMPLETE');

  // Everyone asked who has not decided yet, and was not mailed before.
  const decided = new Set(approversWhoApproved(parked));
  for (const link of parked.approval!.links.filter((l) => !l.mailedAt && !decided.has(l.approver))) {
    const mail = claimApprovalMail(parked, link.approver, claimApprovalUrl(deps.apiUrl, c.id, link.code), needed);
    const { messageId } = await deps.mailer.send(mail);
    const mailedAt = deps.now().toISOString();
    await deps.claims.change(c.id, {
      next: (current) => ({
        ...current,
        approval: current.approval && {
          ...current.approval,
          links: current.approval.links.map((l) => (l.approver === link.approver ? { ...l, mailedAt } : l)),
        },
      }),
      audit: {
        action: 'CLAIM_APPROVAL_MAIL_SENT',
        actor: 'system:claims-request-approval',
        execution: input.executionArn,
        details: { to: mail.to, messageId },
      },
    });
  }
}
