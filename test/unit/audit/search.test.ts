import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../../functions/core/access/principal';
import { authorize } from '../../../functions/core/access/policy';
import { searchRecords, SearchQuery, type SearchSources } from '../../../functions/core/audit/search';
import { allProgrammes } from '../../../functions/core/programmes/catalogue';
import type { Participant } from '../../../functions/core/participants/participant';
import { MemoryClaimStore } from '../claims/api-fakes';
import { claim } from '../claims/fixtures';
import { MemoryBillStore, MemoryCoverageStore } from '../contributions/fakes';
import { coverage, nik } from '../contributions/fixtures';
import { MemoryProposalStore } from '../proposals/fakes';
import { proposal } from '../proposals/proposal-fixture';

const PULAU_TELO = '62.03.01.2011';
const MURUNG_KERAMAT = '62.03.01.2020';
const NEIGHBOUR = '62.03.02.2006'; // another kecamatan

const as = (role: Role, villages: string[] = []): Principal => ({
  id: `id-${role}`,
  username: role,
  roles: [role],
  regency: '62.03',
  villages,
});
const operator = as('operator', [PULAU_TELO, MURUNG_KERAMAT]);

function sources() {
  const proposals = new MemoryProposalStore();
  proposals.put(proposal({ id: 'prp-00000000000000000001', createdAt: '2026-02-11T18:00:00.000Z' }));
  proposals.put(
    proposal({
      id: 'prp-00000000000000000002',
      villageCode: MURUNG_KERAMAT,
      status: 'ENROLLED',
      createdAt: '2026-03-01T01:00:00.000Z',
    }),
  );
  proposals.put(
    proposal({ id: 'prp-00000000000000000003', villageCode: NEIGHBOUR, createdAt: '2026-02-12T18:00:00.000Z' }),
  );
  const coverages = new MemoryCoverageStore();
  for (const [n, villageCode] of [
    [1, PULAU_TELO],
    [2, PULAU_TELO],
    [3, PULAU_TELO],
    [4, NEIGHBOUR],
  ] as const)
    coverages.items.set(`kapuas-2026-apbd#${nik(n)}`, coverage(n, { villageCode }));
  const enrolled = new Map<string, Participant>([
    [`kapuas-2026-apbd#${nik(1)}`, { proposalId: 'prp-00000000000000000001' } as Participant],
  ]);
  const claims = new MemoryClaimStore();
  return {
    proposals,
    participants: { get: async (programmeId: string, n: string) => enrolled.get(`${programmeId}#${n}`) },
    coverages,
    bills: new MemoryBillStore(),
    claims,
    programmes: allProgrammes,
  } satisfies SearchSources;
}

const search = (principal: Principal, query: Record<string, string>, s = sources()) =>
  searchRecords(s, principal, SearchQuery.parse(query));

describe('search, within what the viewer may trace', () => {
  it('gives an operator their own villages only, refuses a village or kecamatan named outside them', async () => {
    const mine = await search(operator, { kind: 'proposal' });
    expect(mine.ok && mine.rows.map((r) => r.villageCode).sort()).toEqual([PULAU_TELO, MURUNG_KERAMAT]);
    expect(mine.ok && mine.villages).toBe(2);
    expect(await search(operator, { kind: 'proposal', village: NEIGHBOUR })).toMatchObject({ ok: false, status: 403 });
    expect(await search(operator, { kind: 'proposal', kecamatan: '62.03.02' })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await search(operator, { kind: 'proposal', kecamatan: '62.03.99' })).toMatchObject({
      ok: false,
      status: 404,
    });
    // Bills are the regency's: not an operator's to trace.
    expect(await search(operator, { kind: 'bill' })).toMatchObject({ ok: false, status: 403 });
  });

  it('gives the auditor the regency, narrowed by kecamatan, village, status and Jakarta dates', async () => {
    const auditor = as('auditor');
    const all = await search(auditor, { kind: 'proposal' });
    expect(all.ok && all.rows).toHaveLength(3);
    expect(all.ok && all.villages).toBe(231);
    const selat = await search(auditor, { kind: 'proposal', kecamatan: '62.03.01' });
    expect(selat.ok && selat.rows.map((r) => r.entity).sort()).toEqual([
      'proposal#prp-00000000000000000001',
      'proposal#prp-00000000000000000002',
    ]);
    const enrolled = await search(auditor, { kind: 'proposal', status: 'ENROLLED' });
    expect(enrolled.ok && enrolled.rows.map((r) => r.villageCode)).toEqual([MURUNG_KERAMAT]);
    // 18:00 UTC on the 11th is the 12th in Kapuas: the day a person there would search for.
    const day = await search(auditor, { kind: 'proposal', from: '2026-02-12', to: '2026-02-12' });
    expect(day.ok && day.rows.map((r) => r.entity)).toEqual(['proposal#prp-00000000000000000001']);
    const before = await search(auditor, { kind: 'proposal', to: '2026-02-11' });
    expect(before.ok && before.rows).toEqual([]);
    expect(await search(auditor, { kind: 'proposal', programme: 'another-regency' })).toMatchObject({ status: 404 });
    const row = all.ok ? all.rows.find((r) => r.villageCode === PULAU_TELO)! : undefined;
    expect(row).toMatchObject({
      village: 'Desa Pulau Telo',
      kecamatan: 'Selat',
      statusText: 'Menunggu persetujuan Kepala Dinas Sosial',
      links: {
        timeline: '/timeline/proposal%23prp-00000000000000000001',
        record: '/proposals/prp-00000000000000000001',
      },
    });
  });

  it('gives an auditor of both regencies the proposals of both, and a Kapuas verifier none of Kubu Raya', async () => {
    const kubuRaya = {
      ...allProgrammes().find((p) => p.id === 'kapuas-2026-apbd')!,
      id: 'kuburaya-test-apbd',
      regency: { code: '61.12', name: 'Kabupaten Kubu Raya' },
    };
    const s = { ...sources(), programmes: () => [...allProgrammes(), kubuRaya] };
    s.proposals.put(
      proposal({
        id: 'prp-00000000000000000061',
        programmeId: kubuRaya.id,
        villageCode: '61.12.07.2005',
        createdAt: '2026-02-12T02:00:00.000Z',
      }),
    );
    const both = await search({ ...as('auditor'), regencies: ['62.03', '61.12'] }, { kind: 'proposal' }, s);
    expect(both.ok && both.rows.map((r) => r.villageCode)).toContain('61.12.07.2005');
    expect(both.ok && both.rows).toHaveLength(4);
    expect(both.ok && both.villages).toBe(231 + 123);
    const bintangMas = await search(
      { ...as('auditor'), regencies: ['62.03', '61.12'] },
      { kind: 'proposal', village: '61.12.07.2005' },
      s,
    );
    expect(bintangMas.ok && bintangMas.rows.map((r) => r.village)).toEqual(['Desa Bintang Mas']);
    const listed = { ...as('verifier'), regencies: ['62.03', '61.12'] };
    const kapuasOnly = await search(listed, { kind: 'proposal' }, s);
    expect(kapuasOnly.ok && kapuasOnly.rows.map((r) => r.villageCode)).not.toContain('61.12.07.2005');
    expect(await search(listed, { kind: 'proposal', programme: kubuRaya.id }, s)).toMatchObject({ status: 404 });
    expect(await search(as('auditor'), { kind: 'proposal', village: '61.12.07.2005' }, s)).toMatchObject({
      status: 403,
    });
  });

  it('lists participants with NIKs masked, pages through a village, and finds one person by their whole NIK', async () => {
    const s = sources();
    const village = await search(as('verifier'), { kind: 'participant', village: PULAU_TELO }, s);
    expect(village.ok && village.rows).toHaveLength(3); // three, on pages of two
    for (const r of village.ok ? village.rows : []) {
      expect(r.nik).toMatch(/^6203\*{8}\d{4}$/);
      expect(r.title).not.toContain(nik(1));
    }
    const one = await search(as('auditor'), { kind: 'participant', nik: nik(4) }, s);
    expect(one.ok && one.rows.map((r) => r.villageCode)).toEqual([NEIGHBOUR]);
    // The operator's search by a NIK of a neighbour village finds nothing of it.
    const theirs = await search(operator, { kind: 'participant', nik: nik(4) }, s);
    expect(theirs.ok && theirs.rows).toEqual([]);
    // A proposal by NIK: the one that enrolled the person.
    const byNik = await search(as('auditor'), { kind: 'proposal', nik: nik(1) }, s);
    expect(byNik.ok && byNik.rows.map((r) => r.entity)).toEqual(['proposal#prp-00000000000000000001']);
  });

  it('lets finance trace claims, participants and bills but not proposals', async () => {
    const s = sources();
    await s.claims.create(
      { ...claim({ id: 'clm-00000000000000000001' }) },
      { action: 'CLAIM_FILED', actor: 'operator:x' },
    );
    const finance = as('finance');
    expect(authorize(finance, 'audit:read', { villageCode: PULAU_TELO })).toBe('allow');
    expect(await search(finance, { kind: 'proposal' })).toMatchObject({ ok: false, status: 403 });
    const claims = await search(finance, { kind: 'claim', kecamatan: '62.03.01' }, s);
    expect(claims.ok && claims.rows).toMatchObject([
      { entity: 'claim#clm-00000000000000000001', nik: '6203********0001', statusText: 'Menunggu dokumen' },
    ]);
    expect((await search(finance, { kind: 'bill' }, s)).ok).toBe(true);
  });

  it('reads an empty field as "any", and refuses a part of a NIK or dates the wrong way round', () => {
    expect(SearchQuery.parse({ kind: '', village: '', nik: '' })).toEqual({ kind: 'proposal' });
    expect(SearchQuery.safeParse({ nik: '620301' }).success).toBe(false);
    expect(SearchQuery.safeParse({ from: '2026-03-01', to: '2026-02-01' }).success).toBe(false);
  });
});
