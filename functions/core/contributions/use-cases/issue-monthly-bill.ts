import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { BillStore } from '../../../ports/bill-store';
import { BILLABLE_SHARDS, type CoverageStore } from '../../../ports/coverage-store';
import type { ObjectStore } from '../../../ports/object-store';
import { toJsonLines } from '../../proposals/jsonl';
import { BillTally, issueBill, type Bill, type BillProgramme } from '../bill';
import type { CalendarMonth } from '../calendar';
import type { HolidayCalendar } from '../holidays';
import type { ContributionTerms } from '../terms';

/** Who is on a bill, one line each in the bill's participants object. */
export const BillParticipant = z.object({ nik: z.string().regex(/^\d{16}$/), villageCode: z.string().min(1) });
export type BillParticipant = z.infer<typeof BillParticipant>;

/**
 * The list is named by its content: two runs racing for the same month each write their own list, and
 * the bill that wins points at the list it was counted from, never at the other run's.
 */
const billParticipantsKey = (programmeId: string, month: CalendarMonth, body: string) =>
  `bills/${programmeId}/${month}/participants-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.jsonl`;

export type IssueBillDeps = {
  coverages: CoverageStore;
  bills: BillStore;
  objects: ObjectStore;
  holidays: HolidayCalendar;
  now?: () => Date;
};

export type IssueBillResult =
  { outcome: 'ISSUED'; bill: Bill } | { outcome: 'ALREADY_ISSUED'; bill: Bill } | { outcome: 'NOBODY_COVERED' };

/**
 * Issues a programme's bill for a month, once however often the schedule fires: a month that has a
 * bill gets it back; otherwise the billable coverages are counted shard by shard, their list stored,
 * and the bill created on the condition that none exists (a racing run's bill wins and is returned).
 * The events each participant then gets (BILLED) go out from the list, not from here.
 */
export async function issueMonthlyBill(
  deps: IssueBillDeps,
  input: { programme: BillProgramme; terms: ContributionTerms; month: CalendarMonth },
): Promise<IssueBillResult> {
  const { programme, month } = input;
  const existing = await deps.bills.get(programme.id, month);
  if (existing) return { outcome: 'ALREADY_ISSUED', bill: existing };

  const tally = new BillTally(programme.id, month);
  const onBill: BillParticipant[] = [];
  for (let shard = 0; shard < BILLABLE_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      const page = await deps.coverages.billable(programme.id, month, shard, cursor);
      for (const c of page.items) if (tally.addBillable(c)) onBill.push({ nik: c.nik, villageCode: c.villageCode });
      cursor = page.cursor;
    } while (cursor);
  }
  const bill = issueBill({
    programme,
    tally,
    terms: input.terms,
    holidays: deps.holidays,
    issuedAt: (deps.now ?? (() => new Date()))().toISOString(),
  });
  if (!bill) return { outcome: 'NOBODY_COVERED' };

  onBill.sort((a, b) => a.villageCode.localeCompare(b.villageCode) || a.nik.localeCompare(b.nik));
  const body = toJsonLines(onBill);
  const participantsKey = billParticipantsKey(programme.id, month, body);
  // The list first: a stored bill always has its list.
  await deps.objects.put(participantsKey, body, 'application/x-ndjson');
  const stored = await deps.bills.issue({ ...bill, participantsKey });
  return stored.created ? { outcome: 'ISSUED', bill: stored.bill } : { outcome: 'ALREADY_ISSUED', bill: stored.bill };
}
