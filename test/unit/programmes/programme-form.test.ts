import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { JP_DISABLED_REASON } from '../../../functions/core/programmes/programme';
import { draftFromForm } from '../../../functions/core/programmes/programme-form';
import { programmePage, programmesPage } from '../../../functions/pages/programme-pages';

const kubuRaya = findProgramme('kuburaya-2026-apbd')!;
const regency = { code: '61.12', name: 'Kabupaten Kubu Raya' };

/** The fields the console's form posts for a new Kubu Raya programme (checkboxes only when ticked). */
const form = {
  form: 'programme',
  id: 'kuburaya-2027-apbd',
  name: 'Perlindungan Pekerja Rentan Kubu Raya 2027 (APBD)',
  fundingSource: 'APBD',
  legalBasis: 'Keputusan Bupati Kubu Raya No. 1/2027',
  legalBasisTitle: 'Keputusan Bupati Kubu Raya',
  legalBasisNumber: '1/2027',
  legalBasisUrl: '',
  quotaScope: 'programme',
  quotaLimit: '1200',
  coverageStart: '2027-01-01',
  coverageEnd: '2027-12-31',
  benefitJKK: 'on',
  benefitJKM: 'on',
  benefitJHT: 'on',
  declaredMonthlyIncome: '1000000',
  jkkPercentOfIncome: '1',
  jkmMonthly: '6800',
  jhtPercentOfIncome: '2',
  jpMonthly: '0',
  lapseAfterUnpaidMonths: '3',
  ageMin: '18',
  ageMax: '65',
  occupations: 'pekerja keagamaan, petani,\nnelayan',
  dtsenDecileThreshold: '4',
  approverEmail: 'kepala.dinsos@kuburayakab.go.id',
  approvalTimeoutDays: '14',
  reason: 'APBD 2027',
};

describe("the console's programme form", () => {
  it('makes a draft of the regency it is for, JP off unless ticked', () => {
    const { draft, reason } = draftFromForm(form, { id: form.id, regency });
    expect(reason).toBe('APBD 2027');
    expect(draft).toMatchObject({
      id: 'kuburaya-2027-apbd',
      regency,
      quota: { scope: 'programme', limit: 1_200 },
      coverage: { start: '2027-01-01', end: '2027-12-31' },
      benefits: ['JKK', 'JKM', 'JHT'],
      rates: { jkkPercentOfIncome: 1, jkmMonthly: 6_800, jhtPercentOfIncome: 2, jpMonthly: 0 },
      jpEnabled: false,
      occupations: ['pekerja keagamaan', 'petani', 'nelayan'],
      legalBasisDocument: { title: 'Keputusan Bupati Kubu Raya', number: '1/2027' },
    });
  });

  it('keeps what the form does not carry from the version edited, and reads a per-desa quota', () => {
    const {
      version: _,
      changedBy: __,
      changedAt: ___,
      reason: ____,
      ...base
    } = {
      ...kubuRaya,
      rateChanges: [{ effectiveFrom: '2026-07', declaredMonthlyIncome: 1_000_000, rates: kubuRaya.rates }],
    };
    const { draft, expectedVersion } = draftFromForm(
      { ...form, quotaScope: 'desa', quotaLimit: '50', expectedVersion: '4' },
      { id: kubuRaya.id, regency, base },
    );
    expect(expectedVersion).toBe(4);
    expect(draft.quota).toEqual({ scope: 'desa', limitPerDesa: 50 });
    expect(draft.rateChanges).toEqual(base.rateChanges);
    expect(draft.sources).toEqual(kubuRaya.sources);
  });

  it('refuses a field that is not a number where one is asked', () => {
    expect(() => draftFromForm({ ...form, quotaLimit: 'seribu' }, { id: form.id, regency })).toThrow();
  });

  it('refuses a link that is not the web, figures past any real rate, and ages upside down', () => {
    const draft = (over: Record<string, string>) => () => draftFromForm({ ...form, ...over }, { id: form.id, regency });
    // Rendered as an href on auditors' pages: a javascript: link would run in their browser.
    expect(draft({ legalBasisUrl: 'javascript:alert(document.cookie)' })).toThrow();
    expect(draft({ legalBasisUrl: 'https://jdih.kuburayakab.go.id/kepbup-1-2027.pdf' })).not.toThrow();
    // 100% of income for JKK, a JKM of ten million a month: typos the regency's budget would pay.
    expect(draft({ jkkPercentOfIncome: '100' })).toThrow();
    expect(draft({ jkmMonthly: '10000000' })).toThrow();
    expect(draft({ ageMin: '65', ageMax: '18' })).toThrow();
    expect(draft({ name: 'x'.repeat(201) })).toThrow();
  });
});

describe('the programme pages', () => {
  it('show the JP setting off with why, and the history with who, when and what changed', () => {
    const page = programmePage({
      programme: kubuRaya,
      mayManage: false,
      history: [
        { action: 'PROGRAMME_CREATED', actor: 'system:programme-seed', at: '2026-01-01T00:00:00.000Z', changes: [] },
        {
          action: 'PROGRAMME_CHANGED',
          actor: 'admin:admin-kuburaya',
          at: '2026-12-03T02:00:00.000Z',
          version: 2,
          reason: 'Keputusan <Bupati>',
          changes: [{ field: 'quota.limit', from: 1_000, to: 1_200 }],
        },
      ],
    });
    expect(page).toContain('Nonaktif');
    expect(page).toContain(JP_DISABLED_REASON);
    expect(page).toContain('admin:admin-kuburaya');
    expect(page).toContain('2026-12-03 09:00 WIB');
    expect(page).toContain('Kuota: 1000 &rarr; 1200');
    // A reason is the admin's text: escaped, never markup.
    expect(page).toContain('Keputusan &lt;Bupati&gt;');
    expect(page).not.toContain('data-action');
  });

  it("give the regency's admin the forms, and nobody else", () => {
    expect(programmePage({ programme: kubuRaya, history: [], mayManage: true })).toContain(
      'data-action="/programmes/kuburaya-2026-apbd"',
    );
    expect(programmesPage({ programmes: [kubuRaya], create: { regency } })).toContain('data-action="/programmes"');
    expect(programmesPage({ programmes: [kubuRaya] })).not.toContain('<form');
  });
});
