import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../functions/core/access/principal';
import { applyCoverageEvent, openCoverage, type Coverage } from '../../../functions/core/contributions/coverage';
import { ContributionTerms } from '../../../functions/core/contributions/terms';
import type { Participant } from '../../../functions/core/participants/participant';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import type { UploadGrant } from '../../../functions/core/proposals/upload-grant-record';
import {
  renewVillage,
  RenewalSummary,
  type RenewalDeps,
} from '../../../functions/core/proposals/use-cases/renew-village';
import { findVillage } from '../../../functions/core/regions/villages';
import { openProposalSheet } from '../../../functions/core/spreadsheet/read-proposal-sheet';
import { validateRows } from '../../../functions/core/validation/rules';
import { MemoryCoverageStore } from '../contributions/fakes';
import { source } from '../spreadsheet/fixtures';
import { MemoryAuditLog } from './fakes';

const FROM = 'kapuas-2025-apbd';
const TO = 'kapuas-2026-apbd';
const VILLAGE = '62.03.01.2011';
const terms = ContributionTerms.parse({});
const operator: Principal = {
  id: 'sub-sari',
  username: 'sari',
  email: 'sari@desa.id',
  roles: ['operator'],
  regency: '62.03',
  villages: [VILLAGE],
};

const NAMES = ['Ahmad Yani', 'Budi Hartono', 'Cahyo Utomo', 'Dedi Kurnia', 'Eko Prasetyo'];

/** A man's NIK: region, birth date DDMMYY, serial. */
function person(serial: number, born: string, over: Partial<Participant> = {}): Participant {
  const [y, m, d] = born.split('-');
  return {
    nik: `620301${d}${m}${y!.slice(2)}${String(serial).padStart(4, '0')}`,
    name: NAMES[serial - 1]!,
    birthDate: born,
    sex: 'L',
    occupation: 'petani',
    programmeId: FROM,
    proposalId: 'p-2025',
    villageCode: VILLAGE,
    kpj: `KPJ${serial}`,
    status: 'ACTIVE',
    coverageStart: '2025-03-01',
    coverageEnd: '2025-09-30',
    enrolledAt: '2025-02-20T00:00:00Z',
    ...over,
  };
}

function world(people: { p: Participant; events?: Parameters<typeof applyCoverageEvent>[1][] }[]) {
  const coverages = new MemoryCoverageStore();
  const records = new Map<string, Participant>();
  for (const { p, events = [] } of people) {
    records.set(`${p.programmeId}#${p.nik}`, p);
    const opened = openCoverage(
      { programmeId: FROM, nik: p.nik, villageCode: VILLAGE, start: '2025-03-01', end: '2025-09-30' },
      '2025-02-20T00:00:00Z',
    );
    const c = events.reduce<Coverage>((acc, e) => applyCoverageEvent(acc, e, terms), opened);
    coverages.items.set(`${FROM}#${p.nik}`, c);
  }
  const objects = new Map<string, { body: Buffer; metadata?: Record<string, string> }>();
  const grants: UploadGrant[] = [];
  const audit = new MemoryAuditLog();
  const deps: RenewalDeps = {
    coverages,
    participants: { get: async (programmeId, nik) => records.get(`${programmeId}#${nik}`) },
    objects: {
      put: async (key, body, _type, metadata) => {
        objects.set(key, { body: Buffer.isBuffer(body) ? body : Buffer.from(String(body)), metadata });
      },
    },
    grants: { put: async (g) => void grants.push(g) },
    audit,
    findProgramme,
    findVillage,
    now: () => new Date('2025-12-01T02:00:00Z'),
  };
  return { deps, objects, grants, audit, records };
}

const billed = (month: string) => ({
  type: 'BILLED' as const,
  at: `${month}-01T00:00:00Z`,
  month,
  billId: `b#${month}`,
});
const overdue = (month: string) => ({ type: 'DUE_DATE_PASSED' as const, at: `${month}-20T00:00:00Z`, month });
const ended = { type: 'COVERAGE_ENDED' as const, at: '2025-10-01T00:00:00Z' };

describe('renewVillage (kapuas-2025-apbd to kapuas-2026-apbd)', () => {
  const active = person(1, '1980-06-15');
  const endedInArrears = person(2, '1975-01-20');
  const dead = person(3, '1970-02-10');
  const lapsed = person(4, '1985-03-05');
  // 65 on 2025-03-01, 66 on 2026-01-01: over the 18-65 limit at the next programme's start.
  const tooOld = person(5, '1959-12-31');
  const request = { villageCode: VILLAGE, fromProgrammeId: FROM, toProgrammeId: TO };

  it('carries the living and covered into a proposal that validates, and leaves the others out with why', async () => {
    const w = world([
      { p: active, events: [ended] },
      { p: endedInArrears, events: [billed('2025-09'), overdue('2025-09'), ended] },
      { p: dead, events: [{ type: 'DIED', at: '2025-07-02T00:00:00Z', dateOfDeath: '2025-07-01' }] },
      { p: lapsed, events: ['2025-03', '2025-04', '2025-05'].flatMap((m) => [billed(m), overdue(m)]) },
      { p: tooOld, events: [ended] },
    ]);
    const result = await renewVillage(w.deps, operator, request);
    if (!result.ok) throw new Error(JSON.stringify(result));
    const { summary } = result;
    const key = `proposals/${TO}/${VILLAGE}/perpanjangan-${FROM}.xlsx`;
    expect(summary.uploadKey).toBe(key);
    expect(summary.carried).toBe(2);
    expect(summary.leftOut.map((l) => [l.name, l.reason]).sort()).toEqual([
      ['Cahyo Utomo', 'DECEASED'],
      ['Dedi Kurnia', 'LAPSED'],
      ['Eko Prasetyo', 'AGED_OUT'],
    ]);
    const reasons = Object.fromEntries(summary.leftOut.map((l) => [l.reason, l.note]));
    expect(reasons.DECEASED).toContain('Meninggal dunia 2025-07-01');
    expect(reasons.LAPSED).toContain('Maret 2025');
    expect(reasons.AGED_OUT).toContain('Umur 66 tahun');
    // NIKs masked wherever they leave the proposal itself.
    for (const l of summary.leftOut) expect(l.nik).toMatch(/^\d{4}\*{8}\d{4}$/);
    expect(summary.warnings).toEqual([expect.objectContaining({ name: 'Budi Hartono' })]);
    expect(summary.warnings[0]!.note).toContain('September 2025');
    expect(summary.gap).toContain('01-10-2025 sampai 31-12-2025');

    // The file is a proposal like any operator's: our reader and the 2026 rules take every row.
    const file = w.objects.get(key)!;
    const sheet = await openProposalSheet(source(file.body));
    const verdicts = [];
    for await (const v of validateRows(sheet.rows, findProgramme(TO)!)) verdicts.push(v);
    expect(verdicts.map((v) => [v.nik, v.errors])).toEqual([
      [active.nik, []],
      [endedInArrears.nik, []],
    ]);
    // With the grant an upload carries, naming the requester, for the same key.
    expect(w.grants).toEqual([expect.objectContaining({ uploadKey: key, userId: 'sub-sari', email: 'sari@desa.id' })]);
    expect(file.metadata).toEqual({ 'upload-grant': w.grants[0]!.grantId });

    const stored = RenewalSummary.parse(JSON.parse(w.objects.get(summary.leftOutKey)!.body.toString()));
    expect(stored).toEqual(summary);
    expect(summary.leftOutKey).toBe(`renewals/${TO}/${VILLAGE}/left-out.json`);
    expect(w.audit.events).toEqual([
      expect.objectContaining({
        entity: `village#${TO}#${VILLAGE}`,
        action: 'RENEWAL_REQUESTED',
        actor: 'operator:sari',
        details: expect.objectContaining({
          carried: 2,
          withArrears: 1,
          leftOut: { DECEASED: 1, LAPSED: 1, AGED_OUT: 1 },
        }),
      }),
    ]);
    expect(JSON.stringify(w.audit.events)).not.toContain(dead.nik);
  });

  it('leaves out someone already in the next programme, and refuses when nobody is left', async () => {
    const w = world([{ p: active }]);
    w.records.set(`${TO}#${active.nik}`, { ...active, programmeId: TO });
    const result = await renewVillage(w.deps, operator, request);
    expect(result).toMatchObject({
      ok: false,
      status: 422,
      reason: { code: 'RENEWAL_NOBODY_TO_CARRY' },
      leftOut: [{ reason: 'ALREADY_IN_NEXT' }],
    });
    expect(w.objects.size).toBe(0);
    expect(w.audit.events).toEqual([]);
  });

  it('refuses a next programme of another source or one that starts before the end, in Indonesian', async () => {
    const w = world([{ p: active }]);
    const otherSource = await renewVillage(w.deps, operator, { ...request, toProgrammeId: 'kapuas-2026-dbh-sawit' });
    expect(otherSource).toMatchObject({ ok: false, status: 400, reason: { code: 'RENEWAL_NOT_CONTINUATION' } });
    if (!otherSource.ok) expect(otherSource.reason.message).toContain('sumber dana yang sama (APBD)');
    const backwards = await renewVillage(w.deps, operator, { ...request, fromProgrammeId: TO, toProgrammeId: FROM });
    expect(backwards).toMatchObject({ ok: false, status: 400, reason: { code: 'RENEWAL_OVERLAPS' } });
    expect(w.objects.size).toBe(0);
  });

  it('hides another village from an operator, and lets a verifier renew any village of the regency', async () => {
    const w = world([{ p: active }]);
    const elsewhere = await renewVillage(w.deps, operator, { ...request, villageCode: '62.03.01.2012' });
    expect(elsewhere).toMatchObject({ ok: false, status: 404 });
    const verifier: Principal = { ...operator, id: 'sub-v', username: 'vera', roles: ['verifier'], villages: [] };
    const byVerifier = await renewVillage(w.deps, verifier, request);
    expect(byVerifier).toMatchObject({ ok: true, summary: { carried: 1, requestedBy: 'verifier:vera' } });
  });
});
