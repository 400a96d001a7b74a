import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log';
import { DynamoDbProposalStore } from '../../functions/adapters/dynamodb-proposal-store';
import { DynamoDbQuotaLedger } from '../../functions/adapters/dynamodb-quota-ledger';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import { cancelProposal } from '../../functions/core/proposals/use-cases/cancel-proposal';
import { markFailed } from '../../functions/core/proposals/use-cases/mark-failed';
import { quotaOf } from '../../functions/core/proposals/reservations';
import { ProposalStatusConflictError } from '../../functions/ports/proposal-store';
import {
  api,
  approvalLink,
  decide,
  moveApprovalDeadline,
  executionsSettled,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

let stack: TestStack;
let db: DynamoDBDocumentClient;
let store: DynamoDbProposalStore;
let audit: DynamoDbAuditLog;
let ledger: DynamoDbQuotaLedger;
let objects: S3ObjectStore;

beforeAll(async () => {
  stack = await startTestStack();
  const { info } = stack;
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: info.dynamodb.endpoint, region: info.region }));
  store = new DynamoDbProposalStore(db, {
    proposals: info.dynamodb.tables.proposals!,
    audit: info.dynamodb.tables.audit!,
  });
  audit = new DynamoDbAuditLog(db, info.dynamodb.tables.audit!);
  ledger = new DynamoDbQuotaLedger(db, info.dynamodb.tables.quotas!);
  objects = new S3ObjectStore(
    new S3Client({ endpoint: info.s3.endpoint, region: info.region, forcePathStyle: true }),
    info.s3.buckets.uploads!,
  );
});
afterAll(async () => {
  await stack?.stop();
});

const programme = findProgramme('kapuas-2026-apbdes')!;
const keyIn = (village: string, name: string) => `proposals/${programme.id}/${village}/${name}`;
const people = (count: number, from: number) =>
  Array.from({ length: count }, (_, i) => [
    nik('21-04-1979', 'P', from + i),
    `Ibu Pekerja ${'ABCDEFGHIJ'[i % 10]}`,
    '21-04-1979',
    'P',
    'pedagang pasar',
  ]);

/** What the workflow's Catch does when the approval stage fails after its retries. */
async function failAtApproval(proposalId: string) {
  await markFailed(
    { proposals: store, audit },
    { proposalId, stage: 'approval', error: { Error: 'States.TaskFailed', Cause: 'mail server down' } },
  );
  expect((await store.get(proposalId))!.status).toBe('FAILED');
}

describe('a FAILED proposal does not keep its people and quota', () => {
  it('is superseded by a new upload for its village, giving back what it held', async () => {
    const village = '62.03.13.2001';
    const first = keyIn(village, 'usulan-april.csv');
    const rows = people(3, 7300);
    await upload(stack, first, proposalCsv(rows));
    const failed = await waitForProposal(stack, first, ['AWAITING_APPROVAL']);
    await failAtApproval(failed.id);
    expect(await ledger.reserved(quotaOf(programme, village))).toBe(3);

    const second = keyIn(village, 'usulan-april-ulang.csv');
    await upload(stack, second, proposalCsv(rows));
    const fresh = await waitForProposal(stack, second, ['AWAITING_APPROVAL', 'INVALID', 'FAILED']);
    expect(fresh).toMatchObject({ status: 'AWAITING_APPROVAL', valid: 3, invalid: 0, supersedes: failed.id });
    expect((await api(stack, `/proposals/${failed.id}`)).body).toMatchObject({
      status: 'SUPERSEDED',
      supersededBy: fresh.id,
    });
    expect(await ledger.reserved(quotaOf(programme, village))).toBe(3);
    // Its approval wait (the execution was still waiting when it was marked FAILED) ended with it.
    await executionsSettled(stack, [first, second], 1);
  });

  it('can be cancelled by the Dinas Sosial: CANCELLED, audited, and its people free for another village', async () => {
    const village = '62.03.13.2002';
    const key = keyIn(village, 'usulan-gagal.csv');
    const rows = people(2, 7400);
    await upload(stack, key, proposalCsv(rows));
    const failed = await waitForProposal(stack, key, ['AWAITING_APPROVAL']);
    await failAtApproval(failed.id);

    const result = await cancelProposal(
      { proposals: store, audit, ledger, objects, findProgramme },
      { proposalId: failed.id, actor: 'operator:dinsos@kapuaskab.go.id', note: 'Diganti usulan susulan' },
    );
    expect(result).toMatchObject({ ok: true, proposal: { status: 'CANCELLED' } });
    expect(await ledger.reserved(quotaOf(programme, village))).toBe(0);
    const history = await api(stack, `/proposals/${failed.id}/history`);
    expect(history.body.events).toContainEqual(
      expect.objectContaining({
        action: 'PROPOSAL_CANCELLED',
        actor: 'operator:dinsos@kapuaskab.go.id',
        from: 'FAILED',
        to: 'CANCELLED',
      }),
    );

    const elsewhere = keyIn('62.03.13.2003', 'usulan.csv');
    await upload(stack, elsewhere, proposalCsv(rows));
    expect(await waitForProposal(stack, elsewhere, ['AWAITING_APPROVAL', 'INVALID', 'FAILED'])).toMatchObject({
      status: 'AWAITING_APPROVAL',
      valid: 2,
    });
  });
});

describe('the approval deadline', () => {
  it('refuses a decision posted after it, and enrolls nobody', async () => {
    const village = '62.03.14.2001';
    const key = keyIn(village, 'usulan-terlambat.csv');
    await upload(stack, key, proposalCsv(people(2, 7500)));
    const waiting = await waitForProposal(stack, key, ['AWAITING_APPROVAL']);
    const { code } = await approvalLink(stack, waiting.id);
    // The deadline passes (days, in life): moved to a minute ago in the table itself.
    const passed = new Date(Date.now() - 60_000).toISOString();
    await moveApprovalDeadline(stack, waiting.id, passed);

    const late = await api(stack, `/approvals/${waiting.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code, decision: 'APPROVED' }),
    });
    const after = (await api(stack, `/proposals/${waiting.id}`)).body;
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.approval.decision).toBeUndefined();
    expect(late.body).toMatchObject({ error: 'EXPIRED' });
    expect(late.status).toBe(409);
    expect((await decide(stack, waiting.id, code, 'REJECTED', 'terlambat')).status).toBe(409);
  });

  it('is checked by the write itself, whatever the caller read before', async () => {
    const village = '62.03.14.2002';
    const key = keyIn(village, 'usulan-batas.csv');
    await upload(stack, key, proposalCsv(people(1, 7600)));
    const waiting = await waitForProposal(stack, key, ['AWAITING_APPROVAL']);
    const { expiresAt } = (await store.get(waiting.id))!.approval!;
    const change = (at: string) =>
      store.change(waiting.id, {
        from: ['AWAITING_APPROVAL'],
        notExpiredAt: at,
        set: {},
        audit: { action: 'TEST_DEADLINE_CONDITION', actor: 'test' },
      });
    await expect(change(expiresAt)).rejects.toBeInstanceOf(ProposalStatusConflictError);
    await expect(change(new Date(Date.parse(expiresAt) + 1).toISOString())).rejects.toBeInstanceOf(
      ProposalStatusConflictError,
    );
    await expect(change(new Date(Date.parse(expiresAt) - 1).toISOString())).resolves.toMatchObject({
      status: 'AWAITING_APPROVAL',
    });
  });
});
