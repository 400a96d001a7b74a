import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log';
import { claimEntity, DynamoDbClaimStore } from '../../functions/adapters/dynamodb-claim-store';
import { InvalidCursorError } from '../../functions/adapters/dynamodb-cursor';
import { CLAIM_INDEXES } from '../../functions/adapters/table-design';
import type { Claim, ClaimType, Payout } from '../../functions/core/claims/claim';
import {
  ClaimNotFoundError,
  ClaimStatusConflictError,
  ClaimVersionConflictError,
  DeathAlreadyClaimedError,
  type StoredClaim,
} from '../../functions/ports/claim-store';
import { claimStore } from '../../functions/wiring/claim-store';
import { MissingSettingError } from '../../functions/wiring/settings';
import { startStatefulTables, type StatefulTables } from '../support/stateful-tables';

/**
 * The claim store against DynamoDB Local, alone: the tables are created from the stateful stack's
 * synthesized template, as the local stack creates them, so the keys and indexes under test are the
 * deployed ones.
 */
let local: StatefulTables;
let db: DynamoDBDocumentClient;
let tables: { claims: string; audit: string };

beforeAll(async () => {
  local = await startStatefulTables('claims');
  db = local.db;
  tables = { claims: local.table((s) => s.claimTables.claims), audit: local.table((s) => s.audit) };
});
afterAll(() => local?.stop());

const store = () => new DynamoDbClaimStore(db, tables);
const trail = (id: string) => new DynamoDbAuditLog(db, tables.audit).byEntity(claimEntity(id));

const PULAU_TELO = '62.03.01.2011';
const MURUNG_KERAMAT = '62.03.01.2020';
/** A participant's NIK: region 6203, birth 150688, serial n. */
const nik = (n: number) => `6203011506880${String(n).padStart(3, '0')}`;
const filing = { action: 'CLAIM_FILED', actor: 'operator:sari-pulau-telo' };

function claim(id: string, over: Partial<Claim> = {}): Claim {
  const filedAt = over.filedAt ?? '2026-03-03T02:00:00.000Z';
  return {
    id,
    programmeId: 'prog-claims',
    nik: nik(1),
    kpj: '26031234567',
    villageCode: PULAU_TELO,
    type: 'JKM',
    eventDate: '2026-03-01',
    description: 'Meninggal dunia karena sakit di rumah.',
    declaredIncome: 1_000_000,
    heirs: [
      {
        nik: nik(900),
        name: 'Siti Aminah',
        relationship: 'SPOUSE',
        bankAccount: { bank: 'BRI', number: '123456789012', holder: 'Siti Aminah' },
        recipient: true,
      },
    ],
    status: 'AWAITING_VERIFICATION',
    issues: [],
    requiredDocuments: [],
    decisions: [],
    payouts: [],
    filedBy: 'operator:sari-pulau-telo',
    filedAt,
    updatedAt: filedAt,
    ...over,
  };
}

describe('filing a claim', () => {
  it('records a claim filed twice at once, and its event, once (the id is the idempotency key)', async () => {
    const claims = store();
    const c = claim('claim-once', { nik: nik(11) });
    const results = await Promise.all(Array.from({ length: 5 }, () => claims.create(c, filing)));

    expect(results.filter((r) => r === 'created')).toHaveLength(1);
    expect(results.filter((r) => r === 'exists')).toHaveLength(4);
    expect(await claims.get('claim-once')).toEqual({ ...c, version: 1 });
    expect((await trail('claim-once')).map((e) => `${e.action}:${e.to}`)).toEqual([
      'CLAIM_FILED:AWAITING_VERIFICATION',
    ]);
  });

  it('lets one of several death claims on one person filed at the same instant stand, whatever their type', async () => {
    const claims = store();
    const person = nik(12);
    const types: ClaimType[] = ['JKM', 'JKK_DEATH', 'JKM', 'JKK_DEATH', 'JKM', 'JKM'];
    const results = await Promise.allSettled(
      types.map((type, i) =>
        claims.create(claim(`claim-death-${i}`, { nik: person, type, programmeId: `prog-death-${i % 2}` }), filing),
      ),
    );

    const created = results.flatMap((r, i) => (r.status === 'fulfilled' && r.value === 'created' ? [i] : []));
    expect(created).toHaveLength(1);
    const winner = `claim-death-${created[0]}`;
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    expect(refused).toHaveLength(types.length - 1);
    for (const error of refused) {
      expect(error).toBeInstanceOf(DeathAlreadyClaimedError);
      expect(error).toMatchObject({ claimId: winner, maskedNik: '6203********0012' });
      expect((error as Error).message).not.toContain(person);
    }
    expect((await claims.byParticipant(person)).map((c) => c.id)).toEqual([winner]);

    // A work accident that did not kill, and a death claim filed already refused, hold nothing.
    expect(await claims.create(claim('claim-death-jkk', { nik: person, type: 'JKK' }), filing)).toBe('created');
    expect(await claims.create(claim('claim-death-refused', { nik: person, status: 'REFUSED' }), filing)).toBe(
      'created',
    );
    // Filing the standing claim again is still `exists`, not a refusal by its own guard.
    expect(await claims.create(claim(winner, { nik: person }), filing)).toBe('exists');
  });

  it('frees the person’s death when the standing claim is rejected, and refuses a JKK claim turning into a second death', async () => {
    const claims = store();
    const person = nik(13);
    await claims.create(claim('claim-free-1', { nik: person }), filing);
    await claims.create(claim('claim-free-jkk', { nik: person, type: 'JKK' }), filing);
    await expect(claims.create(claim('claim-free-2', { nik: person }), filing)).rejects.toBeInstanceOf(
      DeathAlreadyClaimedError,
    );
    await expect(
      claims.change('claim-free-jkk', {
        next: (c) => ({ ...c, type: 'JKK_DEATH' }),
        audit: { action: 'CLAIM_RECLASSIFIED', actor: 'verifier:dina' },
      }),
    ).rejects.toMatchObject({ name: 'DeathAlreadyClaimedError', claimId: 'claim-free-1' });
    expect((await claims.get('claim-free-jkk'))!).toMatchObject({ type: 'JKK', version: 1 });

    await claims.change('claim-free-1', {
      from: ['AWAITING_VERIFICATION'],
      next: (c) => ({ ...c, status: 'REJECTED' }),
      audit: { action: 'CLAIM_REJECTED', actor: 'verifier:dina', details: { reason: 'Akta kematian palsu' } },
    });
    expect(await claims.create(claim('claim-free-2', { nik: person }), filing)).toBe('created');
    // Reopening the rejected claim would make two standing death claims.
    await expect(
      claims.change('claim-free-1', {
        next: (c) => ({ ...c, status: 'AWAITING_VERIFICATION' }),
        audit: { action: 'CLAIM_REOPENED', actor: 'admin:budi' },
      }),
    ).rejects.toMatchObject({ name: 'DeathAlreadyClaimedError', claimId: 'claim-free-2' });
  });
});

describe('changing a claim', () => {
  const verify = (c: Claim): Claim => ({
    ...c,
    status: 'AWAITING_APPROVAL',
    decisions: [...c.decisions, { action: 'VERIFIED', by: 'verifier:dina', at: '2026-03-04T02:00:00.000Z' }],
  });

  it('loses a change based on a version someone has written since, and writes nothing', async () => {
    const claims = store();
    await claims.create(claim('claim-stale', { nik: nik(21) }), filing);
    const read = (await claims.get('claim-stale'))!;
    const documented = await claims.change('claim-stale', {
      expectedVersion: read.version,
      next: (c) => ({ ...c, description: `${c.description} Dokumen susulan diterima.` }),
      audit: { action: 'CLAIM_DOCUMENT_RECEIVED', actor: 'operator:sari-pulau-telo' },
    });
    expect(documented.version).toBe(2);

    const stale = claims.change('claim-stale', {
      expectedVersion: read.version,
      next: verify,
      audit: { action: 'CLAIM_VERIFIED', actor: 'verifier:dina' },
    });
    await expect(stale).rejects.toBeInstanceOf(ClaimVersionConflictError);
    await expect(stale).rejects.toMatchObject({ expectedVersion: 1, version: 2 });
    expect(await claims.get('claim-stale')).toEqual(documented);
  });

  it('lets one of two verifiers deciding from the same read win; the other loses by name', async () => {
    const claims = store();
    await claims.create(claim('claim-race', { nik: nik(22) }), filing);
    const read = (await claims.get('claim-race'))!;
    const results = await Promise.allSettled([
      claims.change('claim-race', {
        expectedVersion: read.version,
        next: verify,
        audit: { action: 'CLAIM_VERIFIED', actor: 'verifier:dina' },
      }),
      claims.change('claim-race', {
        expectedVersion: read.version,
        next: (c) => ({ ...c, status: 'REJECTED' }),
        audit: { action: 'CLAIM_REJECTED', actor: 'verifier:eko' },
      }),
    ]);
    const won = results.filter((r): r is PromiseFulfilledResult<StoredClaim> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => r.reason)).toEqual([expect.any(ClaimVersionConflictError)]);
    expect(await claims.get('claim-race')).toEqual(won[0]!.value);
    expect((await trail('claim-race')).map((e) => e.action)).toHaveLength(2);
  });

  it('refuses a change from a status the claim has left, and a change to a claim that is not there', async () => {
    const claims = store();
    await claims.create(claim('claim-from', { nik: nik(23) }), filing);
    const decide = (status: 'AWAITING_APPROVAL' | 'REJECTED') =>
      claims.change('claim-from', {
        from: ['AWAITING_VERIFICATION'],
        next: (c) => ({ ...c, status }),
        audit: { action: `CLAIM_${status}`, actor: 'verifier:dina' },
      });
    const results = await Promise.allSettled([decide('AWAITING_APPROVAL'), decide('REJECTED')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [lost] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost!.reason).toBeInstanceOf(ClaimStatusConflictError);
    await expect(
      claims.change('claim-nowhere', { next: (c) => c, audit: { action: 'X', actor: 'system:test' } }),
    ).rejects.toBeInstanceOf(ClaimNotFoundError);
  });

  it('keeps the claim’s whole history in the audit trail, oldest first, each status it was in', async () => {
    const claims = store();
    await claims.create(claim('claim-history', { nik: nik(24), status: 'WAITING_FOR_DOCUMENTS' }), filing);
    const steps: [Claim['status'], string, string][] = [
      ['AWAITING_VERIFICATION', 'CLAIM_DOCUMENTS_COMPLETE', 'operator:sari-pulau-telo'],
      ['AWAITING_APPROVAL', 'CLAIM_VERIFIED', 'verifier:dina'],
      ['SUBMITTED_TO_BPJS', 'CLAIM_APPROVED', 'approver:kadis'],
    ];
    let at = Date.parse('2026-03-05T00:00:00.000Z');
    for (const [status, action, actor] of steps) {
      at += 60_000;
      await claims.change('claim-history', {
        next: (c) => ({ ...c, status }),
        audit: { action, actor, at: new Date(at).toISOString() },
      });
    }
    const events = await trail('claim-history');
    expect(events.map((e) => [e.action, e.actor, e.from, e.to])).toEqual([
      ['CLAIM_FILED', 'operator:sari-pulau-telo', undefined, 'WAITING_FOR_DOCUMENTS'],
      ['CLAIM_DOCUMENTS_COMPLETE', 'operator:sari-pulau-telo', 'WAITING_FOR_DOCUMENTS', 'AWAITING_VERIFICATION'],
      ['CLAIM_VERIFIED', 'verifier:dina', 'AWAITING_VERIFICATION', 'AWAITING_APPROVAL'],
      ['CLAIM_APPROVED', 'approver:kadis', 'AWAITING_APPROVAL', 'SUBMITTED_TO_BPJS'],
    ]);
    const stored = (await claims.get('claim-history'))!;
    expect(stored).toMatchObject({ version: 4, status: 'SUBMITTED_TO_BPJS', updatedAt: events.at(-1)!.at });
  });
});

describe('listing claims without a scan', () => {
  const P = 'prog-pages';
  const at = (i: number) => new Date(Date.parse('2026-04-01T00:00:00.000Z') + i * 3_600_000).toISOString();
  // Seven in Murung Keramat, three in Pulau Telo, filed an hour apart; JKK so that one person may have several.
  const murung = Array.from({ length: 7 }, (_, i) =>
    claim(`page-mk-${i}`, {
      programmeId: P,
      villageCode: MURUNG_KERAMAT,
      type: 'JKK',
      nik: nik(40 + i),
      filedAt: at(i * 2),
    }),
  );
  const pulau = Array.from({ length: 3 }, (_, i) =>
    claim(`page-pt-${i}`, { programmeId: P, type: 'JKK', nik: nik(40), filedAt: at(i * 2 + 1) }),
  );

  beforeAll(async () => {
    for (const c of [...murung, ...pulau]) await store().create(c, filing);
  });

  it('pages through a village’s claims newest first, whole, and refuses another village’s cursor', async () => {
    const claims = store();
    const pages: StoredClaim[][] = [];
    let cursor: string | undefined;
    const sent = await local.commandsSent(async () => {
      do {
        const page = await claims.byVillage(P, MURUNG_KERAMAT, { limit: 3, cursor });
        pages.push(page.items);
        cursor = page.cursor;
      } while (cursor);
    });
    expect(pages[0]!.map((c) => c.id)).toEqual(['page-mk-6', 'page-mk-5', 'page-mk-4']);
    expect(pages.flat().map((c) => c.id)).toEqual([...murung].reverse().map((c) => c.id));
    expect(pages.flat()[0]).toEqual({ ...murung[6], version: 1 });
    expect(sent.map((c) => c.name)).not.toContain('ScanCommand');
    expect(sent.find((c) => c.name === 'QueryCommand')?.input).toMatchObject({
      IndexName: CLAIM_INDEXES.byProgrammeVillage,
    });

    const other = await claims.byVillage(P, PULAU_TELO, { limit: 1 });
    expect(other.items.map((c) => c.id)).toEqual(['page-pt-2']);
    await expect(claims.byVillage(P, MURUNG_KERAMAT, { limit: 2, cursor: other.cursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('pages through a programme’s claims newest first, over its villages', async () => {
    const claims = store();
    const first = await claims.byProgramme(P, { limit: 4 });
    const rest = await claims.byProgramme(P, { limit: 10, cursor: first.cursor });
    const expected = [...murung, ...pulau].sort((a, b) => b.filedAt.localeCompare(a.filedAt)).map((c) => c.id);
    expect([...first.items, ...rest.items].map((c) => c.id)).toEqual(expected);
    expect(rest.cursor).toBeUndefined();
  });

  it('finds every claim on one person, newest first, as it stands now', async () => {
    const claims = store();
    await claims.change('page-pt-0', {
      next: (c) => ({ ...c, status: 'REJECTED' }),
      audit: { action: 'CLAIM_REJECTED', actor: 'verifier:dina' },
    });
    const found = await claims.byParticipant(nik(40));
    expect(found.map((c) => [c.id, c.status])).toEqual([
      ['page-pt-2', 'AWAITING_VERIFICATION'],
      ['page-pt-1', 'AWAITING_VERIFICATION'],
      ['page-pt-0', 'REJECTED'],
      ['page-mk-0', 'AWAITING_VERIFICATION'],
    ]);
  });
});

describe('totals paid', () => {
  const P = 'prog-paid';
  const payout = (bankReference: string, amount: number, paidOn: string): Payout => ({
    heirNik: nik(900),
    amount,
    paidOn,
    bankReference,
    recordedAt: `${paidOn}T05:00:00.000Z`,
  });
  const pay = (id: string, ...payouts: Payout[]) =>
    store().change(id, {
      next: (c) => ({ ...c, status: 'PAID', payouts: [...c.payouts, ...payouts] }),
      audit: { action: 'CLAIM_PAID', actor: 'bpjs' },
    });

  beforeAll(async () => {
    const claims = store();
    await claims.create(claim('paid-jkm', { programmeId: P, nik: nik(61) }), filing);
    await claims.create(claim('paid-jkk', { programmeId: P, nik: nik(62), type: 'JKK' }), filing);
    await claims.create(claim('paid-april', { programmeId: P, nik: nik(63) }), filing);
    await claims.create(claim('paid-elsewhere', { programmeId: 'prog-paid-other', nik: nik(64) }), filing);
    await pay('paid-jkm', payout('TRF-1', 20_000_000, '2026-03-10'), payout('TRF-2', 22_000_000, '2026-03-31'));
    await pay('paid-jkk', payout('TRF-3', 1_500_000, '2026-03-12'));
    await pay('paid-april', payout('TRF-4', 42_000_000, '2026-04-01'));
    await pay('paid-elsewhere', payout('TRF-5', 42_000_000, '2026-03-15'));
  });

  it('adds up a programme’s payouts month by month from one Query of the paid index', async () => {
    const claims = store();
    let totals: Awaited<ReturnType<typeof claims.paidTotals>> = [];
    const sent = await local.commandsSent(async () => (totals = await claims.paidTotals(P)));
    expect(totals).toEqual([
      { month: '2026-03', amount: 43_500_000, payouts: 3, claims: 2, byType: { JKM: 42_000_000, JKK: 1_500_000 } },
      { month: '2026-04', amount: 42_000_000, payouts: 1, claims: 1, byType: { JKM: 42_000_000 } },
    ]);
    expect(sent.map((c) => c.name)).toEqual(['QueryCommand']);
    expect(sent[0]!.input).toMatchObject({ IndexName: CLAIM_INDEXES.paid });
  });

  it('gives one month’s total when asked, none for a month without payouts; a recorded payout stays', async () => {
    const claims = store();
    expect(await claims.paidTotals(P, '2026-04')).toEqual([
      { month: '2026-04', amount: 42_000_000, payouts: 1, claims: 1, byType: { JKM: 42_000_000 } },
    ]);
    expect(await claims.paidTotals(P, '2026-05')).toEqual([]);
    await expect(
      claims.change('paid-april', {
        next: (c) => ({ ...c, payouts: [] }),
        audit: { action: 'X', actor: 'system:test' },
      }),
    ).rejects.toThrow(/may not remove a recorded payout/);
    expect((await claims.paidTotals(P, '2026-04'))[0]!.amount).toBe(42_000_000);
  });
});

describe('wiring', () => {
  it('reads the claims table from CLAIMS_TABLE, and stops by that name when it is missing', () => {
    vi.stubEnv('AUDIT_TABLE', 'jaring-test-audit');
    vi.stubEnv('CLAIMS_TABLE', '');
    try {
      expect(() => claimStore()).toThrow(new MissingSettingError('CLAIMS_TABLE'));
      vi.stubEnv('CLAIMS_TABLE', 'jaring-test-claims');
      expect(claimStore()).toBeInstanceOf(DynamoDbClaimStore);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
