import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startS3Local } from '../../infra/local/s3-local';
import {
  api,
  approvalLink,
  decide,
  mails,
  nik,
  proposalCsv,
  portsOf,
  startTestStack,
  upload,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

let stack: TestStack | undefined;
afterAll(async () => {
  await stack?.stop();
});

describe('the local stack across a restart', () => {
  it('keeps proposals and carries on with one that was waiting for approval', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jaring-restart-'));
    stack = await startTestStack(home);
    const uploadKey = 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan-sebelum-restart.csv';
    await upload(
      stack,
      uploadKey,
      proposalCsv([[nik('09-09-1970', 'P', 31), 'Maria Ulfa', '09-09-1970', 'P', 'pedagang pasar']]),
    );
    const waiting = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL']);
    const { code } = await approvalLink(stack, waiting.id);
    // The mail reaches the inbox a moment before the proposal records it as sent; a stop in between
    // would rightly mail again after the restart (at least once), so wait for the record.
    await expect
      .poll(
        async () =>
          (await api(stack!, `/proposals/${waiting.id}/history`)).body.events.map((e: { action: string }) => e.action),
        { timeout: 15_000 },
      )
      .toContain('APPROVAL_MAIL_SENT');
    const ports = portsOf(stack.info);
    await stack.stop();

    // An upload that reached S3 while the pipeline was not listening (the stack stopped between the
    // write and its event): S3 alone, on the same data, takes the file.
    const lostKey = 'proposals/kapuas-2026-apbd/62.03.01.2020/usulan-saat-mati.csv';
    const s3Only = await startS3Local({
      port: 0,
      dataDir: join(home, 's3'),
      buckets: [{ name: stack.info.s3.buckets.uploads! }],
      credentials: {},
      onObjectCreated: () => undefined,
    });
    await new S3Client({
      endpoint: s3Only.endpoint,
      region: 'ap-southeast-3',
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }).send(
      new PutObjectCommand({
        Bucket: stack.info.s3.buckets.uploads!,
        Key: lostKey,
        Body: proposalCsv([[nik('10-10-1977', 'L', 41), 'Agus Salim', '10-10-1977', 'L', 'nelayan']]),
      }),
    );
    await s3Only.stop();

    // Same data directory, new services: the engine remembers nothing, DynamoDB remembers everything.
    stack = await startTestStack(home, { ports });
    expect(stack.redriven).toContain(waiting.id);
    // The re-driven execution parks its new task token before anyone can decide (no fixed sleep).
    await expect
      .poll(
        async () =>
          (await api(stack!, `/proposals/${waiting.id}/history`)).body.events.map((e: { action: string }) => e.action),
        {
          timeout: 15_000,
        },
      )
      .toContain('APPROVAL_WAIT_RESUMED');
    // The link mailed before the restart still works.
    const decision = await decide(stack, waiting.id, code, 'APPROVED');
    expect(decision.status).toBe(200);
    const done = await waitForProposal(stack, uploadKey, ['ENROLLED', 'FAILED']);
    // By now the re-driven wait has long run to its end: no second approval mail went out.
    expect((await mails(stack)).filter((m) => m.text.includes(`/approvals/${waiting.id}?`))).toHaveLength(1);
    // The upload nobody heard of is picked up at start-up, and only once.
    expect(await waitForProposal(stack, lostKey, ['AWAITING_APPROVAL'])).toMatchObject({ valid: 1 });
    expect((await api(stack, `/proposals?uploadKey=${encodeURIComponent(lostKey)}`)).body.proposals).toHaveLength(1);
    expect((await api(stack, `/proposals?uploadKey=${encodeURIComponent(uploadKey)}`)).body.proposals).toHaveLength(1);
    expect(done).toMatchObject({ status: 'ENROLLED', enrolled: 1, redrives: 1 });
  }, 240_000);
});
