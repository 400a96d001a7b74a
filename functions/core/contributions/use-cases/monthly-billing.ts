import * as z from 'zod';
import type { BillStore } from '../../../ports/bill-store';
import type { BpjsPayments } from '../../../ports/bpjs';
import type { Mailer } from '../../../ports/mailer';
import type { ObjectStore } from '../../../ports/object-store';
import type { Programme } from '../../programmes/programme';
import type { Bill } from '../bill';
import {
  billDocumentsPrefix,
  billJsonKey,
  villageWorkbook,
  villageWorkbookKey,
  XLSX_CONTENT_TYPE,
} from '../bill-documents';
import { billIssuedMail, type BillRecipients } from '../billing-mails';
import { CalendarMonth, jakartaDate, monthOf } from '../calendar';
import { overlapsMonth } from '../coverage';
import type { HolidayCalendar } from '../holidays';
import type { ContributionTerms } from '../terms';
import { BillSteps, ensureBilled, paymentCodeRequestFor, type CoverageUpdates } from './bill-steps';
import { issueMonthlyBill } from './issue-monthly-bill';
import { billParticipants } from './update-coverage';

/** A programme as billing sees it: the catalogue's record and its contribution terms. */
export type BilledProgramme = { programme: Programme; terms: ContributionTerms };

/** What the monthly run hands from one state to the next: the month and the bills, by id only. */
export const MonthlyRun = z.object({
  month: CalendarMonth,
  bills: z.array(
    z.object({ programmeId: z.string(), month: CalendarMonth, outcome: z.enum(['ISSUED', 'ALREADY_ISSUED']) }),
  ),
});
export type MonthlyRun = z.infer<typeof MonthlyRun>;

/** The month a run bills: the Jakarta month of the time the schedule was due to fire (not of when it ran). */
export const billingMonth = (scheduledTime: Date): CalendarMonth => monthOf(jakartaDate(scheduledTime));

export type IssueMonthDeps = {
  coverages: CoverageUpdates & Parameters<typeof issueMonthlyBill>[0]['coverages'];
  bills: BillStore;
  objects: ObjectStore;
  holidays: HolidayCalendar;
  steps: BillSteps;
  programmes: () => readonly BilledProgramme[];
  now: () => Date;
};

/**
 * The monthly run's first step: for every programme whose period touches the month, its bill (made
 * once: a second firing finds it), the bill's files, and BILLED on everyone on it. A bill the first
 * firing left half done (its files or its events) is finished by the next; one already done is
 * left alone.
 */
export async function issueMonthBills(deps: IssueMonthDeps, input: { month: CalendarMonth; execution?: string }) {
  const run: MonthlyRun = { month: input.month, bills: [] };
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
  return run;
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

/**
 * Asks BPJS for the payment code of each bill that has none (asking again for one it has is
 * harmless: BPJS answers the same code). `call` paces and retries the requests (bpjs-caller.ts).
 */
export async function requestPaymentCodes(
  deps: {
    bills: BillStore;
    bpjs: Pick<BpjsPayments, 'requestPaymentCode'>;
    call: <T>(send: () => Promise<T>) => Promise<T>;
  },
  bills: readonly { programmeId: string; month: CalendarMonth }[],
): Promise<{ requested: number }> {
  let requested = 0;
  for (const ref of bills) {
    const bill = await deps.bills.get(ref.programmeId, ref.month);
    if (!bill || bill.paymentCode) continue;
    const answer = await deps.call(() => deps.bpjs.requestPaymentCode(paymentCodeRequestFor(bill)));
    await deps.bills.update(bill.programmeId, bill.month, (b) =>
      b.paymentCode ? b : { ...b, paymentCode: answer.paymentCode },
    );
    requested += 1;
  }
  return { requested };
}

export type NoticeDeps = {
  bills: BillStore;
  mailer: Mailer;
  steps: BillSteps;
  recipients: (programmeId: string) => BillRecipients;
  apiUrl: string;
};

/** Mails finance and Dinas Sosial each new bill, once per bill. */
export async function mailIssuedBills(
  deps: NoticeDeps,
  bills: readonly { programmeId: string; month: CalendarMonth }[],
  execution?: string,
): Promise<{ mailed: number }> {
  let mailed = 0;
  for (const ref of bills) {
    const bill = await deps.bills.get(ref.programmeId, ref.month);
    if (!bill || (await deps.steps.done(bill)).has('NOTICE_ISSUED')) continue;
    const prefix = billDocumentsPrefix(bill.programmeId, bill.month);
    await deps.mailer.send(billIssuedMail(bill, deps.recipients(bill.programmeId), deps.apiUrl, prefix));
    // Whether the code went with it: if not, the daily check mails it when BPJS issues one.
    await deps.steps.record(bill, 'NOTICE_ISSUED', { withPaymentCode: Boolean(bill.paymentCode) }, execution);
    mailed += 1;
  }
  return { mailed };
}
