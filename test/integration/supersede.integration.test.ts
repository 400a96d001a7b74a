import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbQuotaLedger } from '../../functions/adapters/dynamodb-quota-ledger';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import { quotaOf } from '../../functions/core/proposals/reservations';
import {
  api,
  mails,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  waitForMail,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

let stack: TestStack;
let sfn: SFNClient;
let ledger: DynamoDbQuotaLedger;

beforeAll(async () => {
  stack = await startTestStack();
  sfn = new SFNClient({
    endpoint: stack.info.stepfunctions.endpoint,
    region: stack.info.region,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
  });
  ledger = new DynamoDbQuotaLedger(
    DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: stack.info.dynamodb.endpoint, region: stack.info.region }),
    ),
    stack.info.dynamodb.tables.quotas!,
  );
});
afterAll(async () => {
  await stack?.stop();
});

const programme = findProgramme('kapuas-2026-apbdes')!;
const keyIn = (village: string) => (name: string) => `proposals/${programme.id}/${village}/${name}`;

/** `count` valid workers, distinct from every other test's (serials from `from`). */
const people = (count: number, from: number) =>
  Array.from({ length: count }, (_, i) => [
    nik('14-02-1982', 'L', from + i),
    `Pekerja Ke ${'ABCDEFGHIJ'[i % 10]}`,
    '14-02-1982',
    'L',
    'petani',
  ]);

/** Every proposal of a village, newest first (as the API lists them). */
async function villageProposals(
  village: string,
): Promise<{ id: string; status: string; uploadKey: string; supersededBy?: string }[]> {
  return (await api(stack, `/proposals?programmeId=${programme.id}&villageCode=${village}`)).body.proposals ?? [];
}

/**
 * Waits until every execution started for these upload keys has left RUNNING, except those waiting for the given
 * proposals' approval.
 */
async function executionsSettled(keys: string[], waitingFor: number) {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stack.info.stepfunctions.stateMachines.enrollment! }),
    );
    const mine = [];
    for (const e of executions) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }));
      if (keys.includes(JSON.parse(d.input ?? '{}').detail?.object?.key)) mine.push(d.status);
    }
    if (mine.length >= keys.length && mine.filter((s) => s === 'RUNNING').length === waitingFor) return mine;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`executions for ${keys.join(', ')} did not settle`);
}

describe('the newest upload for a village and programme wins', () => {
  it('a corrected file uploaded moments after the first supersedes it, whatever stage the first is in', async () => {
    const village = '62.03.12.2001';
    const key = keyIn(village);
    const rows = people(6, 7100);
    // The first file has one wrong row; the corrected one follows while the first is still on its way.
    await upload(stack, key('usulan-mei.csv'), proposalCsv([...rows, ['123', 'Salah', '01-01-1980', 'L', 'petani']]));
    await upload(stack, key('usulan-mei-perbaikan.csv'), proposalCsv(rows));

    const fresh = await waitForProposal(stack, key('usulan-mei-perbaikan.csv'), [
      'AWAITING_APPROVAL',
      'INVALID',
      'FAILED',
    ]);
    expect(fresh).toMatchObject({ status: 'AWAITING_APPROVAL', valid: 6, invalid: 0 });
    const old = await waitForProposal(stack, key('usulan-mei.csv'), [
      'SUPERSEDED',
      'AWAITING_APPROVAL',
      'INVALID',
      'FAILED',
    ]);
    expect(old).toMatchObject({ status: 'SUPERSEDED', supersededBy: fresh.id });

    await executionsSettled([key('usulan-mei.csv'), key('usulan-mei-perbaikan.csv')], 1);
    // Only the newest went to the approver, and only its people hold the desa's quota.
    await waitForMail(stack, (m) => m.text.includes(`/approvals/${fresh.id}?`));
    expect((await mails(stack)).filter((m) => m.text.includes(`/approvals/${old.id}?`))).toHaveLength(0);
    expect(await ledger.reserved(quotaOf(programme, village))).toBe(6);
  });

  it('the same file uploaded three times in quick succession leaves the last upload waiting for approval', async () => {
    const village = '62.03.12.2002';
    const key = keyIn(village)('usulan-mei.csv');
    const csv = proposalCsv(people(5, 7200));
    await upload(stack, key, csv);
    await upload(stack, key, csv);
    await upload(stack, key, csv);

    // The key's proposal is its newest upload's; it ends waiting for approval, the other two stop.
    await waitForProposal(stack, key, ['AWAITING_APPROVAL', 'INVALID', 'FAILED']);
    await executionsSettled([key], 1);
    const listed = await villageProposals(village);
    expect(listed).toHaveLength(3);
    const byKey = await api(stack, `/proposals?uploadKey=${encodeURIComponent(key)}`);
    expect(byKey.body).toMatchObject({ status: 'AWAITING_APPROVAL', valid: 5 });
    const newest = byKey.body.id as string;
    expect(listed.filter((p) => p.status === 'AWAITING_APPROVAL').map((p) => p.id)).toEqual([newest]);
    expect(listed.filter((p) => p.id !== newest).map((p) => p.status)).toEqual(['SUPERSEDED', 'SUPERSEDED']);
    await waitForMail(stack, (m) => m.text.includes(`/approvals/${newest}?`));
    const approvalMails = (await mails(stack)).filter((m) =>
      listed.some((p) => m.text.includes(`/approvals/${p.id}?`)),
    );
    expect(approvalMails).toHaveLength(1);
    expect(await ledger.reserved(quotaOf(programme, village))).toBe(5);
  });
});
