import type { BillStore } from '../../../ports/bill-store';
import type { Mailer } from '../../../ports/mailer';
import type { Bill } from '../bill';
import { billDocumentsPrefix } from '../bill-keys';
import { billIssuedMail, type BillRecipients } from '../billing-mails';
import type { CalendarMonth } from '../calendar';
import type { BillSteps } from './bill-steps';

export type NoticeDeps = {
  bills: BillStore;
  mailer: Mailer;
  steps: BillSteps;
  /** Who hears of a bill: by the programme version it was issued under (`programmeVersion`). */
  recipients: (bill: Pick<Bill, 'programmeId' | 'programmeVersion'>) => BillRecipients;
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
    await deps.mailer.send(billIssuedMail(bill, deps.recipients(bill), deps.apiUrl, prefix));
    // Whether the code went with it: if not, the daily check mails it when BPJS issues one.
    await deps.steps.record(bill, 'NOTICE_ISSUED', { withPaymentCode: Boolean(bill.paymentCode) }, execution);
    mailed += 1;
  }
  return { mailed };
}
