import type { ClaimStore } from '../../../ports/claim-store';
import type { Mailer } from '../../../ports/mailer';
import { documentsReminderMail, filerOf } from '../claim-mails';
import { missing } from '../documents';
import { DOCUMENTS_PARKED } from './document-arrived';
import { hasNotice, isFinal, mustGetClaim, withNotice, type ClaimStepInput } from './claim-workflow';

export type RemindDocumentsDeps = {
  claims: ClaimStore;
  mailer: Mailer;
  apiUrl: string;
  opsEmail: string;
  /** Reminders before the workflow stops waiting (the claim stays WAITING_FOR_DOCUMENTS, never refused). */
  maxReminders: number;
  now: () => Date;
};

/** Whether the workflow waits again (`park: false`) or stops waiting until the last document arrives. */
export type Reminded = { park: boolean; reminders: number };

const REMINDER = 'documents-reminder#';

/**
 * The documents wait timed out (the reminder delay passed): the operator who filed the claim is
 * mailed the documents still missing, once per round, and the workflow waits again. After the last
 * reminder the workflow stops waiting (`park`), so no execution runs for months: the claim keeps its
 * status and list, and the document that completes it starts the workflow again (document-arrived.ts).
 */
export async function remindDocuments(deps: RemindDocumentsDeps, input: ClaimStepInput): Promise<Reminded> {
  const c = await mustGetClaim(deps.claims, input.claimId);
  const sent = (c.notices ?? []).filter((n) => n.startsWith(REMINDER)).length;
  const outstanding = missing(c.requiredDocuments);
  // Completed between the timeout and now, or ended: the next wait goes straight on.
  if (isFinal(c) || outstanding.length === 0 || c.status !== 'WAITING_FOR_DOCUMENTS')
    return { park: false, reminders: sent };
  if (sent >= deps.maxReminders) {
    const parked = await deps.claims.change(c.id, {
      next: (current) =>
        missing(current.requiredDocuments).length === 0 || hasNotice(current, DOCUMENTS_PARKED)
          ? current
          : { ...withNotice(current, DOCUMENTS_PARKED), waiting: undefined },
      audit: {
        action: 'CLAIM_DOCUMENTS_WAIT_PARKED',
        actor: 'system:claims-remind-documents',
        execution: input.executionArn,
        details: { reminders: sent, missing: outstanding.map((d) => d.type) },
      },
    });
    return { park: hasNotice(parked, DOCUMENTS_PARKED), reminders: sent };
  }
  const key = `${REMINDER}${sent + 1}`;
  const mail = documentsReminderMail(c, outstanding, filerOf(c, deps.opsEmail), deps.apiUrl);
  const { messageId } = await deps.mailer.send(mail);
  await deps.claims.change(c.id, {
    next: (current) => withNotice(current, key),
    audit: {
      action: 'CLAIM_DOCUMENTS_REMINDER_SENT',
      actor: 'system:claims-remind-documents',
      execution: input.executionArn,
      details: { to: mail.to, messageId, round: sent + 1, missing: outstanding.map((d) => d.type) },
    },
  });
  return { park: false, reminders: sent + 1 };
}
