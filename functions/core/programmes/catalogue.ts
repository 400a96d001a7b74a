import { Programme } from './programme';

/**
 * The programmes Jaring ships with. Figures come from shared/DOMAIN.md; each carries its source.
 * Anything marked unconfirmed there (age limits, 2026 coverage dates) is a value here, not a rule.
 */

const kapuas = { code: '62.03', name: 'Kabupaten Kapuas' } as const;

/**
 * BPU, lowest bracket: JKK 1% of Rp1,000,000 + JKM Rp6,800 = Rp16,800 per person per month
 * (PP 44/2015; Permenaker 5/2021).
 */
const bpuLowestBracket = {
  declaredMonthlyIncome: 1_000_000,
  rates: { jkkPercentOfIncome: 1, jkmMonthly: 6_800, jhtPercentOfIncome: 2, jpMonthly: 0 },
  benefits: ['JKK', 'JKM'] as const,
};

const kapuasDefaults = {
  regency: kapuas,
  ...bpuLowestBracket,
  benefits: [...bpuLowestBracket.benefits],
  // Unconfirmed: one regency uses 18-65 for BPU participants (DOMAIN.md, "Not confirmed").
  ageLimits: { min: 18, max: 65 },
  occupations: ['petani', 'nelayan', 'pedagang pasar', 'buruh harian lepas'],
  dtsenDecileThreshold: 4,
  approverEmail: 'kepala.dinsos@kapuaskab.go.id',
  approvalTimeoutDays: 14,
};

const programmes: Programme[] = [
  {
    ...kapuasDefaults,
    id: 'kapuas-2025-apbd',
    name: 'Perlindungan Pekerja Rentan Kapuas 2025 (APBD)',
    fundingSource: 'APBD',
    legalBasis: 'Keputusan Bupati Kapuas No. 96/Dinsos/2025 (9.960 ditetapkan)',
    quota: { scope: 'programme', limit: 10_000 },
    coverage: { start: '2025-03-01', end: '2025-09-30' },
  },
  {
    ...kapuasDefaults,
    id: 'kapuas-2026-apbd',
    name: 'Perlindungan Pekerja Rentan Kapuas 2026 (APBD)',
    fundingSource: 'APBD',
    legalBasis: 'PKS TA 2026',
    quota: { scope: 'programme', limit: 5_000 },
    // Unconfirmed: the 2026 PKS period is not in our sources; a budget year is assumed.
    coverage: { start: '2026-01-01', end: '2026-12-31' },
  },
  {
    ...kapuasDefaults,
    id: 'kapuas-2026-dbh-sawit',
    name: 'Perlindungan Pekerja Rentan Kapuas 2026 (DBH Sawit)',
    fundingSource: 'DBH_SAWIT',
    quota: { scope: 'programme', limit: 500 },
    coverage: { start: '2026-01-01', end: '2026-12-31' },
  },
  {
    ...kapuasDefaults,
    id: 'kapuas-2026-apbdes',
    name: 'Perlindungan Pekerja Rentan Kapuas 2026 (APBDes, 1 desa 100 pekerja rentan)',
    fundingSource: 'APBDES',
    quota: { scope: 'desa', limitPerDesa: 100 },
    coverage: { start: '2026-01-01', end: '2026-12-31' },
  },
].map((p) => Programme.parse(p));

const byId = new Map(programmes.map((p) => [p.id, p]));

export function findProgramme(id: string): Programme | undefined {
  return byId.get(id);
}

export function allProgrammes(): readonly Programme[] {
  return programmes;
}
