import type { Mailer } from '../../../ports/mailer';
import type { ProposalStore } from '../../../ports/proposal-store';
import type { FindProgramme } from '../proposal';
import { consoleUrl } from '../links';
import { outcomeMail } from '../mails';
import { mustGet } from '../must-get';

export type NotifyDeps = {
  proposals: ProposalStore;
  mailer: Mailer;
  findProgramme: FindProgramme;
  apiUrl: string;
  opsEmail: string;
};

/** Tells the village (and the Dinas Sosial) how a proposal ended. Mails once per final status. */
export async function notifyOutcome(deps: NotifyDeps, input: { proposalId: string; executionArn?: string }) {
  const p = await mustGet(deps.proposals, input.proposalId);
  if (p.notified.includes(p.status)) return { proposalId: p.id, notified: false };
  const mail = outcomeMail(
    p,
    {
      operator: p.operatorEmail,
      ops: deps.opsEmail,
      approver: deps.findProgramme(p.programmeId, p.programmeVersion)?.approverEmail,
    },
    { proposal: consoleUrl(deps.apiUrl, p.id), report: p.report ? consoleUrl(deps.apiUrl, p.id) : undefined },
  );
  if (!mail) return { proposalId: p.id, notified: false };
  const { messageId } = await deps.mailer.send(mail);
  await deps.proposals.change(p.id, {
    set: { notified: [...p.notified, p.status] },
    audit: {
      action: 'OUTCOME_MAIL_SENT',
      actor: 'system:notify',
      execution: input.executionArn,
      details: { status: p.status, to: mail.to, messageId },
    },
  });
  return { proposalId: p.id, notified: true };
}
