import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ArchiveDigest,
  ArchiveOrderError,
  archiveDay,
  archiveExecution,
  digestHash,
  digestKey,
  eventsKey,
  executionHistories,
  verifyArchive,
} from '../../../functions/core/audit/archive';
import { closedExecution, FakeStepFunctions, MemoryArchive, MemoryTrail } from './archive-fakes';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const digestOf = (archive: MemoryArchive, day: string) =>
  ArchiveDigest.parse(JSON.parse(archive.objects.get(digestKey(day))!.toString('utf8')));

async function setUp() {
  const store = new MemoryArchive();
  const audit = new MemoryTrail();
  const stepFunctions = new FakeStepFunctions();
  const deps = { store, audit, stepFunctions, actor: 'system:archive-execution' };
  await audit.append({
    entity: 'proposal#p1',
    action: 'RECEIVED',
    actor: 'operator:a',
    at: '2026-11-30T08:00:00.000Z',
  });
  await audit.append({ entity: 'proposal#p1', action: 'VALIDATED', actor: 'system:v', at: '2026-11-30T08:01:00.000Z' });
  await audit.append({ entity: 'claim#c1', action: 'FILED', actor: 'operator:a', at: '2026-12-01T09:00:00.000Z' });
  const execution = closedExecution('p1-validate', '2026-11-30T08:02:00.000Z');
  stepFunctions.executions.set(execution.summary.executionArn, execution);
  return { store, audit, stepFunctions, deps, execution };
}

describe('archiveExecution', () => {
  it('writes the whole history under the stop day and records EXECUTION_ARCHIVED once, however often it runs', async () => {
    const { deps, store, audit, execution } = await setUp();
    const arn = execution.summary.executionArn;
    const first = await archiveExecution(deps, arn);
    const again = await archiveExecution(deps, arn);
    const key = 'executions/2026-11-30/jaring-dev-enrollment/p1-validate.json';
    expect(first).toEqual({ key, sha256: sha(store.objects.get(key)!), events: 7 });
    expect(again).toEqual(first);
    expect(store.writes).toEqual([key]);
    expect(JSON.parse(store.objects.get(key)!.toString('utf8'))).toEqual(execution);
    const archived = await audit.byEntity(`execution#${arn}`);
    expect(archived).toHaveLength(1);
    expect(archived[0]).toMatchObject({
      action: 'EXECUTION_ARCHIVED',
      // When the file was written, the same on every run (the execution closed at 08:02).
      at: '2026-11-30T08:05:00.000Z',
      execution: arn,
      details: { key, sha256: first.sha256, status: 'SUCCEEDED', stateMachine: 'jaring-dev-enrollment', events: 7 },
    });
  });

  it('fails (for EventBridge to retry) when Step Functions has no such execution', async () => {
    const { deps } = await setUp();
    await expect(archiveExecution(deps, 'arn:aws:states:x:1:execution:m:none')).rejects.toThrow(/no execution/);
  });
});

describe('archiveDay', () => {
  it("writes the day's events by entity, its executions and a digest; the next day chains to it", async () => {
    const { deps, store, execution } = await setUp();
    await archiveExecution(deps, execution.summary.executionArn);
    expect(await archiveDay(deps, '2026-11-30')).toEqual({ archived: ['2026-11-30'], already: false });
    expect(await archiveDay(deps, '2026-12-01')).toEqual({ archived: ['2026-12-01'], already: false });

    const lines = store.objects
      .get(eventsKey('2026-11-30'))!
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((e) => [e.entity.split('#')[0], e.action])).toEqual([
      ['execution', 'EXECUTION_ARCHIVED'],
      ['proposal', 'RECEIVED'],
      ['proposal', 'VALIDATED'],
    ]);
    const first = digestOf(store, '2026-11-30');
    expect(first.previous).toBeNull();
    expect(first.files.map((f) => f.key)).toEqual([
      'events/2026-11-30.jsonl',
      'executions/2026-11-30/jaring-dev-enrollment/p1-validate.json',
    ]);
    for (const f of first.files) {
      expect(f.sha256).toBe(sha(store.objects.get(f.key)!));
      expect(f.bytes).toBe(store.objects.get(f.key)!.length);
    }
    const { hash, ...rest } = first;
    expect(hash).toBe(digestHash(rest));
    expect(digestOf(store, '2026-12-01').previous).toEqual({ key: digestKey('2026-11-30'), hash: first.hash });
  });

  it('does not write a day twice, and refuses a day before the chain', async () => {
    const { deps, store } = await setUp();
    await archiveDay(deps, '2026-12-01');
    const written = [...store.writes];
    expect(await archiveDay(deps, '2026-12-01')).toEqual({ archived: [], already: true });
    expect(store.writes).toEqual(written);
    await expect(archiveDay(deps, '2026-11-30')).rejects.toBeInstanceOf(ArchiveOrderError);
  });

  it('archives the days left without a digest first, oldest first, at most 31 in one run', async () => {
    const { deps, store } = await setUp();
    await archiveDay(deps, '2026-10-01');
    const run = await archiveDay(deps, '2026-11-30');
    expect(run.archived[0]).toBe('2026-10-02');
    expect(run.archived).toHaveLength(31);
    expect(run).toMatchObject({ pending: '2026-11-30' });
    expect(digestOf(store, '2026-10-02').previous?.key).toBe(digestKey('2026-10-01'));
    const next = await archiveDay(deps, '2026-11-30');
    expect(next.archived.at(-1)).toBe('2026-11-30');
    expect(next).not.toHaveProperty('pending');
    expect(await verifyArchive(store)).toEqual({ ok: true, days: 61 });
  });

  it("lists an execution archived after its day's digest in the next digest, and its event in the day it was archived", async () => {
    const { deps, store, audit, execution } = await setUp();
    await archiveDay(deps, '2026-11-30');
    store.now = new Date('2026-12-01T00:40:00Z'); // EventBridge retried past the daily run
    const { key } = await archiveExecution(deps, execution.summary.executionArn);
    await archiveDay(deps, '2026-12-01');
    expect(digestOf(store, '2026-11-30').files.map((f) => f.key)).not.toContain(key);
    expect(digestOf(store, '2026-12-01').files.map((f) => f.key)).toEqual([eventsKey('2026-12-01'), key]);
    const events = store.objects.get(eventsKey('2026-12-01'))!.toString('utf8');
    expect(events).toContain('EXECUTION_ARCHIVED');
    expect(await verifyArchive(store)).toEqual({ ok: true, days: 2 });
    // Listed once: the day after does not list it again.
    await archiveDay(deps, '2026-12-02');
    expect(digestOf(store, '2026-12-02').files.map((f) => f.key)).toEqual([eventsKey('2026-12-02')]);
    store.tamper(key, (t) => t.replace('SUCCEEDED', 'FAILED'));
    expect(await verifyArchive(store)).toMatchObject({
      ok: false,
      broken: { day: '2026-12-01', key, reason: 'file-changed' },
    });
    expect(audit.events.filter((e) => e.action === 'EXECUTION_ARCHIVED')).toHaveLength(1);
  });

  it('keeps an events file written by a run that stopped before its digest, and hashes what is stored', async () => {
    const { deps, store } = await setUp();
    await store.create(eventsKey('2026-11-30'), Buffer.from('partial\n'));
    await archiveDay(deps, '2026-11-30');
    expect(store.objects.get(eventsKey('2026-11-30'))!.toString()).toBe('partial\n');
    expect(digestOf(store, '2026-11-30').files[0]!.sha256).toBe(sha('partial\n'));
  });
});

describe('verifyArchive', () => {
  async function threeDays() {
    const { deps, store, execution } = await setUp();
    await archiveExecution(deps, execution.summary.executionArn);
    for (const day of ['2026-11-29', '2026-11-30', '2026-12-01']) await archiveDay(deps, day);
    return store;
  }

  it('answers ok with the number of days when nothing changed', async () => {
    const store = await threeDays();
    expect(await verifyArchive(store)).toEqual({ ok: true, days: 3 });
    expect(await verifyArchive(store, { from: '2026-11-30' })).toEqual({ ok: true, days: 2 });
  });

  it('names a changed file', async () => {
    const store = await threeDays();
    const key = 'executions/2026-11-30/jaring-dev-enrollment/p1-validate.json';
    store.tamper(key, (t) => t.replace('SUCCEEDED', 'FAILED'));
    expect(await verifyArchive(store)).toEqual({
      ok: false,
      days: 1,
      broken: { day: '2026-11-30', key, reason: 'file-changed' },
    });
  });

  it("names a changed digest, even one whose hash was recomputed (the next day's link breaks)", async () => {
    const store = await threeDays();
    store.tamper(digestKey('2026-11-30'), (t) => t.replace('"bytes":', '"bytes":1'));
    expect(await verifyArchive(store)).toMatchObject({
      ok: false,
      broken: { day: '2026-11-30', key: digestKey('2026-11-30'), reason: 'digest-changed' },
    });
    const rehashed = await threeDays();
    const digest = digestOf(rehashed, '2026-11-30');
    const changed = { ...digest, files: digest.files.slice(0, 1) };
    rehashed.objects.set(
      digestKey('2026-11-30'),
      Buffer.from(JSON.stringify({ ...changed, hash: digestHash(changed) })),
    );
    expect(await verifyArchive(rehashed)).toEqual({
      ok: false,
      days: 2,
      broken: { day: '2026-12-01', key: digestKey('2026-12-01'), reason: 'chain' },
    });
  });

  it('names a day whose digest is missing between two days', async () => {
    const store = await threeDays();
    store.objects.delete(digestKey('2026-11-30'));
    expect(await verifyArchive(store)).toEqual({
      ok: false,
      days: 1,
      broken: { day: '2026-11-30', key: digestKey('2026-11-30'), reason: 'digest-missing' },
    });
    // From the day after the gap, the first link still points at the missing digest.
    expect(await verifyArchive(store, { from: '2026-12-01' })).toMatchObject({
      ok: false,
      broken: { day: '2026-11-30', reason: 'digest-missing' },
    });
  });

  it('names a file that is gone', async () => {
    const store = await threeDays();
    store.objects.delete(eventsKey('2026-12-01'));
    expect(await verifyArchive(store)).toMatchObject({
      ok: false,
      days: 2,
      broken: { day: '2026-12-01', key: eventsKey('2026-12-01'), reason: 'file-missing' },
    });
  });
});

describe('executionHistories', () => {
  it('reads an archived execution from the archive, one not archived yet live from Step Functions', async () => {
    const { deps, store, audit, stepFunctions, execution } = await setUp();
    const histories = executionHistories({ audit, store, stepFunctions });
    const arn = execution.summary.executionArn;
    const live = await histories.history(arn);
    expect(live).toMatchObject({ source: 'live', status: 'SUCCEEDED', stateMachine: 'jaring-dev-enrollment' });
    await archiveExecution(deps, arn);
    stepFunctions.executions.clear(); // 90 days later
    const archived = await histories.history(arn);
    expect(archived).toEqual({ ...live, source: 'archive' });
    expect(archived?.steps.map((s) => [s.name, s.type, s.error])).toEqual([
      ['Validate', 'entered', undefined],
      ['Validate', 'task', undefined],
      ['Validate', 'failed', 'Throttled'],
      ['Validate', 'retried', undefined],
      ['Validate', 'exited', undefined],
    ]);
    expect(await histories.history('arn:aws:states:x:1:execution:m:none')).toBeUndefined();
  });
});
