import { describe, expect, it } from 'vitest';
import { BENEFIT_RULES, NoBenefitRulesError, rulesFor } from '../../../functions/core/claims/benefit-rules';
import { computeBenefit, describeReclassification } from '../../../functions/core/claims/benefit';
import type { Benefit } from '../../../functions/core/claims/claim';

const amounts = (b: Benefit) => Object.fromEntries(b.parts.map((p) => [p.code, p.amount]));

describe('rule tables', () => {
  it('picks the table in force on the event date, and none before the first', () => {
    expect(rulesFor('2025-06-01').version).toBe('PP82-2019');
    expect(rulesFor('2019-12-02').version).toBe('PP82-2019');
    expect(() => rulesFor('2019-12-01')).toThrow(NoBenefitRulesError);
  });

  it('the scholarship cap is what the per-level figures add up to for two children', () => {
    for (const rules of Object.values(BENEFIT_RULES)) {
      const perChild = rules.scholarship.perLevel.reduce((sum, l) => sum + l.perYear * l.years, 0);
      expect(perChild * rules.scholarship.maxChildren).toBe(rules.scholarship.maxTotal);
    }
  });
});

describe('JKM (death, not a work accident)', () => {
  const jkm = computeBenefit({ type: 'JKM', eventDate: '2026-03-10', declaredIncome: 1_000_000, paidMonths: 6 });

  it('pays Rp42,000,000 in three parts: lump sum, periodic paid at once, funeral', () => {
    expect(amounts(jkm)).toEqual({ LUMP_SUM: 20_000_000, PERIODIC: 12_000_000, FUNERAL: 10_000_000 });
    expect(jkm.total).toBe(42_000_000);
    expect(jkm).toMatchObject({ rulesVersion: 'PP82-2019', computedFor: 'JKM' });
    expect(jkm.parts.find((p) => p.code === 'PERIODIC')!.explanation).toContain('24 x Rp500.000');
    for (const p of jkm.parts) expect(p.explanation).toContain('PP 82/2019');
  });

  it('does not depend on the declared income', () => {
    const higher = computeBenefit({ type: 'JKM', eventDate: '2026-03-10', declaredIncome: 5_000_000, paidMonths: 6 });
    expect(higher.total).toBe(42_000_000);
  });

  it('gives the scholarship only from 36 continuous paid months', () => {
    expect(jkm.scholarship).toMatchObject({ eligible: false, maxChildren: 2, maxTotal: 174_000_000 });
    expect(jkm.scholarship!.reason).toContain('36 bulan');
    const at35 = computeBenefit({ type: 'JKM', eventDate: '2026-03-10', declaredIncome: 1_000_000, paidMonths: 35 });
    const at36 = computeBenefit({ type: 'JKM', eventDate: '2026-03-10', declaredIncome: 1_000_000, paidMonths: 36 });
    expect(at35.scholarship!.eligible).toBe(false);
    expect(at36.scholarship!.eligible).toBe(true);
    expect(at36.total).toBe(42_000_000);
  });
});

describe('JKK death (work accident)', () => {
  it('pays 48 x income + periodic + funeral: Rp70,000,000 at the Rp1,000,000 bracket', () => {
    const b = computeBenefit({ type: 'JKK_DEATH', eventDate: '2026-03-10', declaredIncome: 1_000_000, paidMonths: 0 });
    expect(amounts(b)).toEqual({ JKK_DEATH_LUMP_SUM: 48_000_000, PERIODIC: 12_000_000, FUNERAL: 10_000_000 });
    expect(b.total).toBe(70_000_000);
    expect(b.parts[0]!.explanation).toContain('48 x upah yang dilaporkan Rp1.000.000 = Rp48.000.000');
  });

  it('never pays a lump sum below the JKM one: Rp300,000 income gives Rp20,000,000, not Rp14,400,000', () => {
    const b = computeBenefit({ type: 'JKK_DEATH', eventDate: '2026-03-10', declaredIncome: 300_000, paidMonths: 0 });
    expect(amounts(b).JKK_DEATH_LUMP_SUM).toBe(20_000_000);
    expect(b.total).toBe(42_000_000);
    expect(b.parts[0]!.explanation).toContain('Rp14.400.000');
    expect(b.parts[0]!.explanation).toContain('paling sedikit Rp20.000.000');
  });

  it('gives the scholarship with no paid months at all', () => {
    const b = computeBenefit({ type: 'JKK_DEATH', eventDate: '2026-03-10', declaredIncome: 1_000_000, paidMonths: 0 });
    expect(b.scholarship).toMatchObject({ eligible: true, maxTotal: 174_000_000 });
    expect(b.scholarship!.perLevel).toContainEqual({ level: 'PT', perYear: 12_000_000, years: 5 });
  });
});

describe('JKK (accident, not death)', () => {
  it('lists medical care at Rp0 (BPJS pays the facility) and no STMB without days', () => {
    const b = computeBenefit({ type: 'JKK', eventDate: '2026-03-10', declaredIncome: 1_000_000, paidMonths: 0 });
    expect(amounts(b)).toEqual({ MEDICAL_CARE: 0 });
    expect(b.total).toBe(0);
    expect(b.parts[0]!.explanation).toContain('langsung ke rumah sakit');
    expect(b.scholarship).toBeUndefined();
  });

  it('pays STMB at 100% of income a day for the days given', () => {
    const b = computeBenefit({
      type: 'JKK',
      eventDate: '2026-03-10',
      declaredIncome: 1_500_000,
      paidMonths: 0,
      incapacityDays: 14,
    });
    expect(amounts(b).TEMPORARY_INCAPACITY).toBe(700_000); // 1,500,000 / 30 x 14
    expect(b.total).toBe(700_000);
  });

  it('drops to 50% after the first 12 months', () => {
    const b = computeBenefit({
      type: 'JKK',
      eventDate: '2026-03-10',
      declaredIncome: 1_000_000,
      paidMonths: 0,
      incapacityDays: 390,
    });
    // 360 days at 100% (12,000,000) + 30 days at 50% (500,000)
    expect(amounts(b).TEMPORARY_INCAPACITY).toBe(12_500_000);
    expect(b.parts[1]!.explanation).toContain('50% untuk 30 hari');
  });
});

describe('reclassification', () => {
  const jkkDeath = computeBenefit({
    type: 'JKK_DEATH',
    eventDate: '2026-03-10',
    declaredIncome: 1_000_000,
    paidMonths: 8,
  });
  const jkm = computeBenefit({ type: 'JKM', eventDate: '2026-03-10', declaredIncome: 1_000_000, paidMonths: 8 });

  it('says what changed and by how much, the lines and the scholarship', () => {
    const text = describeReclassification(jkkDeath, jkm);
    expect(text).toContain('sebagai JKM');
    expect(text).toContain('bukan JKK meninggal dunia');
    expect(text).toContain('dari Rp70.000.000 menjadi Rp42.000.000 (berkurang Rp28.000.000)');
    expect(text).toContain('Santunan kematian karena kecelakaan kerja Rp48.000.000 menjadi Rp0');
    expect(text).toContain('Santunan sekaligus Rp0 menjadi Rp20.000.000');
    expect(text).not.toContain('Biaya pemakaman');
    expect(text).toContain('Beasiswa anak tidak lagi didapat');
  });

  it('the other way round, an increase and the scholarship gained', () => {
    const text = describeReclassification(jkm, jkkDeath);
    expect(text).toContain('(bertambah Rp28.000.000)');
    expect(text).toContain('Beasiswa anak kini didapat');
  });

  it('at the lowest income the total stays and says so', () => {
    const low = computeBenefit({ type: 'JKK_DEATH', eventDate: '2026-03-10', declaredIncome: 300_000, paidMonths: 40 });
    const asJkm = computeBenefit({ type: 'JKM', eventDate: '2026-03-10', declaredIncome: 300_000, paidMonths: 40 });
    const text = describeReclassification(low, asJkm);
    expect(text).toContain('Jumlah manfaat tetap Rp42.000.000');
    expect(text).not.toContain('Beasiswa');
  });
});
