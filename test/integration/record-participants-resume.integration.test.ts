import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log';
import { DynamoDbEnrolmentStore } from '../../functions/adapters/dynamodb-enrolment-store';
import { participantEntity } from '../../functions/core/audit/audit-event';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import { recordParticipants, RecordingPausedError } from '../../functions/core/proposals/use-cases/record-participants';
import { bpjsResultsKey, workersKey } from '../../functions/core/proposals/work-keys';
import type { EnrolmentStore } from '../../functions/ports/enrolment-store';
import { MemoryLedger, MemoryObjects, MemoryProposalStore } from '../unit/proposals/fakes';
import { proposal } from '../unit/proposals/proposal-fixture';
import { startStatefulTables, type StatefulTables } from '../support/stateful-tables';

/**
 * Recording a proposal over several runs (the workflow's loop when a run stops before its Lambda's end),
 * against DynamoDB Local with the real enrolment store (participants and coverages): the tables are created from the
 * stateful stack's template, so the conditions that keep a person from being recorded twice are the deployed
 * ones. Proposals, work files and the ledger are in memory: recording only reads the first two and, with
 * nobody refused, never touches the ledger.
 */
let local: StatefulTables;
let db: DynamoDBDocumentClient;
let tables: { participants: string; coverage: string; audit: string };

beforeAll(async () => {
  local = await startStatefulTables('recording');
  db = local.db;
  tables = {
    participants: local.table((s) => s.participants),
    coverage: local.table((s) => s.contributions.coverage),
    audit: local.table((s) => s.audit),
  };
});
afterAll(() => local?.stop());

const programme = findProgramme('kapuas-2026-apbd')!;
const PEOPLE = 25;
const CHUNK = 10;

/** A proposal BPJS registered everyone of, SUBMITTING, with its workers and BPJS's answers in the store. */
async function submitted(id: string, firstSerial: number) {
  const niks = Array.from({ length: PEOPLE }, (_, i) => `620301140282${String(firstSerial + i).padStart(4, '0')}`);
  const objects = new MemoryObjects();
  const workers = niks.map((nik, i) => ({
    row: i + 2,
    nik,
    name: `Pekerja ${i}`,
    birthDate: '1982-02-14',
    sex: 'L',
    occupation: 'petani',
  }));
  await objects.put(workersKey(id), workers.map((w) => JSON.stringify(w)).join('\n') + '\n');
  const results = niks.map((nik, i) => ({ nik, status: 'REGISTERED', kpj: `KPJ-${id}-${i}` }));
  await objects.put(bpjsResultsKey(id), results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const proposals = new MemoryProposalStore();
  proposals.put(
    proposal({ id, status: 'SUBMITTING', programmeId: programme.id, workersKey: workersKey(id), enrolled: 0 }),
  );
  const deps = {
    proposals,
    objects,
    enrolments: new DynamoDbEnrolmentStore(db, tables) as EnrolmentStore,
    ledger: new MemoryLedger(),
    findProgramme,
    now: () => new Date('2026-03-10T02:00:00Z'),
  };
  return { niks, proposals, deps };
}

/** The participant items `run` sent to DynamoDB (in transactions or alone), by NIK. */
async function participantPuts(run: () => Promise<unknown>) {
  const send = vi.spyOn(db, 'send');
  const puts = new Map<string, number>();
  try {
    await run();
    for (const [command] of send.mock.calls) {
      const input = (command as { input: Record<string, unknown> }).input;
      const items = (input.TransactItems as { Put?: { TableName: string; Item: { nik: string } } }[] | undefined) ?? [
        { Put: input.Item ? (input as { TableName: string; Item: { nik: string } }) : undefined },
      ];
      for (const { Put } of items)
        if (Put?.TableName === tables.participants) puts.set(Put.Item.nik, (puts.get(Put.Item.nik) ?? 0) + 1);
    }
    return puts;
  } finally {
    send.mockRestore();
  }
}

const scan = async (table: string, keep: (item: Record<string, unknown>) => boolean) =>
  ((await db.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? []).filter(keep);

/**
 * Each person recorded once, whatever the runs were: one participant and one coverage, and their enrolment
 * named in exactly one event, on the record their participant points to; nothing on their own trail yet.
 */
async function expectRecordedOnce(niks: string[], proposalId: string) {
  const participants = await scan(tables.participants, (i) => i.proposalId === proposalId);
  expect(participants.map((p) => p.nik).sort()).toEqual([...niks].sort());
  const coverages = await scan(tables.coverage, (i) => niks.includes(String(i.nik)) && i.programmeId === programme.id);
  expect(coverages.map((c) => c.nik).sort()).toEqual([...niks].sort());
  const audit = new DynamoDbAuditLog(db, tables.audit);
  const records = [...new Set(participants.map((p) => String(p.enrolment)))];
  const named = (
    await Promise.all(records.map(async (entity) => (await audit.byEntity(entity)).map((e) => ({ entity, e }))))
  )
    .flat()
    .flatMap(({ entity, e }) => (e.details!.people as { nik: string }[]).map((p) => ({ entity, nik: p.nik })));
  expect(named.map((n) => n.nik).sort()).toEqual([...niks].sort());
  for (const p of participants) expect(named.find((n) => n.nik === p.nik)!.entity).toBe(p.enrolment);
  for (const nik of niks) expect(await audit.byEntity(participantEntity(nik, programme.id))).toEqual([]);
}

describe('recording a proposal in several runs', () => {
  it('a run out of time saves how many it recorded; the next records the rest, everyone exactly once', async () => {
    const id = 'prp-resume0000000000001';
    const { niks, proposals, deps } = await submitted(id, 1);

    // The first run's time is up after its first chunk: it pauses with 10 recorded and says so.
    let paused: unknown;
    const first = await participantPuts(async () => {
      paused = await recordParticipants(deps, { proposalId: id }, { chunk: CHUNK, outOfTime: () => true }).catch(
        (e: unknown) => e,
      );
    });
    expect(paused).toBeInstanceOf(RecordingPausedError);
    expect(await proposals.get(id)).toMatchObject({ status: 'SUBMITTING', enrolled: CHUNK });
    expect(proposals.actions(id)).toEqual(['PARTICIPANTS_RECORDING_PAUSED']);
    expect([...first.keys()].sort()).toEqual(niks.slice(0, CHUNK).sort());

    // The workflow's next try has time for the rest: it starts after the ten, and closes the proposal.
    let result: Awaited<ReturnType<typeof recordParticipants>> | undefined;
    const second = await participantPuts(async () => {
      result = await recordParticipants(deps, { proposalId: id }, { chunk: CHUNK, outOfTime: () => false });
    });
    expect(result).toMatchObject({ status: 'ENROLLED', enrolled: PEOPLE, coveragesOpened: PEOPLE - CHUNK });
    expect([...second.keys()].sort()).toEqual(niks.slice(CHUNK).sort());
    // Across both runs each person was written once: nobody was sent to the table a second time.
    const sent = new Map([...first, ...second]);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    expect(sent.size).toBe(PEOPLE);
    expect(await proposals.get(id)).toMatchObject({ status: 'ENROLLED', enrolled: PEOPLE, rejectedByBpjs: 0 });
    expect(proposals.actions(id)).toEqual(['PARTICIPANTS_RECORDING_PAUSED', 'PARTICIPANTS_RECORDED']);
    await expectRecordedOnce(niks, id);
  });

  it('a run that dies between two saves is finished by the next, which records nobody twice', async () => {
    const id = 'prp-resume0000000000002';
    const { niks, proposals, deps } = await submitted(id, 101);
    // Paused after the first chunk, as above.
    await expect(
      recordParticipants(deps, { proposalId: id }, { chunk: CHUNK, outOfTime: () => true }),
    ).rejects.toBeInstanceOf(RecordingPausedError);

    // The next run records the second chunk, then dies (a Lambda killed, DynamoDB gone) before it
    // records the third: the proposal still says ten.
    const { enrolments } = deps;
    let calls = 0;
    const dying = {
      ...deps,
      enrolments: {
        record: async (...args: Parameters<EnrolmentStore['record']>) => {
          calls += 1;
          if (calls === 2) throw new Error('Lambda killed');
          return enrolments.record(...args);
        },
      },
    };
    await expect(
      recordParticipants(dying, { proposalId: id }, { chunk: CHUNK, outOfTime: () => false }),
    ).rejects.toThrow('Lambda killed');
    expect(await proposals.get(id)).toMatchObject({ status: 'SUBMITTING', enrolled: CHUNK });

    // The run after it starts again after the ten: those already in the tables are left as they are.
    const result = await recordParticipants(deps, { proposalId: id }, { chunk: CHUNK, outOfTime: () => false });
    expect(result).toMatchObject({ status: 'ENROLLED', enrolled: PEOPLE, coveragesOpened: PEOPLE - 2 * CHUNK });
    expect(proposals.actions(id)).toEqual(['PARTICIPANTS_RECORDING_PAUSED', 'PARTICIPANTS_RECORDED']);
    await expectRecordedOnce(niks, id);
  });
});
