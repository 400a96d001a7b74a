import { BillSteps } from '../core/contributions/use-cases/bill-steps';
import { mailIssuedBills } from '../core/contributions/use-cases/mail-issued-bills';
import { auditLog } from '../wiring/audit-log';
import { billStore } from '../wiring/bill-store';
import { billRecipients } from '../wiring/billing';
import { mailer } from '../wiring/mailer';
import { once, setting } from '../wiring/settings';
import { IssuedBillsInput } from './billing-inputs';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({
  bills: billStore(),
  mailer: mailer(),
  steps: new BillSteps(auditLog(), 'system:billing-mail-issued'),
  recipientsIn: billRecipients(),
  apiUrl: setting('API_URL'),
}));

/** Finance and Dinas Sosial hear of each new bill, once. */
export const handler = taskHandler(IssuedBillsInput, async (input) => {
  const deps = wiring();
  const { findProgramme } = await programmesNow();
  return mailIssuedBills({ ...deps, recipients: deps.recipientsIn(findProgramme) }, input.bills, input.executionArn);
});
