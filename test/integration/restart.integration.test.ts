import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { approvalLink, decide, mails, nik, proposalCsv, portsOf, startTestStack, upload, waitForProposal, type TestStack } from '../support/local-stack';

let stack: TestStack | undefined;
afterAll(async () => {
  await stack?.stop();
});

describe('the local stack across a restart', () => {
  it('keeps proposals and carries on with one that was waiting for approval', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jaring-restart-'));
    stack = await startTestStack(home);
    const uploadKey = 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan-sebelum-restart.csv';
    await upload(stack, uploadKey, proposalCsv([[nik('09-09-1970', 'P', 31), 'Maria Ulfa', '09-09-1970', 'P', 'pedagang pasar']]));
    const waiting = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL']);
    const { code } = await approvalLink(stack, waiting.id);
    const ports = portsOf(stack.info);
    await stack.stop();

    // Same data directory, new services: the engine remembers nothing, DynamoDB remembers everything.
    stack = await startTestStack(home, { ports });
    expect(stack.redriven).toContain(waiting.id);
    await new Promise((r) => setTimeout(r, 1000));
    // The link mailed before the restart still works, and no second approval mail went out.
    expect((await mails(stack)).filter((m) => m.text.includes(`/approvals/${waiting.id}?`))).toHaveLength(1);
    const decision = await decide(stack, waiting.id, code, 'APPROVED');
    expect(decision.status).toBe(200);
    const done = await waitForProposal(stack, uploadKey, ['ENROLLED', 'FAILED']);
    expect(done).toMatchObject({ status: 'ENROLLED', enrolled: 1, redrives: 1 });
  });
});
