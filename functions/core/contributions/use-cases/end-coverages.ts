import { BILLABLE_SHARDS, type CoverageStore } from '../../../ports/coverage-store';
import { jakartaDate, monthOf } from '../calendar';
import { applyCoverageEvent, type CoverageEvent } from '../coverage';
import type { BilledProgramme } from './billing-run';

/**
 * At the end of a programme's coverage period its participants END: from the day after the last
 * covered day (Jakarta), every coverage still ACTIVE or ARREARS whose own end has passed moves to
 * ENDED with the unpaid months named (coverage.ts `coverageEnded`), so nobody is billed or shown
 * as covered past the period, and a renewal can tell who was still covered when it ended.
 *
 * Read from the billable index (the shards of the coverage's last month), never by scanning: at
 * 100,000 participants that is the same ten queries a monthly bill costs. LAPSED coverages are not
 * in that index and keep LAPSED: it is the more telling status for them (cover already stopped
 * for unpaid months), and one restored by a late payment is ACTIVE again, so the next daily run
 * ends it. Idempotent: an ended coverage leaves the index, and the event changes nothing twice.
 */
export type EndCoveragesDeps = {
  coverages: Pick<CoverageStore, 'billable' | 'update'>;
  programmes: () => readonly BilledProgramme[];
  now: () => Date;
};

export async function endCoverages(deps: EndCoveragesDeps) {
  const now = deps.now();
  const today = jakartaDate(now);
  const event: CoverageEvent = { type: 'COVERAGE_ENDED', at: now.toISOString() };
  const result = { programmes: [] as string[], ended: 0 };
  for (const { programme, terms } of deps.programmes()) {
    if (programme.coverage.end >= today) continue;
    // A coverage's own end is never after its programme's: its last month is the programme's.
    const lastMonth = monthOf(programme.coverage.end);
    let ended = 0;
    for (let shard = 0; shard < BILLABLE_SHARDS; shard += 1) {
      let cursor: string | undefined;
      const due: string[] = [];
      do {
        const page = await deps.coverages.billable(programme.id, lastMonth, shard, cursor);
        for (const c of page.items) if (c.end < today) due.push(c.nik);
        cursor = page.cursor;
      } while (cursor);
      // Read the whole shard first: ending one removes it from the index the pages walk.
      for (const nik of due) {
        const stored = await deps.coverages.update(programme.id, nik, (c) => applyCoverageEvent(c, event, terms));
        if (stored.status === 'ENDED') ended += 1;
      }
    }
    if (ended > 0) result.programmes.push(programme.id);
    result.ended += ended;
  }
  return result;
}
