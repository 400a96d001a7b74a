import type { BillStore } from '../../../ports/bill-store';
import { recordPayment, type Bill, type Payment } from '../bill';
import { jakartaDate, type CalendarMonth } from '../calendar';
import type { CoverageEvent } from '../coverage';

export type RecordPaymentDeps = { bills: BillStore; now?: () => Date };

/**
 * Records a payment against a month's bill (finance through the API, or BPJS confirming its payment
 * code). When this payment is the one that pays the bill in full, the result carries the BILL_PAID
 * event every participant on the bill is to get; partial payments and over-payments are held on the
 * bill and move nobody (coverage.ts: a bill is paid as a whole).
 */
export async function recordBillPayment(
  deps: RecordPaymentDeps,
  input: { programmeId: string; month: CalendarMonth; payment: Omit<Payment, 'recordedAt'> },
): Promise<{ bill: Bill; paidInFull?: Extract<CoverageEvent, { type: 'BILL_PAID' }> }> {
  const now = (deps.now ?? (() => new Date()))();
  let completed = false;
  const bill = await deps.bills.update(input.programmeId, input.month, (current) => {
    const result = recordPayment(current, { ...input.payment, recordedAt: now.toISOString() }, jakartaDate(now));
    completed = result.completed;
    return result.bill;
  });
  if (!completed || !bill.paidInFullOn) return { bill };
  return {
    bill,
    paidInFull: {
      type: 'BILL_PAID',
      at: now.toISOString(),
      month: bill.month,
      billId: bill.id,
      paidOn: bill.paidInFullOn,
      dueDate: bill.due.date,
    },
  };
}
