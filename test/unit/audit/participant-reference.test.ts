import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../../functions/core/access/principal';
import { verifyChain } from '../../../functions/core/audit/chain';
import { searchRecords } from '../../../functions/core/audit/search';
import { openTimeline, parseTimelineRef, type TimelineSources } from '../../../functions/core/audit/timeline';
import { allProgrammes, findProgramme } from '../../../functions/core/programmes/catalogue';
import { MemoryClaimStore } from '../claims/api-fakes';
import { MemoryBillStore, MemoryCoverageStore } from '../contributions/fakes';
import { coverage, nik, PROGRAMME, PULAU_TELO } from '../contributions/fixtures';
import { MemoryAuditLog, MemoryProposalStore } from '../proposals/fakes';

// Issue 11: the console links to a participant's timeline by programme, village and KPJ, never by NIK
// (an address ends up in access logs and browser history); opening it is still recorded on the
// person's own trail, as before.

const as = (role: Role, villages: string[] = []): Principal => ({
  id: `id-${role}`,
  username: role,
  roles: [role],
  regency: '62.03',
  villages,
});

function sources() {
  const audit = new MemoryAuditLog();
  const coverages = new MemoryCoverageStore();
  const reads: string[] = [];
  const add = (n: number, kpj?: string) =>
    coverages.items.set(`${PROGRAMME}#${nik(n)}`, { ...coverage(n), ...(kpj ? { kpj } : { kpj: undefined }) });
  add(1, '26000000001');
  add(2, '26000000002');
  // Two people of the village BPJS gave no KPJ, whose masked NIKs are the same.
  add(3);
  coverages.items.set(`${PROGRAMME}#6203019999990003`, { ...coverage(3), nik: '6203019999990003', kpj: undefined });
  const byVillage = coverages.byVillage.bind(coverages);
  coverages.byVillage = async (programmeId, villageCode, page) => {
    reads.push(villageCode);
    return byVillage(programmeId, villageCode, page);
  };
  const deps = {
    proposals: new MemoryProposalStore(audit),
    participants: { get: async () => undefined },
    coverages,
    bills: new MemoryBillStore(),
    claims: new MemoryClaimStore(),
    audit,
    verify: verifyChain,
    findProgramme,
    programmes: allProgrammes,
    now: () => new Date('2026-12-03T01:00:00.000Z'),
  } satisfies TimelineSources & Parameters<typeof searchRecords>[0];
  return { deps, audit, reads };
}

const open = (deps: TimelineSources, who: Principal, path: string) =>
  openTimeline(deps, who, parseTimelineRef(path)!, { format: 'page', origin: { sourceIp: '10.0.0.9' } });

describe("a participant's timeline link", () => {
  it('carries no NIK, in the search row or its link, whole or masked where a KPJ names the person', async () => {
    const { deps } = sources();
    const found = await searchRecords(deps, as('auditor'), { kind: 'participant', village: PULAU_TELO });
    const rows = found.ok ? found.rows : [];
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(decodeURIComponent(r.links.timeline)).not.toMatch(/\d{16}/);
      expect(r.entity).not.toMatch(/\d{16}/);
    }
    const one = rows.find((r) => r.nik === '6203********0001')!;
    expect(one.links.timeline).toBe(
      `/timeline/${encodeURIComponent(`participant#${PROGRAMME}#${PULAU_TELO}#26000000001`)}`,
    );
  });

  it("opens the person's trail from the link, and records the opening on their trail as before", async () => {
    const { deps, audit } = sources();
    const answer = await open(deps, as('auditor'), `participant%23${PROGRAMME}%23${PULAU_TELO}%2326000000001`);
    expect(answer).toMatchObject({ ok: true, ref: { kind: 'participant', nik: nik(1) } });
    expect(audit.events.at(-1)).toMatchObject({
      entity: `participant#${PROGRAMME}#${nik(1)}`,
      action: 'VIEWED',
      actor: 'auditor:auditor',
      details: { view: 'timeline', format: 'page', whole: true, sourceIp: '10.0.0.9' },
    });
  });

  it('is refused in the NIK form, and finds nobody for an unknown KPJ or a masked NIK two people share', async () => {
    const { deps } = sources();
    expect(parseTimelineRef(`participant#${PROGRAMME}#${nik(1)}`)).toBeUndefined();
    expect(parseTimelineRef(`participant%23${PROGRAMME}%23${nik(1)}`)).toBeUndefined();
    expect(await open(deps, as('auditor'), `participant#${PROGRAMME}#${PULAU_TELO}#26000000999`)).toMatchObject({
      status: 404,
    });
    expect(await open(deps, as('auditor'), `participant#${PROGRAMME}#${PULAU_TELO}#6203********0003`)).toMatchObject({
      status: 404,
    });
  });

  it("does not read a village's participants for a viewer who may not see them", async () => {
    const { deps, reads, audit } = sources();
    const link = `participant#${PROGRAMME}#${PULAU_TELO}#26000000001`;
    expect(await open(deps, as('operator', ['62.03.02.2006']), link)).toMatchObject({ status: 404 });
    expect(await open(deps, as('auditor', []), `participant#${PROGRAMME}#61.12.07.2005#26000000001`)).toMatchObject({
      status: 404,
    });
    expect(reads).toEqual([]);
    expect(audit.events).toEqual([]);
    expect(await open(deps, as('operator', [PULAU_TELO]), link)).toMatchObject({ ok: true });
    expect(reads).toEqual([PULAU_TELO]);
  });
});
