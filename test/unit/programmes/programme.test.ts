import { describe, expect, it } from 'vitest';
import { allProgrammes, findProgramme } from '../../../functions/core/programmes/catalogue';
import {
  Programme,
  coverageMonths,
  impliedBudget,
  monthlyContributionPerPerson,
} from '../../../functions/core/programmes/programme';

const apbd2025 = findProgramme('kapuas-2025-apbd')!;
const apbdes = findProgramme('kapuas-2026-apbdes')!;

const kapuas = () => allProgrammes().filter((p) => p.regency.code === '62.03');
const kubuRaya = findProgramme('kuburaya-2026-apbd')!;

describe('the catalogue (the seed)', () => {
  it('has the four Kapuas programmes with their quotas', () => {
    expect(kapuas().map((p) => [p.id, p.fundingSource, p.quota])).toEqual([
      ['kapuas-2025-apbd', 'APBD', { scope: 'programme', limit: 10_000 }],
      ['kapuas-2026-apbd', 'APBD', { scope: 'programme', limit: 5_000 }],
      ['kapuas-2026-dbh-sawit', 'DBH_SAWIT', { scope: 'programme', limit: 500 }],
      ['kapuas-2026-apbdes', 'APBDES', { scope: 'desa', limitPerDesa: 100 }],
    ]);
  });

  it('places the Kapuas programmes in Kabupaten Kapuas (62.03), covering JKK and JKM only', () => {
    for (const p of kapuas()) {
      expect(p.regency).toEqual({ code: '62.03', name: 'Kabupaten Kapuas' });
      expect(p.benefits).toEqual(['JKK', 'JKM']);
    }
  });

  it('has Kubu Raya 2026 (61.12) with JHT beside JKK and JKM, at Rp36,800 a month, JP off', () => {
    expect(allProgrammes().map((p) => p.id)).toEqual([
      'kapuas-2025-apbd',
      'kapuas-2026-apbd',
      'kapuas-2026-dbh-sawit',
      'kapuas-2026-apbdes',
      'kuburaya-2026-apbd',
    ]);
    expect(kubuRaya.regency).toEqual({ code: '61.12', name: 'Kabupaten Kubu Raya' });
    expect(kubuRaya.fundingSource).toBe('APBD');
    expect(kubuRaya.benefits).toEqual(['JKK', 'JKM', 'JHT']);
    // JKK 1% + JKM Rp6,800 + JHT 2% of the lowest bracket, Rp1,000,000 (DOMAIN.md).
    expect(monthlyContributionPerPerson(kubuRaya)).toBe(10_000 + 6_800 + 20_000);
    expect(kubuRaya.jpEnabled).toBe(false);
    expect(kubuRaya.approverEmail).toMatch(/@kuburayakab\.go\.id$/);
  });

  it('starts every programme at version 1, with its sources and the lapse rule of 3 months', () => {
    for (const p of allProgrammes()) {
      expect(p.version).toBe(1);
      expect(p.sources?.length).toBeGreaterThan(0);
      expect(p.lapseAfterUnpaidMonths).toBe(3);
      expect(p.rateChanges).toEqual([]);
    }
  });

  it('finds nothing for an unknown id', () => {
    expect(findProgramme('kapuas-2024-apbd')).toBeUndefined();
  });
});

describe('monthlyContributionPerPerson', () => {
  it('is Rp16,800 for every Kapuas programme: JKK 1% of Rp1,000,000 plus JKM Rp6,800 (DOMAIN.md)', () => {
    for (const p of kapuas()) {
      expect(p.declaredMonthlyIncome).toBe(1_000_000);
      expect(monthlyContributionPerPerson(p)).toBe(0.01 * 1_000_000 + 6_800);
      expect(monthlyContributionPerPerson(p)).toBe(16_800);
    }
  });

  it('adds JHT (2% of income) and JP (flat) only when the programme covers them', () => {
    expect(monthlyContributionPerPerson({ ...apbd2025, benefits: ['JKK', 'JKM', 'JHT'] })).toBe(16_800 + 20_000);
    expect(
      monthlyContributionPerPerson({
        ...apbd2025,
        benefits: ['JKK', 'JKM', 'JP'],
        rates: { ...apbd2025.rates, jpMonthly: 15_000 },
      }),
    ).toBe(16_800 + 15_000);
    expect(monthlyContributionPerPerson({ ...apbd2025, benefits: ['JKM'] })).toBe(6_800);
  });

  it('follows the declared income for JKK', () => {
    expect(monthlyContributionPerPerson({ ...apbd2025, declaredMonthlyIncome: 2_000_000 })).toBe(20_000 + 6_800);
  });
});

describe('coverageMonths', () => {
  it('counts March to September 2025 as 7 months', () => {
    expect(coverageMonths(apbd2025)).toBe(7);
  });

  it('counts a budget year as 12 and a single month as 1', () => {
    expect(coverageMonths(findProgramme('kapuas-2026-apbd')!)).toBe(12);
    expect(coverageMonths({ ...apbd2025, coverage: { start: '2026-05-01', end: '2026-05-31' } })).toBe(1);
  });

  it('counts across a year end', () => {
    expect(coverageMonths({ ...apbd2025, coverage: { start: '2025-11-01', end: '2026-02-28' } })).toBe(4);
  });
});

describe('impliedBudget', () => {
  it('is 10,000 people x Rp16,800 x 7 months for the 2025 APBD programme', () => {
    expect(impliedBudget(apbd2025)).toEqual({
      perPersonMonthly: 16_800,
      months: 7,
      people: 10_000,
      total: 10_000 * 16_800 * 7,
      per: 'programme',
    });
    expect(impliedBudget(apbd2025).total).toBe(1_176_000_000);
  });

  it('is per desa for APBDes: 100 people x Rp16,800 x 12 months', () => {
    expect(impliedBudget(apbdes)).toEqual({
      perPersonMonthly: 16_800,
      months: 12,
      people: 100,
      total: 20_160_000,
      per: 'desa',
    });
  });

  it('grows when the programme adds JHT', () => {
    const withJht = impliedBudget({ ...apbd2025, benefits: ['JKK', 'JKM', 'JHT'] });
    expect(withJht.perPersonMonthly).toBe(36_800);
    expect(withJht.total).toBe(10_000 * 36_800 * 7);
  });
});

describe('Programme schema', () => {
  const valid = { ...apbd2025 };

  it('accepts a catalogue programme as it is', () => {
    expect(Programme.safeParse(valid).success).toBe(true);
  });

  it.each(['6203', '62.3', '62.03.01', 'kapuas'])('rejects regency code %s', (code) => {
    expect(Programme.safeParse({ ...valid, regency: { ...valid.regency, code } }).success).toBe(false);
  });

  it('rejects a zero or negative quota, for the programme or per desa', () => {
    expect(Programme.safeParse({ ...valid, quota: { scope: 'programme', limit: 0 } }).success).toBe(false);
    expect(Programme.safeParse({ ...valid, quota: { scope: 'desa', limitPerDesa: 0 } }).success).toBe(false);
    expect(Programme.safeParse({ ...valid, quota: { scope: 'programme', limit: -5 } }).success).toBe(false);
  });

  it('rejects no benefits, an unknown benefit, a bad date and a bad approver address', () => {
    expect(Programme.safeParse({ ...valid, benefits: [] }).success).toBe(false);
    expect(Programme.safeParse({ ...valid, benefits: ['JKN'] }).success).toBe(false);
    expect(Programme.safeParse({ ...valid, coverage: { start: '1/3/2025', end: '2025-09-30' } }).success).toBe(false);
    expect(Programme.safeParse({ ...valid, approverEmail: 'kepala dinsos' }).success).toBe(false);
  });

  it('defaults JHT and JP rates to zero and the DTSEN threshold to decile 4', () => {
    const { jhtPercentOfIncome: _, jpMonthly: __, ...rates } = valid.rates;
    const { dtsenDecileThreshold: ___, ...rest } = valid;
    const parsed = Programme.parse({ ...rest, rates });
    expect(parsed.rates).toMatchObject({ jhtPercentOfIncome: 0, jpMonthly: 0 });
    expect(parsed.dtsenDecileThreshold).toBe(4);
  });

  it('parses a programme stored before issue 13 (no version, JP setting, lapse rule or rate changes) with defaults', () => {
    const { version: _, jpEnabled: __, lapseAfterUnpaidMonths: ___, rateChanges: ____, ...old } = valid;
    expect(Programme.parse(old)).toMatchObject({
      version: 1,
      jpEnabled: false,
      lapseAfterUnpaidMonths: 3,
      rateChanges: [],
    });
  });

  it('rejects version 0, a lapse rule outside 1-12 months and a rate change month that is not YYYY-MM', () => {
    expect(Programme.safeParse({ ...valid, version: 0 }).success).toBe(false);
    expect(Programme.safeParse({ ...valid, lapseAfterUnpaidMonths: 0 }).success).toBe(false);
    expect(Programme.safeParse({ ...valid, lapseAfterUnpaidMonths: 13 }).success).toBe(false);
    const change = { effectiveFrom: '2025-13', declaredMonthlyIncome: 1_000_000, rates: valid.rates };
    expect(Programme.safeParse({ ...valid, rateChanges: [change] }).success).toBe(false);
    expect(Programme.safeParse({ ...valid, rateChanges: [{ ...change, effectiveFrom: '2025-06' }] }).success).toBe(
      true,
    );
  });
});
