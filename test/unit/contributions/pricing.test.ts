import { describe, expect, it } from 'vitest';
import { NoRateError, priceParticipantMonth } from '../../../functions/core/contributions/pricing';
import {
  BPU_RATES_2015,
  ContributionTerms,
  contributionTermsFor,
  type ContributionTermsInput,
} from '../../../functions/core/contributions/terms';
import { allProgrammes, findProgramme } from '../../../functions/core/programmes/catalogue';
import {
  monthlyContributionPerPerson,
  type Benefit,
  type FundingSource,
} from '../../../functions/core/programmes/programme';

const terms = (input: ContributionTermsInput = {}) => ContributionTerms.parse(input);
const price = (month: string, fundingSource: FundingSource, t = terms(), benefits: Benefit[] = ['JKK', 'JKM']) =>
  priceParticipantMonth({ month, benefits, fundingSource, terms: t });

describe('pricing one participant for one month', () => {
  it('is Rp16,800 at the lowest BPU bracket: JKK 1% of Rp1,000,000 and JKM Rp6,800, each with its law', () => {
    const p = price('2026-01', 'APBD');
    expect(p.total).toBe(16_800);
    expect(p.lines).toEqual([
      {
        benefit: 'JKK',
        computation: '1% x Rp1.000.000',
        legalBasis: 'PP 44/2015 Lampiran II; Permenaker 5/2021',
        gross: 10_000,
        discount: 0,
        amount: 10_000,
      },
      {
        benefit: 'JKM',
        computation: 'tetap per bulan',
        legalBasis: 'PP 44/2015 Lampiran II; Permenaker 5/2021',
        gross: 6_800,
        discount: 0,
        amount: 6_800,
      },
    ]);
    expect(p.discounts).toEqual([]);
    expect(p.ratesEffectiveFrom).toBe('2015-07');
  });

  it('never gives PP 50/2025 discount to an APBD payer, even in its months, and says why', () => {
    const p = price('2026-05', 'APBD');
    expect(p.total).toBe(16_800);
    expect(p.discounts).toEqual([
      expect.objectContaining({
        legalBasis: 'PP 50/2025 Pasal 3-4',
        applied: false,
        why: 'tidak berlaku: iuran dibayar APBD',
      }),
    ]);
  });

  it('treats DBH Sawit as the APBD it is spent through', () => {
    const p = price('2026-05', 'DBH_SAWIT');
    expect(p.total).toBe(16_800);
    expect(p.discounts[0]).toMatchObject({ applied: false, why: expect.stringContaining('DBH Sawit') });
  });

  it('treats the APBDes as the APBD by default (not confirmed: no discount, the bill is never too low)', () => {
    const p = price('2026-05', 'APBDES');
    expect(p.total).toBe(16_800);
    expect(p.discounts[0]).toMatchObject({ applied: false, why: expect.stringContaining('APBDes') });
  });

  it('halves JKK and JKM for an APBDes programme that is set not to count as APBD, in April-December 2026 only', () => {
    const t = terms({ apbdesCountsAsApbd: false });
    const may = price('2026-05', 'APBDES', t);
    expect(may.lines.map((l) => [l.benefit, l.gross, l.discount, l.amount])).toEqual([
      ['JKK', 10_000, 5_000, 5_000],
      ['JKM', 6_800, 3_400, 3_400],
    ]);
    expect(may.total).toBe(8_400);
    expect(may.lines[0]!.legalBasis).toContain('PP 50/2025');
    expect(may.discounts[0]).toMatchObject({ applied: true });
    // The window's edges: March 2026 and January 2027 are full price; April and December are not.
    expect(price('2026-03', 'APBDES', t).total).toBe(16_800);
    expect(price('2026-04', 'APBDES', t).total).toBe(8_400);
    expect(price('2026-12', 'APBDES', t).total).toBe(8_400);
    expect(price('2027-01', 'APBDES', t).total).toBe(16_800);
  });

  it('adds JHT at 2% of declared income where a programme covers it, never discounted by PP 50/2025', () => {
    expect(price('2026-01', 'APBD', terms(), ['JKK', 'JKM', 'JHT']).total).toBe(36_800);
    const discounted = price('2026-06', 'APBDES', terms({ apbdesCountsAsApbd: false }), ['JKK', 'JKM', 'JHT']);
    expect(discounted.lines.find((l) => l.benefit === 'JHT')).toMatchObject({
      gross: 20_000,
      discount: 0,
      amount: 20_000,
    });
    expect(discounted.total).toBe(5_000 + 3_400 + 20_000);
  });

  it('uses the rates in force in the month priced, switching on the effective month', () => {
    const t = terms({
      rateSchedules: [
        BPU_RATES_2015,
        {
          ...BPU_RATES_2015,
          effectiveFrom: '2026-07',
          rates: { ...BPU_RATES_2015.rates, JKM: { basis: 'FLAT', monthly: 8_000, legalBasis: 'PP baru' } },
        },
      ],
    });
    expect(price('2026-06', 'APBD', t)).toMatchObject({ total: 16_800, ratesEffectiveFrom: '2015-07' });
    expect(price('2026-07', 'APBD', t)).toMatchObject({ total: 18_000, ratesEffectiveFrom: '2026-07' });
    expect(price('2026-07', 'APBD', t).lines[1]).toMatchObject({ legalBasis: 'PP baru', amount: 8_000 });
  });

  it('refuses a month before any rate took effect and a benefit with no rate (JP for BPU)', () => {
    expect(() => price('2015-06', 'APBD')).toThrow(NoRateError);
    expect(() => price('2026-01', 'APBD', terms(), ['JKK', 'JKM', 'JP'])).toThrow(NoRateError);
  });

  it('rounds a bracket that does not divide evenly up to the rupiah, and a discount down', () => {
    const t = terms({
      apbdesCountsAsApbd: false,
      rateSchedules: [{ ...BPU_RATES_2015, effectiveFrom: '2026-01', declaredMonthlyIncome: 1_234_567 }],
    });
    // 1% of 1,234,567 = 12,345.67 -> 12,346; half of it is 6,173 exactly; half of 6,800 is 3,400.
    expect(price('2026-01', 'APBDES', t).lines[0]!.amount).toBe(12_346);
    const odd = terms({
      apbdesCountsAsApbd: false,
      rateSchedules: [{ ...BPU_RATES_2015, rates: { JKM: { basis: 'FLAT', monthly: 6_801, legalBasis: 'uji' } } }],
    });
    expect(price('2026-05', 'APBDES', odd, ['JKM']).lines[0]).toMatchObject({ discount: 3_400, amount: 3_401 });
  });

  it('only ever produces integer rupiah', () => {
    for (const month of ['2025-03', '2026-01', '2026-04', '2026-12']) {
      for (const source of ['APBD', 'DBH_SAWIT', 'APBDES'] as const) {
        const p = price(month, source, terms({ apbdesCountsAsApbd: false }), ['JKK', 'JKM', 'JHT']);
        for (const n of [p.total, ...p.lines.flatMap((l) => [l.gross, l.discount, l.amount])]) {
          expect(Number.isInteger(n)).toBe(true);
        }
      }
    }
  });

  it('rejects terms that would price in fractions (a rate in fractional basis points, a fractional JKM)', () => {
    expect(() =>
      terms({
        rateSchedules: [
          { ...BPU_RATES_2015, rates: { JKK: { basis: 'PERCENT_OF_INCOME', basisPoints: 0.5, legalBasis: 'x' } } },
        ],
      }),
    ).toThrow();
    expect(() =>
      terms({
        rateSchedules: [{ ...BPU_RATES_2015, rates: { JKM: { basis: 'FLAT', monthly: 6_800.5, legalBasis: 'x' } } }],
      }),
    ).toThrow();
  });
});

describe('terms from a catalogue programme', () => {
  it('price every shipped programme as monthlyContributionPerPerson does, with the safe defaults', () => {
    for (const programme of allProgrammes()) {
      const t = contributionTermsFor(programme);
      expect(t).toMatchObject({
        apbdesCountsAsApbd: true,
        lapseAfterUnpaidMonths: 3,
        continuousMonthsOnRestore: 'reset',
      });
      const month = programme.coverage.start.slice(0, 7);
      const p = priceParticipantMonth({
        month,
        benefits: programme.benefits,
        fundingSource: programme.fundingSource,
        terms: t,
      });
      expect(p.total).toBe(monthlyContributionPerPerson(programme));
    }
  });

  it('refuse a percentage finer than a basis point rather than round it', () => {
    const apbd = findProgramme('kapuas-2026-apbd')!;
    expect(() => contributionTermsFor({ ...apbd, rates: { ...apbd.rates, jkkPercentOfIncome: 0.005 } })).toThrow(
      /finer than a basis point/,
    );
  });

  it('take settings the programme overrides', () => {
    const t = contributionTermsFor(findProgramme('kapuas-2026-apbdes')!, {
      apbdesCountsAsApbd: false,
      lapseAfterUnpaidMonths: 4,
    });
    expect(t).toMatchObject({ apbdesCountsAsApbd: false, lapseAfterUnpaidMonths: 4 });
    expect(
      priceParticipantMonth({ month: '2026-05', benefits: ['JKK', 'JKM'], fundingSource: 'APBDES', terms: t }).total,
    ).toBe(8_400);
  });
});
