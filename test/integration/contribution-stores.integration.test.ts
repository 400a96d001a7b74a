import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log';
import { billEntity, DynamoDbBillStore } from '../../functions/adapters/dynamodb-bill-store';
import { DynamoDbCoverageStore } from '../../functions/adapters/dynamodb-coverage-store';
import { InvalidCursorError } from '../../functions/adapters/dynamodb-cursor';
import { COVERAGE_INDEXES } from '../../functions/adapters/table-design';
import { participantEntity } from '../../functions/core/audit/audit-event';
import { BillTally, issueBill, type Bill } from '../../functions/core/contributions/bill';
import type { Coverage, BillableCoverage } from '../../functions/core/contributions/coverage';
import { indonesianHolidays } from '../../functions/core/contributions/holidays';
import { markOverdueBills } from '../../functions/core/contributions/use-cases/mark-overdue-bills';
import { recordBillPayment } from '../../functions/core/contributions/use-cases/record-bill-payment';
import { updateCoverage } from '../../functions/core/contributions/use-cases/update-coverage';
import { BILLABLE_SHARDS } from '../../functions/ports/coverage-store';
import { apply, coverage, MURUNG_KERAMAT, nik, on, PULAU_TELO, terms } from '../unit/contributions/fixtures';
import { startStatefulTables, type StatefulTables } from '../support/stateful-tables';

/**
 * The contribution stores against DynamoDB Local, alone (no S3, Step Functions or API): the tables
 * are created from the stateful stack's synthesized template, as the local stack creates them, so the
 * keys and indexes under test are the deployed ones.
 */
let local: StatefulTables;
let db: DynamoDBDocumentClient;
let tables: { coverage: string; bills: string; audit: string };

beforeAll(async () => {
  local = await startStatefulTables('contributions');
  db = local.db;
  tables = {
    coverage: local.table((s) => s.contributions.coverage),
    bills: local.table((s) => s.contributions.bills),
    audit: local.table((s) => s.audit),
  };
});
afterAll(() => local?.stop());

const coverages = () => new DynamoDbCoverageStore(db, tables);
const bills = () => new DynamoDbBillStore(db, tables);
const audit = () => new DynamoDbAuditLog(db, tables.audit);

const programme = (id: string) => ({ id, fundingSource: 'APBD', benefits: ['JKK', 'JKM'] }) as const;
/** A month's bill for `people` participants of one village, as the billing workflow issues it. */
function billFor(programmeId: string, month: string, people: number, issuedAt = `${month}-01T01:00:00.000Z`): Bill {
  const tally = new BillTally(programmeId, month);
  tally.addCounts([{ villageCode: PULAU_TELO, participants: people }]);
  return issueBill({
    programme: programme(programmeId),
    tally,
    terms: terms(),
    holidays: indonesianHolidays,
    issuedAt,
  })!;
}

describe('issuing a month’s bill', () => {
  it('makes one bill however many runs issue the same month at once, and records it once', async () => {
    const store = bills();
    const attempts = Array.from({ length: 6 }, (_, i) =>
      billFor('prog-issue', '2026-02', 10, `2026-02-01T01:00:0${i}.000Z`),
    );
    const results = await Promise.all(attempts.map((b) => store.issue(b)));

    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)!.bill;
    for (const r of results) expect(r.bill).toEqual(winner);
    expect(await store.byProgramme('prog-issue')).toEqual([winner]);
    const events = await audit().byEntity(billEntity(winner.id));
    expect(events.map((e) => e.action)).toEqual(['BILL_ISSUED']);
  });

  it('lists a programme’s bills newest month first', async () => {
    const store = bills();
    for (const month of ['2026-01', '2026-03', '2026-02']) await store.issue(billFor('prog-list', month, 3));
    expect((await store.byProgramme('prog-list')).map((b) => b.month)).toEqual(['2026-03', '2026-02', '2026-01']);
  });
});

describe('payments against a bill', () => {
  it('counts every one of several payments recorded at the same instant, exactly once each', async () => {
    const store = bills();
    const { bill } = await store.issue(billFor('prog-pay', '2026-02', 6));
    const share = bill.amount / 6;
    const now = () => new Date('2026-02-10T03:00:00.000Z');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        recordBillPayment(
          { bills: store, now },
          {
            programmeId: 'prog-pay',
            month: '2026-02',
            payment: {
              bankReference: `TRF-${i}`,
              amount: share,
              paidOn: '2026-02-10',
              recordedBy: `finance:f${i}@kapuas`,
            },
          },
        ),
      ),
    );

    const stored = (await store.get('prog-pay', '2026-02'))!;
    expect(stored.paid).toBe(bill.amount);
    expect(stored.payments.map((p) => p.bankReference).sort()).toEqual([
      'TRF-0',
      'TRF-1',
      'TRF-2',
      'TRF-3',
      'TRF-4',
      'TRF-5',
    ]);
    expect(stored).toMatchObject({ status: 'PAID', paidInFullOn: '2026-02-10' });
    // Only the payment that completed the bill tells its participants.
    expect(results.filter((r) => r.paidInFull)).toHaveLength(1);
    const events = await audit().byEntity(billEntity(bill.id));
    expect(events.filter((e) => e.action === 'BILL_PAYMENT_RECORDED')).toHaveLength(6);
    expect(events.filter((e) => e.action === 'BILL_STATUS_CHANGED').map((e) => `${e.from}->${e.to}`)).toEqual([
      'ISSUED->PARTLY_PAID',
      'PARTLY_PAID->PAID',
    ]);
  });

  it('records one transfer once when finance and BPJS enter it at the same time', async () => {
    const store = bills();
    const { bill } = await store.issue(billFor('prog-dup', '2026-02', 4));
    const now = () => new Date('2026-02-10T03:00:00.000Z');
    const payment = (recordedBy: string) => ({
      programmeId: 'prog-dup',
      month: '2026-02',
      payment: { bankReference: 'TRF-77', amount: bill.amount - 1, paidOn: '2026-02-09', recordedBy },
    });
    await Promise.all([
      recordBillPayment({ bills: store, now }, payment('finance:f@kapuas')),
      recordBillPayment({ bills: store, now }, payment('bpjs')),
    ]);
    const stored = (await store.get('prog-dup', '2026-02'))!;
    expect(stored.payments).toHaveLength(1);
    expect(stored).toMatchObject({ paid: bill.amount - 1, status: 'PARTLY_PAID' });
  });

  it('finds bills past due and not paid in full by a Query of the open index; a paid bill leaves it', async () => {
    const store = bills();
    await store.issue(billFor('prog-open-a', '2026-02', 2)); // due 2026-02-16
    await store.issue(billFor('prog-open-b', '2026-02', 2));
    await store.issue(billFor('prog-open-c', '2026-03', 2)); // due 2026-03-16
    const paid = (await store.get('prog-open-b', '2026-02'))!;
    await recordBillPayment(
      { bills: store, now: () => new Date('2026-02-12T03:00:00.000Z') },
      {
        programmeId: 'prog-open-b',
        month: '2026-02',
        payment: { bankReference: 'TRF-B', amount: paid.amount, paidOn: '2026-02-12', recordedBy: 'bpjs' },
      },
    );

    let open: Bill[] = [];
    const sent = await local.commandsSent(async () => (open = await store.openDueBefore('2026-02-17')));
    const ours = open.filter((b) => b.programmeId.startsWith('prog-open-'));
    expect(ours.map((b) => b.id)).toEqual(['prog-open-a#2026-02']);
    expect(sent.map((c) => c.name)).not.toContain('ScanCommand');
    expect(sent.find((c) => c.name === 'QueryCommand')?.input).toMatchObject({ IndexName: 'open' });
    // The due date itself is still on time.
    expect((await store.openDueBefore('2026-02-16')).filter((b) => b.programmeId.startsWith('prog-open-'))).toEqual([]);

    const overdue = await markOverdueBills({ bills: store, now: () => new Date('2026-02-17T01:00:00.000Z') });
    expect(overdue.filter((o) => o.bill.programmeId === 'prog-open-a').map((o) => o.bill.status)).toEqual(['OVERDUE']);
  });
});

describe('coverage updates', () => {
  it('keeps both of two events applied to one coverage at once (no lost update)', async () => {
    const store = coverages();
    const c = coverage(901, { programmeId: 'prog-race' });
    await store.create(c);
    await updateCoverage(
      { coverages: store },
      { programmeId: 'prog-race', nik: c.nik, event: on.billed('2026-01'), terms: terms() },
    );

    const events = [on.paid('2026-01', '2026-01-10'), on.billed('2026-02'), on.billed('2026-03'), on.billed('2026-04')];
    await Promise.all(
      events.map((event) =>
        updateCoverage({ coverages: store }, { programmeId: 'prog-race', nik: c.nik, event, terms: terms() }),
      ),
    );

    const stored = (await store.get('prog-race', c.nik))!;
    expect(stored.months.map((m) => `${m.month}:${m.state}`)).toEqual([
      '2026-01:PAID',
      '2026-02:BILLED',
      '2026-03:BILLED',
      '2026-04:BILLED',
    ]);
    expect(stored).toMatchObject({ monthsBilled: 4, monthsPaid: 1, continuousPaidMonths: 1 });
  });

  it('records a status change once in the audit trail, with its reason, however often it is applied', async () => {
    const store = coverages();
    const c = coverage(902, { programmeId: 'prog-arrears' });
    await store.create(c);
    const apply1 = (event: Parameters<typeof updateCoverage>[1]['event']) =>
      updateCoverage({ coverages: store }, { programmeId: 'prog-arrears', nik: c.nik, event, terms: terms() });
    await apply1(on.billed('2026-01'));
    await Promise.all([
      apply1(on.duePassed('2026-01')),
      apply1(on.duePassed('2026-01')),
      apply1(on.duePassed('2026-01')),
    ]);

    expect((await store.get('prog-arrears', c.nik))!.status).toBe('ARREARS');
    const trail = await audit().byEntity(participantEntity(c.nik, 'prog-arrears'));
    expect(trail.map((e) => `${e.action}:${e.to}`)).toEqual([
      'COVERAGE_OPENED:ACTIVE',
      'COVERAGE_STATUS_CHANGED:ARREARS',
    ]);
    expect(trail[1]).toMatchObject({ from: 'ACTIVE', details: { reason: 'BILL_OVERDUE', months: ['2026-01'] } });
  });

  it('opens a coverage once: a second opening leaves the first as it is', async () => {
    const store = coverages();
    const c = coverage(903, { programmeId: 'prog-open-once' });
    expect(await store.create(c)).toBe('created');
    await updateCoverage(
      { coverages: store },
      { programmeId: 'prog-open-once', nik: c.nik, event: on.billed('2026-01'), terms: terms() },
    );
    expect(await store.create(c)).toBe('exists');
    expect((await store.get('prog-open-once', c.nik))!.monthsBilled).toBe(1);
  });
});

describe('reading coverages without a scan', () => {
  const P = 'prog-read';
  // Thirty participants over both villages and every shard, plus the ones billing must leave out.
  const active = Array.from({ length: 30 }, (_, i) =>
    coverage(100 + i, { programmeId: P, villageCode: i % 3 === 0 ? MURUNG_KERAMAT : PULAU_TELO }),
  );
  const startsLater = coverage(200, { programmeId: P, start: '2026-04-01' });
  const endedBefore = coverage(201, { programmeId: P, start: '2026-01-01', end: '2026-02-20' });
  const lapsed = (() => {
    const t = terms({ lapseAfterUnpaidMonths: 1 });
    return apply(coverage(202, { programmeId: P }), t, on.billed('2026-01'), on.duePassed('2026-01'));
  })();

  beforeAll(async () => {
    const store = coverages();
    expect(await store.createMany([...active, startsLater, endedBefore])).toEqual({ created: 32, existed: 0 });
    // A lapsed coverage as the store writes one after its DUE_DATE_PASSED event.
    await store.create(coverage(202, { programmeId: P }));
    await store.update(P, lapsed.nik, () => lapsed);
  });

  it('reads a programme’s billable participants in a month with one Query per shard of the index', async () => {
    const store = coverages();
    const found: BillableCoverage[] = [];
    const sent = await local.commandsSent(async () => {
      for (let shard = 0; shard < BILLABLE_SHARDS; shard++) {
        let cursor: string | undefined;
        do {
          const page = await store.billable(P, '2026-03', shard, cursor);
          found.push(...page.items);
          cursor = page.cursor;
        } while (cursor);
      }
    });

    expect(found.map((c) => c.nik).sort()).toEqual(active.map((c) => c.nik).sort());
    expect(found.find((c) => c.nik === active[0]!.nik)).toEqual({
      programmeId: P,
      nik: active[0]!.nik,
      villageCode: MURUNG_KERAMAT,
      start: '2026-01-01',
      end: '2026-12-31',
    });
    expect(sent.map((c) => c.name)).toEqual(Array(BILLABLE_SHARDS).fill('QueryCommand'));
    for (const c of sent) expect(c.input).toMatchObject({ IndexName: COVERAGE_INDEXES.billable });
    // February: the coverage that ended on the 20th is still billed for it (no proration).
    const february = [];
    for (let shard = 0; shard < BILLABLE_SHARDS; shard++)
      february.push(...(await store.billable(P, '2026-02', shard)).items);
    expect(february.map((c) => c.nik)).toContain(endedBefore.nik);
    expect(february.map((c) => c.nik)).not.toContain(lapsed.nik);
  });

  it('drops a coverage from the billable index when it lapses and brings it back when restored', async () => {
    const store = coverages();
    const shard = Number(lapsed.nik.slice(-1));
    const inIndex = async () => (await store.billable(P, '2026-03', shard)).items.some((c) => c.nik === lapsed.nik);
    expect(await inIndex()).toBe(false);
    await updateCoverage(
      { coverages: store },
      {
        programmeId: P,
        nik: lapsed.nik,
        event: on.paid('2026-01', '2026-02-20'),
        terms: terms({ lapseAfterUnpaidMonths: 1 }),
      },
    );
    expect((await store.get(P, lapsed.nik))!.status).toBe('ACTIVE');
    expect(await inIndex()).toBe(true);
  });

  it('finds every programme a person is in by NIK', async () => {
    const store = coverages();
    const person = active[1]!;
    await store.create({ ...person, programmeId: 'prog-read-2027' });
    expect((await store.byNik(person.nik)).map((c) => c.programmeId).sort()).toEqual([P, 'prog-read-2027']);
  });

  it('pages through a village’s participants by NIK, whole, and refuses another village’s cursor', async () => {
    const store = coverages();
    const expected = active.filter((c) => c.villageCode === MURUNG_KERAMAT).map((c) => c.nik);
    const pages: Coverage[][] = [];
    let cursor: string | undefined;
    const sent = await local.commandsSent(async () => {
      do {
        const page = await store.byVillage(P, MURUNG_KERAMAT, { limit: 4, cursor });
        pages.push(page.items);
        cursor = page.cursor;
      } while (cursor);
    });
    expect(pages.flat().map((c) => c.nik)).toEqual([...expected].sort());
    expect(pages[0]).toHaveLength(4);
    expect(pages.flat().every((c) => c.history.length > 0)).toBe(true);
    expect(sent.map((c) => c.name)).not.toContain('ScanCommand');
    expect(sent.find((c) => c.name === 'QueryCommand')?.input).toMatchObject({ IndexName: 'byProgrammeVillage' });

    const other = await store.byVillage(P, PULAU_TELO, { limit: 2 });
    await expect(store.byVillage(P, MURUNG_KERAMAT, { limit: 2, cursor: other.cursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});

describe('many coverages at once', () => {
  const P = 'prog-many';
  const many = Array.from({ length: 130 }, (_, i) => coverage(i, { programmeId: P }));

  it('opens them 50 to a transaction and, run again, leaves every one as it is', async () => {
    const store = coverages();
    const sent = await local.commandsSent(async () =>
      expect(await store.createMany(many)).toEqual({ created: 130, existed: 0 }),
    );
    // Each COVERAGE_OPENED goes after the end of its participant's audit chain: one Query each to find it.
    expect(sent.filter((c) => c.name === 'TransactWriteCommand')).toHaveLength(3);
    expect(sent.filter((c) => c.name === 'QueryCommand')).toHaveLength(130);
    expect(sent).toHaveLength(133);
    expect(await store.createMany(many.slice(0, 60))).toEqual({ created: 0, existed: 60 });
  });

  it('applies one event to all of them with batch reads, and reads them back in the order asked', async () => {
    const store = coverages();
    const result = await store.updateMany(P, [...many.map((c) => c.nik), nik(999)], (c) =>
      apply(c, terms(), on.billed('2026-01')),
    );
    expect(result.missing).toEqual([nik(999)]);
    expect(result.updated).toHaveLength(130);
    const read = await store.getMany(P, many.map((c) => c.nik).reverse());
    expect(read.map((c) => c.nik)).toEqual(many.map((c) => c.nik).reverse());
    expect(read.every((c) => c.monthsBilled === 1)).toBe(true);
  });

  it('keeps a write landing between the batch read and the put, and re-applies the event on it', async () => {
    const store = coverages();
    const target = many[11]!;
    const send = db.send.bind(db);
    let raced = false;
    // Another writer (a racing Lambda) stores a change of its own just before this put goes out.
    const spy = vi.spyOn(db, 'send').mockImplementation((async (command: any) => {
      if (!raced && command instanceof PutCommand && command.input.Item?.nik === target.nik) {
        raced = true;
        await new DynamoDbCoverageStore(db, tables).update(P, target.nik, (c) => ({ ...c, kpj: 'KPJ-OTHER' }));
      }
      return send(command);
    }) as any);
    try {
      const result = await store.updateMany(P, [target.nik], (c) => apply(c, terms(), on.billed('2026-02')));
      expect(raced).toBe(true);
      expect(result.updated[0]).toMatchObject({ kpj: 'KPJ-OTHER', monthsBilled: 2 });
    } finally {
      spy.mockRestore();
    }
    const stored = (await store.get(P, target.nik))!;
    expect(stored.kpj).toBe('KPJ-OTHER');
    expect(stored.months.map((m) => m.month)).toEqual(['2026-01', '2026-02']);
  });
});
