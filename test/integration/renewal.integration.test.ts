import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log';
import { DynamoDbCoverageStore } from '../../functions/adapters/dynamodb-coverage-store';
import { applyCoverageEvent } from '../../functions/core/contributions/coverage';
import { ContributionTerms } from '../../functions/core/contributions/terms';
import { maskNik } from '../../functions/core/privacy/mask';
import { RenewalSummary } from '../../functions/core/proposals/use-cases/renew-village';
import { api, nik, proposalCsv, startTestStack, waitForProposal, type TestStack } from '../support/local-stack';
import { enrollProposal } from '../support/enroll-proposal';
import { stackDocumentClient } from '../support/stack-tables';

// Issue 9, end and renewal: a village enrolled in 2025 continues its people into 2026 through the
// same upload, validation and approval as any proposal, without anyone re-typing them.
const FROM = 'kapuas-2025-apbd';
const TO = 'kapuas-2026-apbd';
const village = '62.03.01.2011'; // the demo operator's village (Pulau Telo)
const people = [
  [nik('03-04-1984', 'L', 7101), 'Bambang Sutrisno', '03-04-1984', 'L', 'petani'],
  [nik('09-10-1991', 'P', 7102), 'Sri Wahyuni', '09-10-1991', 'P', 'nelayan'],
  [nik('21-01-1979', 'L', 7103), 'Agus Salim', '21-01-1979', 'L', 'pedagang pasar'],
] as const;
const deceased = people[2][0];

let stack: TestStack;
let coverages: DynamoDbCoverageStore;
let audit: DynamoDbAuditLog;

beforeAll(async () => {
  stack = await startTestStack();
  const db = stackDocumentClient(stack);
  const { tables } = stack.info.dynamodb;
  coverages = new DynamoDbCoverageStore(db, { coverage: tables.coverage!, audit: tables.audit! });
  audit = new DynamoDbAuditLog(db, tables.audit!);

  await enrollProposal(
    stack,
    { programmeId: FROM, villageCode: village, fileName: 'usulan-2025.csv' },
    proposalCsv(people.map((p) => [...p])),
    'operator',
  );
  // Enrollment opened each participant's coverage, ACTIVE in the village, as renewal reads them.
  for (const [n] of people)
    expect(await coverages.get(FROM, n)).toMatchObject({ status: 'ACTIVE', villageCode: village });
  const terms = ContributionTerms.parse({});
  await coverages.update(FROM, deceased, (c) =>
    applyCoverageEvent(c, { type: 'DIED', at: new Date().toISOString(), dateOfDeath: '2025-08-17' }, terms),
  );
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

const renew = (as: 'operator' | 'verifier' | 'finance', body: Record<string, string>) =>
  api(stack, '/renewals', {
    as,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('renewal of a village into the next period', () => {
  it('proposes the survivors for 2026, validates them to AWAITING_APPROVAL, and says who was left out and why', async () => {
    const res = await renew('operator', { villageCode: village, fromProgrammeId: FROM, toProgrammeId: TO });
    expect(res.status).toBe(202);
    const uploadKey = `proposals/${TO}/${village}/perpanjangan-${FROM}.xlsx`;
    expect(res.body).toMatchObject({ uploadKey, carried: 2 });
    expect(res.body.leftOut).toEqual([
      { nik: maskNik(deceased), name: 'Agus Salim', reason: 'DECEASED', note: expect.stringContaining('2025-08-17') },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(deceased);

    const proposal = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL', 'INVALID', 'FAILED']);
    expect(proposal).toMatchObject({
      status: 'AWAITING_APPROVAL',
      programmeId: TO,
      villageCode: village,
      rows: 2,
      valid: 2,
      invalid: 0,
      uploadedBy: { kind: 'user', username: expect.any(String) },
    });
    // The left-out list beside it, and the request on the village's trail for 2026.
    const stored = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.info.s3.buckets.uploads!, Key: res.body.leftOutKey }),
    );
    const summary = RenewalSummary.parse(JSON.parse(await stored.Body!.transformToString()));
    expect(summary.leftOut.map((l) => l.reason)).toEqual(['DECEASED']);
    const events = await audit.byEntity(`village#${TO}#${village}`);
    expect(events).toEqual([
      expect.objectContaining({ action: 'RENEWAL_REQUESTED', details: expect.objectContaining({ carried: 2 }) }),
    ]);
  });

  it('refuses a renewal into a programme of another funding source, and finance may not ask for one', async () => {
    const otherSource = await renew('verifier', {
      villageCode: village,
      fromProgrammeId: FROM,
      toProgrammeId: 'kapuas-2026-dbh-sawit',
    });
    expect(otherSource.status).toBe(400);
    expect(otherSource.body.message).toContain('bukan kelanjutan');
    const byFinance = await renew('finance', { villageCode: village, fromProgrammeId: FROM, toProgrammeId: TO });
    expect(byFinance.status).toBe(404);
  });
});
