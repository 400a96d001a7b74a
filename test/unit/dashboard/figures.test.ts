import { describe, expect, it } from 'vitest';
import type { Role } from '../../../functions/core/access/principal';
import type { Bill } from '../../../functions/core/contributions/bill';
import { DashboardFigures } from '../../../functions/core/dashboard/dashboard-figures';
import { dashboardFigures, type DashboardDeps } from '../../../functions/core/dashboard/figures-for';
import { allProgrammes, findProgramme } from '../../../functions/core/programmes/catalogue';
import { quotaOf } from '../../../functions/core/proposals/reservations';
import { villagesOfRegency } from '../../../functions/core/regions/villages';
import type { ParticipantCounts } from '../../../functions/ports/participant-counts';
import { MemoryClaimStore, person } from '../claims/api-fakes';
import { claim, heirNik } from '../claims/fixtures';

const APBD = findProgramme('kapuas-2026-apbd')!;
const APBDES = findProgramme('kapuas-2026-apbdes')!;
const PULAU_TELO = '62.03.01.2011';
const MURUNG_KERAMAT = '62.03.01.2020';
const SELAT_KELURAHAN = '62.03.01.1006';
// A village in another kecamatan than Selat (62.03.01), for the regency's view.
const ELSEWHERE = villagesOfRegency('62.03').find((v) => v.districtCode !== '62.03.01' && v.kind === 'desa')!;

/** Counts as the coverage index would give them, and every village asked about, to check the scope. */
class Counts implements ParticipantCounts {
  readonly asked: string[] = [];
  constructor(private readonly counts: Record<string, Record<string, number>>) {}
  async byVillage(programmeId: string, villageCodes: readonly string[]) {
    this.asked.push(...villageCodes);
    return new Map(villageCodes.map((v) => [v, this.counts[programmeId]?.[v] ?? 0]));
  }
}

// Only what the dashboard reads of a bill: its month, what it billed and what was paid.
const bill = (month: string, amount: number, paid: number) =>
  ({ id: `${APBD.id}#${month}`, month, amount, paid }) as Bill;

async function setUp() {
  const reserved = new Map<string, number>([
    [quotaOf(APBD, '').key, 1_234],
    [quotaOf(APBDES, PULAU_TELO).key, 40],
    [quotaOf(APBDES, MURUNG_KERAMAT).key, 7],
    [quotaOf(APBDES, ELSEWHERE.code).key, 90],
  ]);
  const claims = new MemoryClaimStore();
  const paid = (id: string, villageCode: string, paidOn: string, amount: number, n: number) =>
    claims.create(
      claim({
        id,
        // One death claim per person: each claim is another participant's.
        nik: `620301150688000${n}`,
        villageCode,
        status: 'PAID',
        payouts: [
          { heirNik: heirNik(1), amount, paidOn, bankReference: `ref-${id}`, recordedAt: `${paidOn}T05:00:00Z` },
        ],
      }),
      { action: 'CLAIM_FILED', actor: 'operator:x' },
    );
  await paid('k-own', PULAU_TELO, '2026-04-02', 42_000_000, 1);
  await paid('k-elsewhere', ELSEWHERE.code, '2026-04-20', 70_000_000, 2);
  await paid('k-later', MURUNG_KERAMAT, '2026-06-05', 42_000_000, 3);
  const participants = new Counts({
    [APBD.id]: { [PULAU_TELO]: 3, [SELAT_KELURAHAN]: 2, [ELSEWHERE.code]: 5 },
    [APBDES.id]: { [MURUNG_KERAMAT]: 1 },
  });
  const deps: DashboardDeps = {
    quotas: { reserved: async (q) => reserved.get(q.key) ?? 0 },
    participants,
    bills: {
      byProgramme: async (id) =>
        id === APBD.id ? [bill('2026-03', 300_000, 0), bill('2026-02', 200_000, 200_000)] : [],
    },
    claims,
  };
  return { deps, participants };
}

const figuresAs = async (role: Role) => {
  const { deps, participants } = await setUp();
  const viewer = person(
    role,
    role,
    role === 'operator' ? { villages: [PULAU_TELO, MURUNG_KERAMAT, SELAT_KELURAHAN] } : {},
  );
  const figures = await dashboardFigures(deps, viewer, {
    programmes: allProgrammes(),
    generatedAt: '2026-12-02T10:00:00.000Z',
  });
  // What the API answers is what the schema (and so the OpenAPI document) says.
  expect(DashboardFigures.parse(figures)).toEqual(figures);
  return { figures, asked: participants.asked };
};
const programme = (figures: DashboardFigures, id: string) => figures.programmes.find((p) => p.programmeId === id)!;

describe('the dashboard figures', () => {
  it('gives the regency its programmes, every kecamatan, the desa with participants, bills and claims paid', async () => {
    const { figures } = await figuresAs('verifier');
    expect(figures.scope).toBe('regency');
    // The verifier's regency's programmes only (the seed holds Kubu Raya's too).
    expect(figures.programmes.map((p) => p.programmeId)).toEqual(
      allProgrammes()
        .filter((p) => p.regency.code === '62.03')
        .map((p) => p.id),
    );
    const apbd = programme(figures, APBD.id);
    expect(apbd.quota).toEqual({ scope: 'programme', limit: 5_000, used: 1_234 });
    expect(apbd.participants.total).toBe(10);
    expect(apbd.participants.byKecamatan).toHaveLength(17);
    expect(apbd.participants.byKecamatan.find((k) => k.code === '62.03.01')?.participants).toBe(5);
    expect(apbd.participants.byKecamatan.find((k) => k.code === ELSEWHERE.districtCode)?.participants).toBe(5);
    expect(apbd.participants.byDesa.map((d) => [d.code, d.participants])).toEqual(
      [
        [SELAT_KELURAHAN, 2],
        [PULAU_TELO, 3],
        [ELSEWHERE.code, 5],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // Oldest month first, whatever order the store gives.
    expect(apbd.contributions).toEqual([
      { month: '2026-02', billed: 200_000, paid: 200_000 },
      { month: '2026-03', billed: 300_000, paid: 0 },
    ]);
    expect(apbd.claimsPaid).toEqual([
      { month: '2026-04', amount: 112_000_000, claims: 2 },
      { month: '2026-06', amount: 42_000_000, claims: 1 },
    ]);
  });

  it('adds up a per-desa quota over the desa in reach, kelurahan having no APBDes', async () => {
    const { figures } = await figuresAs('auditor');
    const desa = villagesOfRegency('62.03').filter((v) => v.kind === 'desa').length;
    expect(programme(figures, APBDES.id).quota).toEqual({ scope: 'desa', limit: 100 * desa, used: 137, desa });
    const operator = await figuresAs('operator');
    // Pulau Telo and Murung Keramat are desa; the kelurahan in the operator's list has no APBDes quota.
    expect(programme(operator.figures, APBDES.id).quota).toEqual({ scope: 'desa', limit: 200, used: 47, desa: 2 });
  });

  it('shows an operator their villages only: no other village counted, no bills, their claims only', async () => {
    const { figures, asked } = await figuresAs('operator');
    expect(figures.scope).toBe('village');
    // In code order, as every list of villages is.
    expect(figures.villages).toEqual([SELAT_KELURAHAN, PULAU_TELO, MURUNG_KERAMAT]);
    expect(new Set(asked)).toEqual(new Set([PULAU_TELO, MURUNG_KERAMAT, SELAT_KELURAHAN]));
    const apbd = programme(figures, APBD.id);
    expect(apbd.participants.total).toBe(5);
    expect(apbd.participants.byKecamatan.map((k) => k.code)).toEqual(['62.03.01']);
    expect(apbd.participants.byDesa.map((d) => d.code).sort()).toEqual([SELAT_KELURAHAN, PULAU_TELO].sort());
    // Bills are Dinas Sosial's and finance's (bill:read): not an operator's, not even as a sum.
    expect(apbd.contributions).toBeNull();
    // The claim paid in another kecamatan is not theirs.
    expect(apbd.claimsPaid).toEqual([
      { month: '2026-04', amount: 42_000_000, claims: 1 },
      { month: '2026-06', amount: 42_000_000, claims: 1 },
    ]);
  });

  it('gives an auditor of both regencies each programme over its own regency, and a verifier only its own', async () => {
    const { deps, participants } = await setUp();
    const kubuRaya = {
      ...APBD,
      id: 'kuburaya-test-apbd',
      name: 'Kubu Raya (uji)',
      regency: { code: '61.12', name: 'Kabupaten Kubu Raya' },
    };
    const programmes = [APBD, kubuRaya];
    const options = { programmes, generatedAt: '2026-12-02T10:00:00.000Z' };
    const auditor = person('auditor', 'bpk', { regencies: ['62.03', '61.12'] });
    const both = await dashboardFigures(deps, auditor, options);
    expect(both.programmes.map((p) => p.programmeId)).toEqual([APBD.id, kubuRaya.id]);
    expect(both.regency.name).toBe('Kabupaten Kapuas dan Kabupaten Kubu Raya');
    expect(programme(both, kubuRaya.id).participants.byKecamatan.map((k) => k.code)).toEqual(
      Array.from({ length: 9 }, (_, i) => `61.12.0${i + 1}`),
    );
    expect(programme(both, APBD.id).participants.byKecamatan).toHaveLength(17);
    const asked = new Set(participants.asked);
    expect(asked.has('61.12.07.2005') && asked.has(PULAU_TELO)).toBe(true);

    participants.asked.length = 0;
    const verifier = await dashboardFigures(deps, person('verifier', 'v', { regencies: ['62.03', '61.12'] }), options);
    expect(verifier.programmes.map((p) => p.programmeId)).toEqual([APBD.id]);
    expect(participants.asked.some((v) => v.startsWith('61.12'))).toBe(false);
  });

  it('gives finance the bills, and nobody a programme of another regency', async () => {
    const { deps } = await setUp();
    const figures = await dashboardFigures(deps, person('finance', 'f', { regency: '62.11' }), {
      programmes: allProgrammes(),
      generatedAt: '2026-12-02T10:00:00.000Z',
    });
    expect(figures.programmes).toEqual([]);
    const own = await figuresAs('finance');
    expect(programme(own.figures, APBD.id).contributions).toHaveLength(2);
  });
});
