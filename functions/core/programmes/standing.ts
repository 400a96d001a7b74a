import pMap from 'p-map';
import type { BillStore } from '../../ports/bill-store';
import type { ParticipantCounts } from '../../ports/participant-counts';
import type { QuotaLedger } from '../../ports/quota-ledger';
import { quotaOf } from '../proposals/reservations';
import { villagesOfRegency } from '../regions/villages';
import type { Programme } from './programme';
import type { Standing, standingNeeded } from './refusals';

/** Where what stands under a programme is kept. */
export type StandingSources = {
  ledger: Pick<QuotaLedger, 'reserved'>;
  counts: ParticipantCounts;
  bills: Pick<BillStore, 'byProgramme'>;
};

/**
 * What stands under a programme, read only for the parts a change touches: the places its proposals
 * reserved (the programme's counter, or each desa's, keeping the fullest), its participants (counted
 * per village where they are kept), and the months it has bills for.
 */
export async function readStanding(
  sources: StandingSources,
  programme: Programme,
  needed: ReturnType<typeof standingNeeded>,
): Promise<Standing> {
  const villages = villagesOfRegency(programme.regency.code).map((v) => v.code);
  const standing: Standing = {};
  if (needed.quota) {
    if (programme.quota.scope === 'programme') {
      standing.reserved = {
        scope: 'programme',
        count: await sources.ledger.reserved(quotaOf(programme, villages[0] ?? programme.regency.code)),
      };
    } else {
      const counts = await pMap(
        villages,
        async (villageCode) => ({ villageCode, count: await sources.ledger.reserved(quotaOf(programme, villageCode)) }),
        { concurrency: 16 },
      );
      const fullest = counts.reduce((a, b) => (b.count > a.count ? b : a), { villageCode: '', count: 0 });
      standing.reserved = { scope: 'desa', ...fullest };
    }
  }
  if (needed.enrolled) {
    const counts = await sources.counts.byVillage(programme.id, villages);
    standing.enrolled = [...counts.values()].reduce((a, b) => a + b, 0);
  }
  if (needed.bills) standing.billedMonths = (await sources.bills.byProgramme(programme.id)).map((b) => b.month);
  return standing;
}
