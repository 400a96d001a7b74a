import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { catalogueOf } from '../../../functions/core/programmes/catalogue-snapshot';
import { contributionTermsFor, rateScheduleFor } from '../../../functions/core/contributions/terms';
import { JP_DISABLED_REASON, type Programme } from '../../../functions/core/programmes/programme';
import {
  programmeChanges,
  programmeProblems,
  ratesInForce,
} from '../../../functions/core/programmes/programme-changes';
import { changeRefusals, standingNeeded } from '../../../functions/core/programmes/refusals';

const apbd = findProgramme('kapuas-2026-apbd')!;
const apbdes = findProgramme('kapuas-2026-apbdes')!;
const kubuRaya = findProgramme('kuburaya-2026-apbd')!;

const jhtUp = (p: Programme, effectiveFrom: string, jhtPercentOfIncome = 3): Programme => ({
  ...p,
  rateChanges: [{ effectiveFrom, declaredMonthlyIncome: 1_000_000, rates: { ...p.rates, jhtPercentOfIncome } }],
});

describe('programmeChanges: what a version changed, for the history', () => {
  it('names each changed field by its path, with what it was and what it became', () => {
    const after = { ...apbd, quota: { scope: 'programme' as const, limit: 6_000 }, approvalTimeoutDays: 10 };
    expect(programmeChanges(apbd, after)).toEqual([
      { field: 'quota.limit', from: 5_000, to: 6_000 },
      { field: 'approvalTimeoutDays', from: 14, to: 10 },
    ]);
  });

  it('takes lists whole, and ignores who saved the version and why', () => {
    const after = {
      ...apbd,
      benefits: ['JKK' as const, 'JKM' as const, 'JHT' as const],
      version: 7,
      changedBy: 'admin:x',
      changedAt: '2026-12-03T01:00:00.000Z',
      reason: 'APBD Perubahan',
    };
    expect(programmeChanges(apbd, after)).toEqual([
      { field: 'benefits', from: ['JKK', 'JKM'], to: ['JKK', 'JKM', 'JHT'] },
    ]);
  });

  it('lists every field of a new programme as set from nothing', () => {
    const changes = programmeChanges(undefined, kubuRaya);
    expect(changes).toContainEqual({ field: 'quota', from: undefined, to: { scope: 'programme', limit: 1_000 } });
    expect(changes.map((c) => c.field)).not.toContain('version');
  });

  it('finds nothing changed between a programme and itself', () => {
    expect(programmeChanges(apbd, structuredClone(apbd))).toEqual([]);
  });
});

describe('programmeProblems: rules between fields', () => {
  it('accepts every seed programme', () => {
    for (const p of [apbd, apbdes, kubuRaya]) expect(programmeProblems(p)).toEqual([]);
  });

  it('refuses JP while the JP setting is off, saying why (PP 45/2015)', () => {
    const problems = programmeProblems({
      ...kubuRaya,
      benefits: ['JKK', 'JKM', 'JHT', 'JP'],
      rates: { ...kubuRaya.rates, jpMonthly: 10_000 },
    });
    expect(problems).toEqual([`JP tidak dapat dipilih selama setelan JP nonaktif. ${JP_DISABLED_REASON}`]);
    expect(JP_DISABLED_REASON).toContain('PP 45/2015');
    expect(
      programmeProblems({
        ...kubuRaya,
        jpEnabled: true,
        benefits: ['JKK', 'JKM', 'JHT', 'JP'],
        rates: { ...kubuRaya.rates, jpMonthly: 10_000 },
      }),
    ).toEqual([]);
  });

  it('refuses a benefit without its rate, reversed dates and ages, and rate changes out of order or period', () => {
    expect(programmeProblems({ ...kubuRaya, rates: { ...kubuRaya.rates, jhtPercentOfIncome: 0 } })).toEqual([
      'JHT dipilih, tetapi tarif JHT-nya 0%.',
    ]);
    expect(programmeProblems({ ...apbd, coverage: { start: '2026-12-31', end: '2026-01-01' } })).toHaveLength(1);
    expect(programmeProblems({ ...apbd, ageLimits: { min: 70, max: 65 } })).toHaveLength(1);
    expect(programmeProblems(jhtUp(apbd, '2026-01'))[0]).toMatch(/sesudah bulan pertama/);
    expect(programmeProblems(jhtUp(apbd, '2027-01'))[0]).toMatch(/sesudah bulan pertama/);
    const twice = jhtUp(apbd, '2026-07');
    twice.rateChanges.push({ ...twice.rateChanges[0]!, effectiveFrom: '2026-05' });
    expect(programmeProblems(twice)[0]).toMatch(/berurutan/);
  });
});

describe('rates with effective months', () => {
  it('are the programme own rates until a change, then the change', () => {
    const p = jhtUp(kubuRaya, '2026-07');
    expect(ratesInForce(p, '2026-06').rates.jhtPercentOfIncome).toBe(2);
    expect(ratesInForce(p, '2026-07').rates.jhtPercentOfIncome).toBe(3);
    expect(ratesInForce(p, '2026-12').rates.jhtPercentOfIncome).toBe(3);
  });

  it('reach the contribution terms as rate schedules, with the programme lapse rule', () => {
    const terms = contributionTermsFor({ ...jhtUp(kubuRaya, '2026-07'), lapseAfterUnpaidMonths: 4 });
    expect(terms.lapseAfterUnpaidMonths).toBe(4);
    expect(rateScheduleFor(terms, '2026-06')?.rates.JHT).toMatchObject({ basisPoints: 200 });
    expect(rateScheduleFor(terms, '2026-07')?.rates.JHT).toMatchObject({ basisPoints: 300 });
    // A setting given by the caller still wins over the programme's own.
    expect(contributionTermsFor(kubuRaya, { lapseAfterUnpaidMonths: 2 }).lapseAfterUnpaidMonths).toBe(2);
  });
});

describe('refusals: a change that would break what stands', () => {
  it('refuses lowering a quota below what proposals reserved, and allows it down to exactly that', () => {
    const lower = (limit: number) => ({ ...apbd, quota: { scope: 'programme' as const, limit } });
    const reserved = { scope: 'programme' as const, count: 4_200 };
    expect(changeRefusals(apbd, lower(4_000), { reserved })).toEqual([
      {
        code: 'QUOTA_BELOW_RESERVED',
        message: 'Kuota tidak dapat diturunkan menjadi 4.000: 4.200 tempat sudah dipesan oleh usulan.',
      },
    ]);
    expect(changeRefusals(apbd, lower(4_200), { reserved })).toEqual([]);
    expect(changeRefusals(apbd, lower(4_000), { reserved: { scope: 'programme', count: 0 } })).toEqual([]);
  });

  it('refuses lowering a per-desa quota below the fullest desa, naming it, and changing the scope of a used quota', () => {
    const perDesa = (limitPerDesa: number) => ({ ...apbdes, quota: { scope: 'desa' as const, limitPerDesa } });
    const reserved = { scope: 'desa' as const, count: 80, villageCode: '62.03.01.2011' };
    const [refusal] = changeRefusals(apbdes, perDesa(50), { reserved });
    expect(refusal).toMatchObject({ code: 'QUOTA_BELOW_RESERVED' });
    expect(refusal!.message).toContain('62.03.01.2011');
    expect(changeRefusals(apbdes, perDesa(80), { reserved })).toEqual([]);
    expect(
      changeRefusals(apbdes, { ...apbdes, quota: { scope: 'programme', limit: 20_000 } }, { reserved }),
    ).toMatchObject([{ code: 'QUOTA_SCOPE_RESERVED' }]);
  });

  it('refuses narrowing the coverage period under enrolled participants, and allows extending it', () => {
    const cover = (start: string, end: string) => ({ ...apbd, coverage: { start, end } });
    expect(changeRefusals(apbd, cover('2026-02-01', '2026-12-31'), { enrolled: 3 })).toMatchObject([
      { code: 'COVERAGE_UNDER_ENROLLED' },
    ]);
    expect(changeRefusals(apbd, cover('2026-01-01', '2026-11-30'), { enrolled: 3 })[0]!.message).toContain(
      '3 peserta sudah terdaftar',
    );
    expect(changeRefusals(apbd, cover('2026-01-01', '2027-03-31'), { enrolled: 3 })).toEqual([]);
    expect(changeRefusals(apbd, cover('2026-02-01', '2026-11-30'), { enrolled: 0 })).toEqual([]);
  });

  it('refuses changing rates, income or benefits for months already billed, and allows a change from a month not billed', () => {
    const billedMonths = ['2026-01', '2026-02', '2026-03'];
    const higherJkm = { ...apbd, rates: { ...apbd.rates, jkmMonthly: 7_000 } };
    const [refusal] = changeRefusals(apbd, higherJkm, { billedMonths });
    expect(refusal).toMatchObject({ code: 'RATES_OF_BILLED_MONTHS' });
    expect(refusal!.message).toContain('2026-01, 2026-02, 2026-03');
    expect(changeRefusals(apbd, { ...apbd, benefits: ['JKK', 'JKM', 'JHT'] }, { billedMonths })).toHaveLength(1);
    expect(changeRefusals(apbd, { ...apbd, declaredMonthlyIncome: 1_500_000 }, { billedMonths })).toHaveLength(1);
    const fromMarch = jhtUp({ ...apbd, benefits: ['JKK', 'JKM', 'JHT'] }, '2026-03');
    expect(
      changeRefusals({ ...apbd, benefits: ['JKK', 'JKM', 'JHT'] }, fromMarch, { billedMonths })[0]!.message,
    ).toContain('(2026-03)');
    expect(changeRefusals(apbd, jhtUp(apbd, '2026-04'), { billedMonths })).toEqual([]);
  });

  it('refuses moving a programme to another regency', () => {
    expect(changeRefusals(apbd, { ...apbd, regency: kubuRaya.regency }, {})).toMatchObject([
      { code: 'REGENCY_CHANGED' },
    ]);
  });

  it('asks only for what a change touches', () => {
    expect(standingNeeded(apbd, { ...apbd, name: 'x' })).toEqual({ quota: false, enrolled: false, bills: false });
    expect(standingNeeded(apbd, { ...apbd, quota: { scope: 'programme', limit: 1 } })).toMatchObject({ quota: true });
    expect(standingNeeded(apbd, { ...apbd, coverage: { ...apbd.coverage, end: '2026-11-30' } })).toMatchObject({
      enrolled: true,
      bills: false,
    });
    expect(standingNeeded(apbd, jhtUp(apbd, '2026-05'))).toMatchObject({ bills: true });
  });
});

describe('catalogueOf: a snapshot of every stored version', () => {
  it('finds the highest version as current, keeps every version, and lists in the seed order', () => {
    const v2 = { ...apbd, version: 2, quota: { scope: 'programme' as const, limit: 6_000 } };
    const catalogue = catalogueOf([v2, kubuRaya, apbd, apbdes]);
    expect(catalogue.find(apbd.id)).toBe(v2);
    expect(catalogue.version(apbd.id, 1)).toBe(apbd);
    expect(catalogue.version(apbd.id, 3)).toBeUndefined();
    expect(catalogue.all().map((p) => p.id)).toEqual([apbd.id, apbdes.id, kubuRaya.id]);
  });
});
