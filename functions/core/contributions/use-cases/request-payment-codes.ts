import type { BillStore } from '../../../ports/bill-store';
import type { BpjsPayments } from '../../../ports/bpjs';
import type { CalendarMonth } from '../calendar';
import { paymentCodeRequestFor } from './bill-steps';

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
