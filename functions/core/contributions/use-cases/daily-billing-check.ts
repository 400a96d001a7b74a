import type { BillStore } from '../../../ports/bill-store';
import type { BpjsPayments } from '../../../ports/bpjs';
import type { CoverageStore } from '../../../ports/coverage-store';
import type { ObjectStore } from '../../../ports/object-store';
import type { Bill } from '../bill';
import { dueSoonMail, overdueMail, paymentCodeMail } from '../billing-mails';
import { addDays, jakartaDate } from '../calendar';
import { familiesAtRisk, type Coverage } from '../coverage';
import {
  applyToBill,
  BillingPausedError,
  ensureBilled,
  paymentCodeRequestFor,
  type CoverageUpdates,
  type OutOfTime,
} from './bill-steps';
import { endCoverages } from './end-coverages';
import { markOverdueBills } from './mark-overdue-bills';
import { notifyVillageOperators, type VillageOperatorDeps } from './notify-village-operators';
import type { BilledProgramme } from './billing-run';
import type { NoticeDeps } from './mail-issued-bills';
import { recordBillPayment } from './record-bill-payment';

/**
 * The daily check, in two steps the workflow runs one after the other:
 *
 * 1. `pollPayments` asks BPJS, for every open bill, what was paid to its payment code, and records
 *    each new transfer against the bill (record-bill-payment). Polling through the BPJS port rather
 *    than being called back: BPJS Ketenagakerjaan offers partners no webhook we know of (DOMAIN.md:
 *    no public partner API), a callback would need an endpoint open to the internet with a credential
 *    to manage, and a missed callback would leave a paid bill unpaid for good; a daily question to
 *    BPJS is what a real integration can count on, and missing a day only delays it. It also asks
 *    for the payment codes BPJS could not issue when the bill was (and mails them, once).
 *
 * 2. `checkDueDates`: bills past their due date become OVERDUE (mark-overdue-bills), their
 *    participants ARREARS, and LAPSED at the programme's threshold; finance and Dinas Sosial hear
 *    how many families risk their scholarship clock, and each village's operator (the address of the
 *    village's latest enrolled proposal) hears of that village's families only
 *    (notify-village-operators). Bills due within `reminderDays`
 *    get a reminder. Each notice goes once per bill and kind (BillSteps). Last, coverages past
 *    their programme's period END (end-coverages).
 *
 * Both work from "today" as the schedule's time in Jakarta, so a day can be replayed.
 */
export type DailyDeps = NoticeDeps & {
  coverages: CoverageUpdates & Pick<CoverageStore, 'billable'>;
  objects: ObjectStore;
  programmes: () => readonly BilledProgramme[];
  now: () => Date;
  outOfTime?: OutOfTime;
};

/**
 * Runs a daily step, answering `more: true` when it ran out of time half way through a bill's
 * participants (bill-steps.ts): the workflow runs it again, and what was done is not done twice.
 * The counts are of this run only.
 */
async function untilOutOfTime<R extends object>(result: R, step: (result: R) => Promise<unknown>) {
  try {
    await step(result);
    return { ...result, more: false };
  } catch (error) {
    if (!(error instanceof BillingPausedError)) throw error;
    return { ...result, more: true };
  }
}

/** Every bill of every programme: tens of items (a programme runs a year at most), read by key. */
async function allBills(deps: { bills: BillStore; programmes: () => readonly BilledProgramme[] }) {
  const bills: { bill: Bill; programme: BilledProgramme }[] = [];
  for (const p of deps.programmes())
    for (const bill of await deps.bills.byProgramme(p.programme.id)) bills.push({ bill, programme: p });
  return bills;
}

const OPEN: readonly Bill['status'][] = ['ISSUED', 'PARTLY_PAID', 'OVERDUE'];

export async function pollPayments(
  deps: DailyDeps & {
    bpjs: Pick<BpjsPayments, 'requestPaymentCode' | 'getPaymentStatus'>;
    call: <T>(send: () => Promise<T>) => Promise<T>;
  },
  execution?: string,
) {
  return untilOutOfTime({ paymentCodes: 0, paymentsRecorded: 0, billsPaid: 0 }, async (result) => {
    for (const { bill: read, programme } of await allBills(deps)) {
      let bill = read;
      const done = await deps.steps.done(bill);
      await ensureBilled(deps, bill, programme.terms, done, execution);
      if (!bill.paymentCode && OPEN.includes(bill.status)) {
        const answer = await deps.call(() => deps.bpjs.requestPaymentCode(paymentCodeRequestFor(bill)));
        bill = await deps.bills.update(bill.programmeId, bill.month, (b) =>
          b.paymentCode ? b : { ...b, paymentCode: answer.paymentCode },
        );
        result.paymentCodes += 1;
      }
      // The first mail went without the code: send it now that there is one.
      if (
        bill.paymentCode &&
        done.get('NOTICE_ISSUED')?.withPaymentCode === false &&
        !done.has('NOTICE_PAYMENT_CODE')
      ) {
        await deps.mailer.send(paymentCodeMail(bill, deps.recipients(bill), deps.apiUrl));
        await deps.steps.record(bill, 'NOTICE_PAYMENT_CODE', {}, execution);
      }
      if (bill.paymentCode && OPEN.includes(bill.status)) {
        const code = bill.paymentCode;
        const status = await deps.call(() => deps.bpjs.getPaymentStatus(code));
        for (const received of status?.payments ?? []) {
          if (bill.payments.some((p) => p.bankReference === received.reference)) continue;
          const recorded = await recordBillPayment(deps, {
            programmeId: bill.programmeId,
            month: bill.month,
            payment: {
              bankReference: received.reference,
              amount: received.amount,
              paidOn: received.paidOn,
              recordedBy: 'bpjs',
            },
          });
          bill = recorded.bill;
          result.paymentsRecorded += 1;
        }
      }
      // Paid in full (by BPJS's word or by finance's entry): everyone on the bill gets the month paid,
      // once; a run that stopped half way through is finished here the next day.
      if (bill.paidInFullOn && !done.has('PAID_APPLIED')) {
        const event = {
          type: 'BILL_PAID' as const,
          at: deps.now().toISOString(),
          month: bill.month,
          billId: bill.id,
          paidOn: bill.paidInFullOn,
          dueDate: bill.due.date,
        };
        const applied = await applyToBill(deps, bill, event, programme.terms);
        await deps.steps.record(bill, 'PAID_APPLIED', applied, execution);
        result.billsPaid += 1;
      }
    }
  });
}

export async function checkDueDates(
  deps: DailyDeps & { reminderDays: number; proposals: VillageOperatorDeps['proposals'] },
  execution?: string,
) {
  const now = deps.now();
  const today = jakartaDate(now);
  const counts = { overdue: 0, inArrears: 0, lapsed: 0, clockWouldReset: 0, villagesTold: 0, reminders: 0, ended: 0 };
  return untilOutOfTime(counts, async (result) => {
    await markOverdueBills({ bills: deps.bills, now: deps.now });
    for (const { bill, programme } of await allBills(deps)) {
      const done = await deps.steps.done(bill);
      await ensureBilled(deps, bill, programme.terms, done, execution);
      if (bill.status === 'OVERDUE' && !done.has('OVERDUE_APPLIED')) {
        // Every OVERDUE bill not yet carried through, not only those that turned today: a run that
        // failed half way is finished by the next one.
        const after: Coverage[] = [];
        const event = { type: 'DUE_DATE_PASSED' as const, at: now.toISOString(), month: bill.month };
        // Kept for the count of families at risk: only what it reads, not each record's whole history.
        const slim = (c: Coverage) => ({ ...c, months: c.months.filter((m) => m.state === 'OVERDUE'), history: [] });
        const applied = await applyToBill(deps, bill, event, programme.terms, (c) => after.push(slim(c)));
        const risk = familiesAtRisk(after, programme.terms);
        const lapsed = after.filter((c) => c.status === 'LAPSED').length;
        if (!done.has('NOTICE_OVERDUE')) {
          // Under the same step: a crash before it is recorded sends the notices again (at worst twice).
          const villagesTold = await notifyVillageOperators(deps, bill, risk, after);
          await deps.mailer.send(overdueMail(bill, risk, lapsed, deps.recipients(bill), deps.apiUrl));
          await deps.steps.record(
            bill,
            'NOTICE_OVERDUE',
            { inArrears: risk.inArrears, clockWouldReset: risk.clockWouldReset, lapsed, villagesTold },
            execution,
          );
          result.villagesTold += villagesTold.length;
        }
        await deps.steps.record(bill, 'OVERDUE_APPLIED', applied, execution);
        result.overdue += 1;
        result.inArrears += risk.inArrears;
        result.lapsed += lapsed;
        result.clockWouldReset += risk.clockWouldReset;
      }
      const dueSoon = today <= bill.due.date && addDays(today, deps.reminderDays) >= bill.due.date;
      if (dueSoon && (bill.status === 'ISSUED' || bill.status === 'PARTLY_PAID') && !done.has('NOTICE_DUE_SOON')) {
        await deps.mailer.send(dueSoonMail(bill, deps.recipients(bill), deps.apiUrl));
        await deps.steps.record(bill, 'NOTICE_DUE_SOON', { today }, execution);
        result.reminders += 1;
      }
    }
    // After the due dates: the last month's arrears are on record before a coverage ends.
    result.ended = (await endCoverages(deps)).ended;
  });
}
