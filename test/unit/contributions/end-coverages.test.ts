import { describe, expect, it } from 'vitest';
import { endCoverages } from '../../../functions/core/contributions/use-cases/end-coverages';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { MemoryCoverageStore } from './fakes';
import { apply, coverage, on, PROGRAMME, terms } from './fixtures';

const programme = findProgramme(PROGRAMME)!;
const t = terms();
const programmes = () => [{ programme, terms: t }];
/** Midnight in Jakarta is 17:00 UTC the day before. */
const jakartaMidnight = (date: string) => new Date(`${date}T00:00:00+07:00`);

async function storeWith(...coverages: ReturnType<typeof coverage>[]) {
  const store = new MemoryCoverageStore();
  await store.createMany(coverages);
  return store;
}

describe('endCoverages (programme kapuas-2026-apbd, covered to 2026-12-31)', () => {
  it('leaves every coverage alone on the last covered day in Jakarta', async () => {
    const store = await storeWith(coverage(1));
    const result = await endCoverages({
      coverages: store,
      programmes,
      now: () => new Date('2026-12-31T16:59:00Z'),
    });
    expect(result.ended).toBe(0);
    expect((await store.get(PROGRAMME, coverage(1).nik))?.status).toBe('ACTIVE');
  });

  it('ends ACTIVE and ARREARS coverages the day after, naming unpaid months; LAPSED and DECEASED stay', async () => {
    const arrears = apply(coverage(2), t, on.billed('2026-01'), on.duePassed('2026-01'));
    const lapsed = apply(
      coverage(3),
      t,
      ...['2026-01', '2026-02', '2026-03'].flatMap((m) => [on.billed(m), on.duePassed(m)]),
    );
    const deceased = apply(coverage(4), t, { type: 'DIED', at: '2026-05-02T00:00:00Z', dateOfDeath: '2026-05-01' });
    expect([arrears.status, lapsed.status, deceased.status]).toEqual(['ARREARS', 'LAPSED', 'DECEASED']);
    const store = await storeWith(coverage(1), arrears, lapsed, deceased, coverage(5), coverage(6));
    const result = await endCoverages({ coverages: store, programmes, now: () => jakartaMidnight('2027-01-01') });
    expect(result).toEqual({ programmes: [PROGRAMME], ended: 4 });
    const status = async (n: number) => (await store.get(PROGRAMME, coverage(n).nik))?.status;
    expect(await status(1)).toBe('ENDED');
    expect(await status(2)).toBe('ENDED');
    expect(await status(3)).toBe('LAPSED');
    expect(await status(4)).toBe('DECEASED');
    const ended = await store.get(PROGRAMME, arrears.nik);
    expect(ended?.history.at(-1)).toMatchObject({ reason: 'COVERAGE_ENDED', months: ['2026-01'] });
    expect(ended?.history.at(-1)?.note).toContain('Januari 2026 masih belum dibayar');
  });

  it('running again the next day changes nothing', async () => {
    const store = await storeWith(coverage(1));
    await endCoverages({ coverages: store, programmes, now: () => jakartaMidnight('2027-01-01') });
    const first = await store.get(PROGRAMME, coverage(1).nik);
    const again = await endCoverages({ coverages: store, programmes, now: () => jakartaMidnight('2027-01-02') });
    expect(again.ended).toBe(0);
    expect(await store.get(PROGRAMME, coverage(1).nik)).toEqual(first);
  });
});
