import type { BillStore } from '../../../ports/bill-store';
import { refreshBillStatus, type Bill } from '../bill';
import { jakartaDate } from '../calendar';
import type { CoverageEvent } from '../coverage';

export type MarkOverdueDeps = { bills: BillStore; now?: () => Date };

/**
 * The daily due-date check: every bill not paid in full whose due date has passed (in Jakarta)
 * becomes OVERDUE. Each bill that became OVERDUE in this run comes back with the DUE_DATE_PASSED
 * event its participants are to get; a bill already OVERDUE is not sent again (the events are
 * idempotent, but 100,000 of them every day would not be).
 */
export async function markOverdueBills(
  deps: MarkOverdueDeps,
): Promise<{ bill: Bill; event: Extract<CoverageEvent, { type: 'DUE_DATE_PASSED' }> }[]> {
  const now = (deps.now ?? (() => new Date()))();
  const today = jakartaDate(now);
  const newlyOverdue = [];
  for (const open of await deps.bills.openDueBefore(today)) {
    let became = false;
    const bill = await deps.bills.update(open.programmeId, open.month, (current) => {
      const next = refreshBillStatus(current, today);
      became = current.status !== 'OVERDUE' && next.status === 'OVERDUE';
      return next;
    });
    if (became) {
      newlyOverdue.push({
        bill,
        event: { type: 'DUE_DATE_PASSED' as const, at: now.toISOString(), month: bill.month },
      });
    }
  }
  return newlyOverdue;
}
