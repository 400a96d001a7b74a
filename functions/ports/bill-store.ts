import type { Bill } from '../core/contributions/bill';
import type { CalendarDate, CalendarMonth } from '../core/contributions/calendar';

export class BillNotFoundError extends Error {
  constructor(programmeId: string, month: CalendarMonth) {
    super(`No bill for ${programmeId} in ${month}`);
    this.name = 'BillNotFoundError';
  }
}

/**
 * Monthly bills, one per programme and month (key design in functions/core/contributions/README.md).
 */
export interface BillStore {
  get(programmeId: string, month: CalendarMonth): Promise<Bill | undefined>;
  /** A programme's bills, newest month first. */
  byProgramme(programmeId: string): Promise<Bill[]>;
  /**
   * Stores the bill unless its programme and month already have one (the bill id is the idempotency
   * key); returns the bill that is stored either way and whether this call created it.
   */
  issue(bill: Bill): Promise<{ bill: Bill; created: boolean }>;
  /**
   * Replaces the bill with `next(current)` on the condition that nobody wrote it in between (reads
   * again and calls `next` again on a conflict, so `next` must be pure). Throws BillNotFoundError.
   */
  update(programmeId: string, month: CalendarMonth, next: (current: Bill) => Bill): Promise<Bill>;
  /** Bills not yet paid in full (ISSUED, PARTLY_PAID, OVERDUE) whose due date is before `day`. */
  openDueBefore(day: CalendarDate): Promise<Bill[]>;
}
