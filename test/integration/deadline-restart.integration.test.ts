import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbQuotaLedger } from '../../functions/adapters/dynamodb-quota-ledger';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import { quotaOf } from '../../functions/core/proposals/reservations';
import {
  api,
  mails,
  moveApprovalDeadline,
  nik,
  portsOf,
  proposalCsv,
  startTestStack,
  upload,
  waitForMail,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

let stack: TestStack | undefined;
afterAll(async () => {
  await stack?.stop();
});

const programme = findProgramme('kapuas-2026-apbdes')!;

describe('a restart does not re-arm the approval window', () => {
  it('a proposal whose deadline passed while the stack was down expires at once, without a new request', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jaring-deadline-'));
    stack = await startTestStack(home);
    const village = '62.03.15.2001';
    const key = `proposals/${programme.id}/${village}/usulan-lewat.csv`;
    await upload(
      stack,
      key,
      proposalCsv([[nik('05-05-1975', 'L', 7700), 'Slamet Riyadi', '05-05-1975', 'L', 'nelayan']]),
    );
    const waiting = await waitForProposal(stack, key, ['AWAITING_APPROVAL']);
    await waitForMail(stack, (m) => m.text.includes(`/approvals/${waiting.id}?`));
    const db = () =>
      DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: stack!.info.dynamodb.endpoint, region: stack!.info.region }),
      );
    // The window runs out while the stack is down: its deadline, a second ago, in the table itself.
    const passed = new Date(Date.now() - 1000).toISOString();
    await moveApprovalDeadline(stack, waiting.id, passed);
    const ports = portsOf(stack.info);
    await stack.stop();

    stack = await startTestStack(home, { ports });
    expect(stack.redriven).toContain(waiting.id);
    const expired = await waitForProposal(stack, key, ['EXPIRED', 'FAILED'], 30_000);
    expect(expired).toMatchObject({
      status: 'EXPIRED',
      reason: { code: 'APPROVAL_EXPIRED' },
      approval: { expiresAt: passed },
    });
    // The expiry notice goes out after the places are given back.
    await waitForMail(stack, (m) => m.subject.includes('usulan-lewat.csv') && m.subject.includes('kedaluwarsa'));
    const ledger = new DynamoDbQuotaLedger(db(), stack.info.dynamodb.tables.quotas!);
    expect(await ledger.reserved(quotaOf(programme, village))).toBe(0);
    // Nobody was asked again.
    expect((await mails(stack)).filter((m) => m.text.includes(`/approvals/${waiting.id}?`))).toHaveLength(1);
    const history = await api(stack, `/proposals/${waiting.id}/history`);
    expect(history.body.events.map((e: { action: string }) => e.action)).not.toContain('APPROVAL_WAIT_RESUMED');
    // Two start-ups of the whole stack, on two cores shared with other suites.
  }, 180_000);
});
