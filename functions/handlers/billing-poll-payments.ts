import { BillSteps } from '../core/contributions/use-cases/bill-steps';
import { pollPayments } from '../core/contributions/use-cases/daily-billing-check';
import { auditLog } from '../wiring/audit-log';
import { billStore } from '../wiring/bill-store';
import { billedProgrammes, billRecipients, bpjsCall, bpjsPayments, outOfTimeIn } from '../wiring/billing';
import { coverageStore } from '../wiring/coverage-store';
import { mailer } from '../wiring/mailer';
import { logger } from '../wiring/observability';
import { once, setting } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { BillingRunInput } from './billing-inputs';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({
  bills: billStore(),
  coverages: coverageStore(),
  objects: uploadsStore(),
  mailer: mailer(),
  bpjs: bpjsPayments(),
  steps: new BillSteps(auditLog(), 'system:billing-poll-payments'),
  recipientsIn: billRecipients(),
  apiUrl: setting('API_URL'),
}));

/** What BPJS received to each open bill's payment code, recorded; bills paid in full carried to their participants. */
export const handler = taskHandler(BillingRunInput, async (input, context) => {
  const deps = wiring();
  const { findProgramme, allProgrammes } = await programmesNow();
  const scheduled = new Date(input.scheduledTime);
  const call = bpjsCall(deps.bpjs.limits, Date.now() + context.getRemainingTimeInMillis());
  const result = await pollPayments(
    {
      ...deps,
      recipients: deps.recipientsIn(findProgramme),
      programmes: billedProgrammes(allProgrammes),
      call,
      now: () => scheduled,
      outOfTime: outOfTimeIn(context),
    },
    input.executionArn,
  );
  logger.info('Payments polled', result);
  return result;
});
