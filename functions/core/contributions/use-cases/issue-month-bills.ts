import type { BillStore } from '../../../ports/bill-store';
import type { ObjectStore } from '../../../ports/object-store';
import type { Bill } from '../bill';
import { villageWorkbook, XLSX_CONTENT_TYPE } from '../bill-documents';
import { billDocumentsPrefix, billJsonKey, villageWorkbookKey } from '../bill-keys';
import type { CalendarMonth } from '../calendar';
import { overlapsMonth } from '../coverage';
import type { HolidayCalendar } from '../holidays';
import { BillingPausedError, BillSteps, ensureBilled, type CoverageUpdates, type OutOfTime } from './bill-steps';
import type { BilledProgramme, MonthlyRun } from './billing-run';
import { issueMonthlyBill } from './issue-monthly-bill';
import { billParticipants } from './update-coverage';

export type IssueMonthDeps = {
  coverages: CoverageUpdates & Parameters<typeof issueMonthlyBill>[0]['coverages'];
  bills: BillStore;
  objects: ObjectStore;
  holidays: HolidayCalendar;
  steps: BillSteps;
  programmes: () => readonly BilledProgramme[];
  now: () => Date;
  outOfTime?: OutOfTime;
};

/**
 * The monthly run's first step: for every programme whose period touches the month, its bill (made
 * once: a second firing finds it), the bill's files, and BILLED on everyone on it. A bill the first
 * firing left half done (its files or its events) is finished by the next; one already done is
 * left alone.
 *
 * Out of time half way through a bill's participants, it answers `more: true` and the workflow runs
 * it again; the bills it made are then found, and their outcome reads ALREADY_ISSUED in that run.
 */
export async function issueMonthBills(
  deps: IssueMonthDeps,
  input: { month: CalendarMonth; execution?: string },
): Promise<MonthlyRun> {
  const run: MonthlyRun = { month: input.month, bills: [], more: false };
  try {
    await issueEach(deps, input, run);
  } catch (error) {
    if (!(error instanceof BillingPausedError)) throw error;
    return { ...run, more: true };
  }
  return run;
}

async function issueEach(deps: IssueMonthDeps, input: { month: CalendarMonth; execution?: string }, run: MonthlyRun) {
  for (const { programme, terms } of deps.programmes()) {
    if (!overlapsMonth(programme.coverage, input.month)) continue;
    const issued = await issueMonthlyBill(deps, { programme, terms, month: input.month });
    if (issued.outcome === 'NOBODY_COVERED') continue;
    const { bill } = issued;
    const done = await deps.steps.done(bill);
    if (!done.has('DOCUMENTS_WRITTEN')) {
      await writeBillDocuments(deps, bill);
      await deps.steps.record(
        bill,
        'DOCUMENTS_WRITTEN',
        { prefix: billDocumentsPrefix(bill.programmeId, bill.month) },
        input.execution,
      );
    }
    await ensureBilled(deps, bill, terms, done, input.execution);
    run.bills.push({ programmeId: bill.programmeId, month: bill.month, outcome: issued.outcome });
  }
}

/** The bill as JSON and an XLSX per village, from the participants list stored with it. */
async function writeBillDocuments(deps: Pick<IssueMonthDeps, 'objects'>, bill: Bill) {
  await deps.objects.put(billJsonKey(bill), JSON.stringify(bill, null, 2), 'application/json');
  // The list is sorted by village, so one village's NIKs are together: one village in memory at a time.
  let village: string | undefined;
  let niks: string[] = [];
  const flush = async () => {
    if (village === undefined) return;
    await deps.objects.put(
      villageWorkbookKey(bill, village),
      await villageWorkbook(bill, village, niks),
      XLSX_CONTENT_TYPE,
    );
  };
  for await (const p of billParticipants(deps, bill)) {
    if (p.villageCode !== village) {
      await flush();
      village = p.villageCode;
      niks = [];
    }
    niks.push(p.nik);
  }
  await flush();
}
