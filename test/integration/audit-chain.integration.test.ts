import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog, seqOf } from '../../functions/adapters/dynamodb-audit-log';
import { DynamoDbCoverageStore } from '../../functions/adapters/dynamodb-coverage-store';
import { DynamoDbEnrolmentStore } from '../../functions/adapters/dynamodb-enrolment-store';
import { readWriteFailure } from '../../functions/adapters/dynamodb-transactions';
import { enrolmentEntity, participantEntity, type AuditEvent } from '../../functions/core/audit/audit-event';
import { eventHash, GENESIS, verifyChain } from '../../functions/core/audit/chain';
import { verifyAuditTrail } from '../../scripts/audit-verify';
import { participant } from '../unit/adapters/scripted-client';
import { apply, coverage, on, PROGRAMME, terms } from '../unit/contributions/fixtures';
import { startStatefulTables, type StatefulTables } from '../support/stateful-tables';

/**
 * The audit trail's hash chain against DynamoDB Local, with the tables created from the stateful
 * stack's synthesized template (as the local stack creates them): writers racing for one entity,
 * once-keys, stores' transactions with several events, and a tampered event found by
 * `npm run audit:verify`.
 */
let local: StatefulTables;
let db: DynamoDBDocumentClient;
let tables: { audit: string; participants: string; coverage: string; proposals: string };

beforeAll(async () => {
  local = await startStatefulTables('audit');
  db = local.db;
  tables = {
    audit: local.table((s) => s.audit),
    participants: local.table((s) => s.participants),
    coverage: local.table((s) => s.contributions.coverage),
    proposals: local.table((s) => s.proposals),
  };
}, 60_000);
afterAll(() => local?.stop());

const log = () => new DynamoDbAuditLog(db, tables.audit);
const event = (entity: string, action: string, at: string, details?: Record<string, unknown>): AuditEvent => ({
  entity,
  action,
  actor: 'system:test',
  at,
  ...(details && { details }),
});
const whole = async (entity: string) => {
  const chain = await log().byEntity(entity);
  return { chain, verdict: verifyChain(chain) };
};

describe('appending', () => {
  it('chains one entity’s events from GENESIS, by position, each naming the one before', async () => {
    const entity = 'proposal#prp-chain';
    for (const [i, action] of ['RECEIVED', 'VALIDATION_STARTED', 'VALIDATED'].entries())
      await log().append(event(entity, action, `2026-03-02T01:0${i}:00.000Z`, { rows: [1, undefined, { a: i }] }));
    const { chain, verdict } = await whole(entity);
    expect(chain.map((e) => [e.position, e.action])).toEqual([
      [1, 'RECEIVED'],
      [2, 'VALIDATION_STARTED'],
      [3, 'VALIDATED'],
    ]);
    expect(chain[0]!.prev).toBe(GENESIS);
    expect(verdict).toEqual({ ok: true, count: 3, head: chain[2]!.hash });
    // What was hashed is what came back: a list with a hole reads back as it was stored.
    expect(chain[0]!.details).toEqual({ rows: [1, null, { a: 0 }] });
  });

  it('makes one unbroken chain of writers racing for one entity', async () => {
    const entity = 'claim#clm-raced';
    const writers = 4;
    const each = 12;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < each; i++)
          await log().append(
            event(entity, 'CLAIM_VIEWED', `2026-03-02T02:00:${String(i).padStart(2, '0')}.000Z`, { w, i }),
          );
      }),
    );
    const { chain, verdict } = await whole(entity);
    expect(verdict).toMatchObject({ ok: true, count: writers * each });
    expect(chain.map((e) => e.position)).toEqual(Array.from({ length: writers * each }, (_, i) => i + 1));
    // Every writer's every event landed once.
    const written = chain.map((e) => `${e.details!.w}/${e.details!.i}`).sort();
    expect(new Set(written).size).toBe(writers * each);
  });

  it('writes an event keyed once a single time, even when two runs of the step race', async () => {
    const entity = 'bill#kapuas-2026-apbd#2026-03';
    const at = '2026-03-01T01:00:00.000Z';
    await log().append(event(entity, 'BILL_ISSUED', at));
    const step = event(entity, 'BILL_STEP', at, { step: 'NOTICE_ISSUED' });
    await Promise.all([
      log().append(step, { once: 'NOTICE_ISSUED' }),
      log().append(step, { once: 'NOTICE_ISSUED' }),
      log().append(event(entity, 'BILL_STEP', at, { step: 'OTHER' }), { once: 'OTHER' }),
    ]);
    await log().append(step, { once: 'NOTICE_ISSUED' });
    const { chain, verdict } = await whole(entity);
    expect(verdict.ok).toBe(true);
    expect(chain.filter((e) => e.details?.step === 'NOTICE_ISSUED')).toHaveLength(1);
    expect(chain).toHaveLength(3);
  });

  it('takes a wrong new-entity hint for what it is: one failed put, then the place after the end', async () => {
    const entity = 'participant#kapuas-2026-apbd#6203011506880999';
    await log().append(event(entity, 'PARTICIPANT_ENROLLED', '2026-03-02T03:00:00.000Z'));
    await log().append(event(entity, 'COVERAGE_OPENED', '2026-03-02T03:00:01.000Z'), { newEntity: true });
    const { chain, verdict } = await whole(entity);
    expect(verdict.ok).toBe(true);
    expect(chain.map((e) => e.action)).toEqual(['PARTICIPANT_ENROLLED', 'COVERAGE_OPENED']);
  });

  it('reads a day of every entity, oldest first', async () => {
    const day = await log().byDay('2026-03-02');
    expect(day.length).toBeGreaterThanOrEqual(3 + 48 + 2);
    expect(day.map((e) => e.at)).toEqual(day.map((e) => e.at).sort());
    expect(day.some((e) => e.entity === 'proposal#prp-chain')).toBe(true);
  });
});

describe('stores writing events in their transactions', () => {
  it('enrols people with one event a batch on a record of its own, and a re-run adds nothing', async () => {
    const people = Array.from({ length: 60 }, (_, i) => {
      const p = participant({ nik: `62030115068810${String(i).padStart(2, '0')}`, proposalId: 'prp-enrol' });
      return { participant: p, coverage: coverage(700 + i, { nik: p.nik }) };
    });
    const store = new DynamoDbEnrolmentStore(db, tables);
    const context = { proposalId: 'prp-enrol', first: 0, execution: 'exec-1' };
    expect(await store.record(people, context)).toEqual({ recorded: 60, existed: 0, heldElsewhere: 0 });
    expect(await store.record(people, context)).toEqual({ recorded: 0, existed: 60, heldElsewhere: 0 });
    // 49 and 11: DynamoDB's 100 items a transaction, two a person and the batch's event.
    for (const [first, count] of [
      [0, 49],
      [49, 11],
    ] as const) {
      const { chain, verdict } = await whole(enrolmentEntity('prp-enrol', first));
      expect(verdict.ok).toBe(true);
      expect(chain.map((e) => [e.position, e.action, (e.details!.people as unknown[]).length])).toEqual([
        [1, 'PARTICIPANTS_ENROLLED', count],
      ]);
    }
    expect(await whole(participantEntity(people[0]!.participant.nik, PROGRAMME))).toMatchObject({ chain: [] });
  });

  it('leaves a person another proposal enrolled to it, records the rest, and says so on the proposal', async () => {
    const person = (i: number, proposalId: string) => {
      const p = participant({ nik: `62030115068820${String(i).padStart(2, '0')}`, proposalId });
      return { participant: p, coverage: coverage(800 + i, { nik: p.nik }) };
    };
    const store = new DynamoDbEnrolmentStore(db, tables);
    await store.record([person(3, 'prp-first')], { proposalId: 'prp-first', first: 0 });
    const mine = [0, 1, 2, 3, 4].map((i) => person(i, 'prp-second'));
    expect(await store.record(mine, { proposalId: 'prp-second', first: 0 })).toEqual({
      recorded: 4,
      existed: 0,
      heldElsewhere: 1,
    });
    const { chain, verdict } = await whole(enrolmentEntity('prp-second', 0));
    expect(verdict.ok).toBe(true);
    expect((chain[0]!.details!.people as { nik: string }[]).map((p) => p.nik)).toEqual(
      [0, 1, 2, 4].map((i) => mine[i]!.participant.nik),
    );
    const trail = await whole('proposal#prp-second');
    expect(trail.chain).toMatchObject([
      { action: 'DUPLICATE_ENROLLMENT_PREVENTED', details: { nik: mine[3]!.participant.nik, enrolledBy: 'prp-first' } },
    ]);
  });

  it('chains several events of one entity written in one transaction, after what the trail had', async () => {
    const c = coverage(901);
    const entity = participantEntity(c.nik, PROGRAMME);
    await log().append(event(entity, 'PARTICIPANT_ENROLLED', '2025-12-20T02:00:00.000Z'));
    const store = new DynamoDbCoverageStore(db, tables);
    expect(await store.create(c)).toBe('created');
    const t = terms({ lapseAfterUnpaidMonths: 1 });
    await store.update(PROGRAMME, c.nik, (x) => apply(x, t, on.billed('2026-01')));
    // Overdue and lapsed at once: two changes of status, two events in the coverage's transaction.
    const lapsed = await store.update(PROGRAMME, c.nik, (x) => apply(x, t, on.duePassed('2026-01')));
    expect(lapsed.status).toBe('LAPSED');
    const { chain, verdict } = await whole(entity);
    expect(verdict.ok).toBe(true);
    expect(chain.map((e) => [e.position, e.action, e.to])).toEqual([
      [1, 'PARTICIPANT_ENROLLED', undefined],
      [2, 'COVERAGE_OPENED', 'ACTIVE'],
      [3, 'COVERAGE_STATUS_CHANGED', 'ARREARS'],
      [4, 'COVERAGE_STATUS_CHANGED', 'LAPSED'],
    ]);
    expect(chain[3]!.prev).toBe(chain[2]!.hash);
  });

  it('places an event again when another writer took its place, but leaves the caller’s own condition to the caller', async () => {
    const entity = 'proposal#prp-tx';
    const item = (id: string) => ({
      Put: { TableName: tables.proposals, Item: { id }, ConditionExpression: 'attribute_not_exists(id)' },
    });
    // Two transactions racing on one entity's trail, each with its own item: both land, chained.
    await Promise.all(
      ['prp-tx-a', 'prp-tx-b'].map((id) =>
        log().transactWithEvents(
          [item(id)],
          [
            { event: event(entity, 'A', '2026-03-02T04:00:00.000Z', { id }) },
            { event: event(entity, 'B', '2026-03-02T04:00:01.000Z', { id }) },
          ],
        ),
      ),
    );
    const { chain, verdict } = await whole(entity);
    expect(verdict).toMatchObject({ ok: true, count: 4 });
    // Each transaction's two events are next to each other, in the order given.
    expect(chain.map((e) => e.action)).toEqual(['A', 'B', 'A', 'B']);
    expect(chain[0]!.details).toEqual(chain[1]!.details);

    const failure = await log()
      .transactWithEvents([item('prp-tx-a')], [{ event: event(entity, 'C', '2026-03-02T04:00:02.000Z') }])
      .catch((error: unknown) => readWriteFailure(error));
    expect(failure).toEqual({ kind: 'condition', items: [0] });
    expect((await whole(entity)).chain).toHaveLength(4);
  });
});

describe('npm run audit:verify', () => {
  const run = promisify(execFile);
  const cli = async () => {
    const home = mkdtempSync(join(tmpdir(), 'jaring-audit-home-'));
    writeFileSync(
      join(home, 'stack.json'),
      JSON.stringify({ region: 'local', dynamodb: { endpoint: local.endpoint, tables: { audit: tables.audit } } }),
    );
    return run('npm', ['run', '-s', 'audit:verify'], { env: { ...process.env, JARING_HOME: home } }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  };

  it('finds every chain whole and exits 0 before anyone touched the table', async () => {
    const { code, stdout } = await cli();
    expect(stdout).toMatch(/every chain whole/);
    expect(code).toBe(0);
  }, 60_000);

  it('names the event changed directly with UpdateItem, and exits 1', async () => {
    const entity = 'proposal#prp-chain';
    await db.send(
      new UpdateCommand({
        TableName: tables.audit,
        Key: { entity, seq: seqOf(2) },
        UpdateExpression: 'SET actor = :a',
        ExpressionAttributeValues: { ':a': 'operator:someone-else' },
      }),
    );
    const report = await verifyAuditTrail(db, tables.audit);
    expect(report.broken).toBe(1);
    expect(report.lines).toContain(
      `BROKEN ${entity}: position 2 (VALIDATION_STARTED at 2026-03-02T01:01:00.000Z): ` +
        'it was changed after it was written (its content no longer matches its hash)',
    );
    const { code, stdout } = await cli();
    expect(code).toBe(1);
    expect(stdout).toContain(`BROKEN ${entity}: position 2 (VALIDATION_STARTED`);
    expect(stdout).toMatch(/1 broken\./);
  }, 60_000);

  it('names a removed middle event, and one rewritten with its hash recomputed, by the first broken link', async () => {
    const raced = 'claim#clm-raced';
    await db.send(new DeleteCommand({ TableName: tables.audit, Key: { entity: raced, seq: seqOf(7) } }));
    const bill = 'bill#kapuas-2026-apbd#2026-03';
    const [, second] = await log().byEntity(bill);
    const { verdict } = await whole(bill);
    expect(verdict.ok).toBe(true);
    // A forger who knows the hash: the next event's prev gives it away.
    const forged = { ...second!, details: { step: 'FORGED' } };
    await db.send(
      new PutCommand({
        TableName: tables.audit,
        Item: { ...forged, hash: eventHash(forged), seq: seqOf(2), day: forged.at.slice(0, 10) },
      }),
    );
    const report = await verifyAuditTrail(db, tables.audit);
    expect(report.broken).toBe(3);
    expect(report.lines).toContain(`BROKEN ${raced}: position 7: the event at this position is missing (removed)`);
    expect(report.lines.find((l) => l.startsWith(`BROKEN ${bill}`))).toMatch(
      /position 3 \(BILL_STEP at .*\): it does not follow the event before it/,
    );
  });
});
