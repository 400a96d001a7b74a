import { ClaimStepInput } from '../core/claims/use-cases/claim-workflow';
import { remindDocuments } from '../core/claims/use-cases/remind-documents';
import { claimStore } from '../wiring/claim-store';
import { maxDocumentReminders } from '../wiring/claims';
import { mailer } from '../wiring/mailer';
import { now, once, setting } from '../wiring/settings';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({
  claims: claimStore(),
  mailer: mailer(),
  apiUrl: setting('API_URL'),
  opsEmail: setting('OPS_EMAIL'),
  maxReminders: maxDocumentReminders(),
  now,
}));

export const handler = taskHandler(ClaimStepInput, (input) => remindDocuments(wiring(), input));
