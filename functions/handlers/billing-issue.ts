import { indonesianHolidays } from '../core/contributions/holidays';
import { BillSteps } from '../core/contributions/use-cases/bill-steps';
import { billingMonth } from '../core/contributions/use-cases/billing-run';
import { issueMonthBills } from '../core/contributions/use-cases/issue-month-bills';
import { auditLog } from '../wiring/audit-log';
import { billStore } from '../wiring/bill-store';
import { billedProgrammes, outOfTimeIn } from '../wiring/billing';
import { coverageStore } from '../wiring/coverage-store';
import { logger } from '../wiring/observability';
import { once } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { BillingRunInput } from './billing-inputs';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({
  coverages: coverageStore(),
  bills: billStore(),
  objects: uploadsStore(),
  holidays: indonesianHolidays,
  steps: new BillSteps(auditLog(), 'system:billing-issue'),
}));

/**
 * The month's bills, one per programme, with their files and every participant BILLED; `more` when it
 * ran out of time first (the workflow runs it again).
 */
export const handler = taskHandler(BillingRunInput, async (input, context) => {
  const { allProgrammes } = await programmesNow();
  const scheduled = new Date(input.scheduledTime);
  const run = await issueMonthBills(
    { ...wiring(), programmes: billedProgrammes(allProgrammes), now: () => scheduled, outOfTime: outOfTimeIn(context) },
    { month: billingMonth(scheduled), execution: input.executionArn },
  );
  logger.info('Bills issued', { month: run.month, bills: run.bills, more: run.more });
  return run;
});
