import { BillSteps } from '../core/contributions/use-cases/bill-steps';
import { checkDueDates } from '../core/contributions/use-cases/daily-billing-check';
import { auditLog } from '../wiring/audit-log';
import { billStore } from '../wiring/bill-store';
import { billedProgrammes, billRecipients, outOfTimeIn } from '../wiring/billing';
import { coverageStore } from '../wiring/coverage-store';
import { mailer } from '../wiring/mailer';
import { logger } from '../wiring/observability';
import { proposalStore } from '../wiring/proposal-store';
import { once, setting } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { BillingRunInput } from './billing-inputs';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({
  bills: billStore(),
  coverages: coverageStore(),
  // Read only: who each village's operator is, for the overdue notice (notify-village-operators.ts).
  proposals: proposalStore(),
  objects: uploadsStore(),
  mailer: mailer(),
  steps: new BillSteps(auditLog(), 'system:billing-check-due-dates'),
  recipientsIn: billRecipients(),
  apiUrl: setting('API_URL'),
  reminderDays: Number(setting('BILL_REMINDER_DAYS')),
}));

/** Reminders before the due date; after it, the bill OVERDUE, its participants in ARREARS or LAPSED, and a notice. */
export const handler = taskHandler(BillingRunInput, async (input, context) => {
  const deps = wiring();
  const { findProgramme, allProgrammes } = await programmesNow();
  const scheduled = new Date(input.scheduledTime);
  const result = await checkDueDates(
    {
      ...deps,
      recipients: deps.recipientsIn(findProgramme),
      programmes: billedProgrammes(allProgrammes),
      now: () => scheduled,
      outOfTime: outOfTimeIn(context),
    },
    input.executionArn,
  );
  logger.info('Due dates checked', result);
  return result;
});
