import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../../functions/core/access/principal';
import type { AuditEvent } from '../../../functions/core/audit/audit-event';
import { chainAll, verifyChain } from '../../../functions/core/audit/chain';
import type { ExecutionRecord } from '../../../functions/core/audit/execution-record';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import {
  buildTimeline,
  jakartaTime,
  openTimeline,
  parseEntity,
  type EntityRef,
  type TimelineSources,
} from '../../../functions/core/audit/timeline';
import { MemoryClaimStore } from '../claims/api-fakes';
import { BillTally, issueBill } from '../../../functions/core/contributions/bill';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import { MemoryBillStore, MemoryCoverageStore } from '../contributions/fakes';
import { coverage, nik, terms } from '../contributions/fixtures';
import { MemoryAuditLog, MemoryProposalStore } from '../proposals/fakes';
import { proposal } from '../proposals/proposal-fixture';

const ID = 'prp-00000000000000000001';
const EXECUTION = 'arn:aws:states:ap-southeast-3:1:execution:jaring-dev-enrollment:run-1';
const as = (role: Role, villages: string[] = []): Principal => ({
  id: `id-${role}`,
  username: role,
  roles: [role],
  regency: '62.03',
  villages,
});

const trail: AuditEvent[] = [
  {
    entity: `proposal#${ID}`,
    action: 'UPLOAD_RECEIVED',
    actor: 'system:register-upload',
    at: '2026-12-02T22:41:14.411Z',
    execution: EXECUTION,
    to: 'RECEIVED',
    details: {
      uploadedBy: { kind: 'user', username: 'operator-pulau-telo' },
      upload: { key: 'proposals/x.csv', size: 135 },
    },
  },
  {
    entity: `proposal#${ID}`,
    action: 'VALIDATION_PASSED',
    actor: 'system:validate-proposal',
    at: '2026-12-02T22:41:17.450Z',
    execution: EXECUTION,
    from: 'VALIDATING',
    to: 'VALIDATED',
    details: { counts: { rows: 2, valid: 1, invalid: 1, overQuota: 0, warnings: 0 } },
  },
  {
    entity: `proposal#${ID}`,
    action: 'PROPOSAL_APPROVED',
    actor: 'approver:kepala.dinsos@kapuaskab.go.id',
    at: '2026-12-02T22:41:20.029Z',
    from: 'AWAITING_APPROVAL',
    to: 'APPROVED',
    details: { note: 'NIK 6203011205850401 sudah dicek', sourceIp: '10.1.2.3' },
  },
];
const ref = parseEntity(`proposal%23${ID}`)!;
const access = { report: true, bills: true, documents: false, proposals: true };

describe('the timeline of an entity', () => {
  it('reads an entity from its path, encoded or not, and nothing else', () => {
    expect(parseEntity(`proposal%23${ID}`)).toEqual({ kind: 'proposal', entity: `proposal#${ID}`, id: ID });
    expect(parseEntity(`participant#kapuas-2026-apbd#${nik(1)}`)).toMatchObject({ kind: 'participant', nik: nik(1) });
    expect(parseEntity('bill%23kapuas-2026-apbd%232026-03')).toMatchObject({ kind: 'bill', month: '2026-03' });
    expect(parseEntity('claim#clm-00000000000000000001')).toMatchObject({ kind: 'claim' });
    for (const bad of ['proposal#x', 'village#a#b', '%E0%A4%A', `participant#p#${nik(1)}0`])
      expect(parseEntity(bad)).toBeUndefined();
    // A batch's enrolment record lists 49 people's NIKs: it is shown inside each one's timeline, never opened itself.
    expect(parseEntity(`enrolment%23${ID}%230000049`)).toBeUndefined();
  });

  it('shows times on the Jakarta clock and keeps the instant', () => {
    expect(jakartaTime('2026-12-02T22:41:14.411Z')).toBe('03-12-2026 05.41.14 WIB');
    expect(jakartaTime('not a time')).toBe('not a time');
  });

  it('labels each event in Indonesian with its facts, masked, with the steps of its execution and the report', () => {
    const events = chainAll(trail);
    const execution: ExecutionRecord = {
      executionArn: EXECUTION,
      stateMachine: 'jaring-dev-enrollment',
      status: 'SUCCEEDED',
      startDate: '2026-12-02T22:41:14.000Z',
      steps: [
        { name: 'RegisterUpload', type: 'entered', at: '2026-12-02T22:41:14.100Z' },
        { name: 'Validate', type: 'entered', at: '2026-12-02T22:41:15.000Z' },
        { name: 'Validate', type: 'retried', at: '2026-12-02T22:41:16.000Z' },
        { name: 'RequestApproval', type: 'entered', at: '2026-12-02T22:41:18.000Z' },
      ],
      source: 'archive',
    };
    const t = buildTimeline({
      ref,
      title: 'usulan x',
      events,
      verdict: verifyChain(events),
      executions: new Map([[EXECUTION, execution]]),
      whole: false,
      access,
    });
    expect(t.verdict).toMatchObject({ ok: true, count: 3, text: 'Rantai bukti utuh: 3 peristiwa.' });
    expect(t.entries.map((e) => [e.position, e.label])).toEqual([
      [1, 'Berkas usulan diterima'],
      [2, 'Validasi selesai'],
      [3, 'Usulan disetujui'],
    ]);
    expect(t.entries[0]!.summary).toContain('diunggah oleh operator-pulau-telo');
    expect(t.entries[1]!.summary).toContain('2 baris: 1 valid, 1 tidak valid');
    expect(t.entries[2]!.summary).toContain('oleh kepala.dinsos@kapuaskab.go.id');
    expect(t.entries[2]!.summary).toContain('dari 10.1.2.3');
    // The NIK an approver typed into a note stays masked for a viewer who may not see it whole.
    expect(JSON.stringify(t.entries[2])).not.toContain('6203011205850401');
    expect(t.entries[2]!.summary).toContain('6203********0401');
    // Steps land after the event they followed, the retry named.
    expect(t.entries[0]!.steps.map((s) => s.name)).toEqual(['RegisterUpload', 'Validate', 'Validate']);
    expect(t.entries[0]!.steps[2]!.typeText).toBe('diulang');
    expect(t.entries[1]!.steps.map((s) => s.name)).toEqual(['RequestApproval']);
    expect(t.entries[1]!.links).toEqual([
      { label: 'Laporan validasi (Excel)', href: `/proposals/${ID}/report?format=xlsx`, kind: 'download' },
    ]);
    expect(
      buildTimeline({ ref, title: 'x', events, whole: false, access: { ...access, report: false } }).entries[1]!.links,
    ).toEqual([]);
  });

  it('names the first broken link: position, action, Jakarta time and why', () => {
    const events = chainAll(trail);
    events[1] = { ...events[1]!, actor: 'system:someone-else' };
    const verdict = verifyChain(events);
    const t = buildTimeline({ ref, title: 'x', events, verdict, whole: true, access });
    expect(t.verdict.ok).toBe(false);
    expect(t.verdict.text).toBe(
      'Rantai bukti RUSAK pada peristiwa ke-2 (Validasi selesai, 03-12-2026 05.41.17 WIB): isi peristiwa ini berubah setelah dicatat (hash tidak cocok). Peristiwa sejak titik ini tidak dapat dipercaya.',
    );
    expect(t.entries.map((e) => e.broken)).toEqual([false, true, false]);
    const removed = chainAll(trail).filter((e) => e.position !== 2);
    expect(
      buildTimeline({ ref, title: 'x', events: removed, verdict: verifyChain(removed), whole: true, access }).verdict
        .text,
    ).toContain('peristiwa ke-2');
  });
});

describe('opening a timeline', () => {
  function sources() {
    const audit = new MemoryAuditLog();
    const proposals = new MemoryProposalStore(audit);
    proposals.put(proposal({ id: ID }));
    const coverages = new MemoryCoverageStore();
    coverages.items.set(`kapuas-2026-apbd#${nik(1)}`, coverage(1));
    for (const e of trail) void audit.append(e);
    return {
      audit,
      deps: {
        proposals,
        participants: { get: async () => undefined },
        coverages,
        bills: new MemoryBillStore(),
        claims: new MemoryClaimStore(),
        audit,
        verify: verifyChain,
        findProgramme,
        now: () => new Date('2026-12-03T01:00:00.000Z'),
      } satisfies TimelineSources,
    };
  }
  const open = (deps: TimelineSources, who: Principal, entity: EntityRef | undefined) =>
    openTimeline(deps, who, entity!, { format: 'page', origin: { sourceIp: '10.0.0.9' } });

  it('answers 404 for a record the viewer may not know of or not trace, and leaves out what they may not open', async () => {
    const { deps } = sources();
    expect(await open(deps, as('operator', ['62.03.02.2006']), ref)).toMatchObject({ ok: false, status: 404 });
    expect(await open(deps, as('finance'), ref)).toMatchObject({ ok: false, status: 404 });
    expect(await open(deps, as('operator', ['62.03.01.2011']), ref)).toMatchObject({ ok: true });
    expect(await open(deps, as('auditor'), parseEntity('proposal#prp-99999999999999999999'))).toMatchObject({
      status: 404,
    });
    expect(await open(deps, as('auditor'), parseEntity(`participant#other-regency#${nik(1)}`))).toMatchObject({
      status: 404,
    });
    // The admin traces the proposal, but the report (every row whole) is not theirs.
    const admin = await open(deps, as('admin'), ref);
    expect(admin.ok && admin.timeline.entries.flatMap((e) => e.links)).toEqual([]);
  });

  it("opens a Kubu Raya participant's timeline for an auditor of both regencies, and for no Kapuas-only viewer", async () => {
    const { deps } = sources();
    const kubuRaya = {
      ...findProgramme('kapuas-2026-apbd')!,
      id: 'kuburaya-test-apbd',
      regency: { code: '61.12', name: 'Kabupaten Kubu Raya' },
    };
    deps.coverages.items.set(
      `${kubuRaya.id}#${nik(2)}`,
      coverage(2, { programmeId: kubuRaya.id, villageCode: '61.12.07.2005' }),
    );
    const withKubuRaya = {
      ...deps,
      findProgramme: (id: string) => (id === kubuRaya.id ? kubuRaya : findProgramme(id)),
    };
    const entity = parseEntity(`participant#${kubuRaya.id}#${nik(2)}`);
    const both = await open(withKubuRaya, { ...as('auditor'), regencies: ['62.03', '61.12'] }, entity);
    expect(both).toMatchObject({ ok: true });
    expect(both.ok && both.timeline.title).toContain('Desa Bintang Mas');
    expect(await open(withKubuRaya, as('auditor'), entity)).toMatchObject({ ok: false, status: 404 });
    const listed = { ...as('verifier'), regencies: ['62.03', '61.12'] };
    expect(await open(withKubuRaya, listed, entity)).toMatchObject({ ok: false, status: 404 });
  });

  it("names the programme version a bill was issued under in its timeline's title", async () => {
    const { deps } = sources();
    const tally = new BillTally('kapuas-2026-apbd', '2026-03');
    tally.add(coverage(1));
    const bill = issueBill({
      programme: { ...findProgramme('kapuas-2026-apbd')!, version: 2 },
      tally,
      terms: terms(),
      holidays: indonesianHolidays,
      issuedAt: '2026-03-01T00:05:00.000Z',
    })!;
    deps.bills.items.set(bill.id, bill);
    const opened = await open(deps, as('auditor'), parseEntity(`bill#${bill.id}`));
    expect(opened.ok && opened.timeline.title).toBe('tagihan program kapuas-2026-apbd versi 2 Maret 2026');
    // A bill from before versions: the programme alone, as before.
    deps.bills.items.set(bill.id, { ...bill, programmeVersion: undefined });
    const older = await open(deps, as('auditor'), parseEntity(`bill#${bill.id}`));
    expect(older.ok && older.timeline.title).toBe('tagihan kapuas-2026-apbd Maret 2026');
  });

  it("records the opening of a participant's timeline on their trail before reading it", async () => {
    const { deps, audit } = sources();
    const answer = await open(deps, as('auditor'), parseEntity(`participant#kapuas-2026-apbd#${nik(1)}`));
    expect(answer.ok && answer.timeline.entries.map((e) => e.action)).toEqual(['VIEWED']);
    expect(audit.events.at(-1)).toMatchObject({
      entity: `participant#kapuas-2026-apbd#${nik(1)}`,
      action: 'VIEWED',
      actor: 'auditor:auditor',
      details: { view: 'timeline', format: 'page', whole: true, sourceIp: '10.0.0.9' },
    });
    // A proposal's timeline carries no one's record whole: opening it is not an event.
    await open(deps, as('auditor'), ref);
    expect(audit.events.filter((e) => e.action === 'VIEWED')).toHaveLength(1);
  });

  it("shows a participant's enrolment from their batch's record: theirs alone, checked with their own chain", async () => {
    const { deps, audit } = sources();
    const record = 'enrolment#prp-00000000000000000001#0000049';
    const person = (n: number) => ({ nik: nik(n), kpj: `KPJ-${n}` });
    await audit.append({
      entity: record,
      action: 'PARTICIPANTS_ENROLLED',
      actor: 'system:record-participants',
      at: '2026-03-10T02:00:00.000Z',
      to: 'ACTIVE',
      details: {
        proposalId: ID,
        villageCode: '62.03.01.2011',
        start: '2026-01-01',
        end: '2026-12-31',
        people: [person(1), person(2)],
      },
    });
    const withParticipant = {
      ...deps,
      participants: { get: async () => ({ enrolment: record }) as never },
    };
    const entity = parseEntity(`participant#kapuas-2026-apbd#${nik(1)}`);
    const opened = await open(withParticipant, as('auditor'), entity);
    if (!opened.ok) throw new Error('not opened');
    expect(opened.timeline.entries.map((e) => [e.action, e.chain, e.position])).toEqual([
      ['PARTICIPANTS_ENROLLED', record, undefined],
      ['VIEWED', undefined, 1],
    ]);
    expect(opened.timeline.entries[0]!.details).toEqual({
      proposalId: ID,
      villageCode: '62.03.01.2011',
      start: '2026-01-01',
      end: '2026-12-31',
      kpj: 'KPJ-1',
    });
    expect(JSON.stringify(opened.timeline)).not.toContain(nik(2));
    expect(opened.timeline.verdict).toMatchObject({ ok: true, count: 2 });

    // The record changed after it was written: the participant's timeline says where.
    const tampered = {
      ...withParticipant,
      audit: {
        append: deps.audit.append.bind(deps.audit),
        byEntity: async (e: string) =>
          (await deps.audit.byEntity(e)).map((x) =>
            x.entity === record ? { ...x, at: '2026-03-11T02:00:00.000Z' } : x,
          ),
      },
    };
    const broken = await open(tampered, as('auditor'), entity);
    if (!broken.ok) throw new Error('not opened');
    expect(broken.timeline.verdict).toMatchObject({
      ok: false,
      broken: { chain: record, position: 1, reason: 'hash' },
    });
    expect(broken.timeline.verdict.text).toContain(`catatan pendaftaran ${record}`);
    expect(broken.timeline.entries.map((e) => e.broken)).toEqual([true, false, false]);

    // The participant's pointer to its batch removed (it is not in any chain): no enrolment shown, and the
    // verdict says so instead of reading whole.
    const unpointed = { ...deps, participants: { get: async () => ({ nik: nik(1) }) as never } };
    const hidden = await open(unpointed, as('auditor'), entity);
    if (!hidden.ok) throw new Error('not opened');
    expect(hidden.timeline.entries.map((e) => e.action)).not.toContain('PARTICIPANTS_ENROLLED');
    expect(hidden.timeline.verdict).toMatchObject({ ok: false, broken: { reason: 'enrolment' } });
    expect(hidden.timeline.verdict.text).toContain('catatan pendaftaran peserta ini tidak ditemukan');
    // Pointing at a batch that does not name them: the same.
    const elsewhere = {
      ...deps,
      participants: { get: async () => ({ enrolment: 'enrolment#prp-x#0000000' }) as never },
    };
    const other = await open(elsewhere, as('auditor'), entity);
    expect(other.ok && other.timeline.verdict).toMatchObject({ ok: false, broken: { reason: 'enrolment' } });
  });
});
