import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpBpjsGateway } from '../../../functions/adapters/http-bpjs-gateway';
import type { BpjsClaimStatus, ClaimSubmission } from '../../../functions/core/bpjs/claim-contract';
import { BpjsUnavailableError } from '../../../functions/ports/bpjs';
import { startBpjsSandbox } from '../../../infra/local/bpjs-sandbox';
import { submission } from './claim-fixture';

const PROGRAMME = 'kapuas-2026-apbd';
// 20:00 UTC is 03:00 the next day in Jakarta: a payout is dated on Jakarta's calendar.
const START = Date.parse('2026-03-02T20:00:00Z');

describe('claims: the BPJS adapter against the sandbox', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bpjs-sandbox-'));
  let clock = START;
  let sandbox: Awaited<ReturnType<typeof startBpjsSandbox>>;
  let bpjs: HttpBpjsGateway;
  let serial = 0;
  const start = async () => {
    sandbox = await startBpjsSandbox({ port: 0, dataDir, log: () => undefined, now: () => clock });
    bpjs = new HttpBpjsGateway(sandbox.url, { timeoutMs: 1_000 });
  };
  const post = (path: string, body: unknown) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const faults = (f: Record<string, unknown>) => post('/_sandbox/faults', f);
  const served = async () =>
    (
      (await (await fetch(`${sandbox.url}/_sandbox/state`)).json()) as {
        claims: number;
        served: Record<string, number>;
      }
    ).served;
  const status = async (id: string) => (await bpjs.getClaimStatus(id))!;

  /** A participant the sandbox registered, and a claim on them ready to file under a fresh reference. */
  const claimOnNewParticipant = async (over: Partial<ClaimSubmission> = {}) => {
    serial += 1;
    const nik = `620301150688${String(serial).padStart(4, '0')}`;
    const registered = await bpjs.register({
      programmeId: PROGRAMME,
      reference: `prp-claims-${serial}`,
      employer: { name: 'Pemerintah Kabupaten Kapuas', regencyCode: '62.03' },
      coverageStart: '2026-01-01',
      coverageEnd: '2026-12-31',
      benefits: ['JKK', 'JKM'],
      workers: [{ nik, name: 'Budi', birthDate: '1988-06-15', sex: 'L', occupation: 'petani' }],
    });
    const result = registered.results[0]!;
    if (result.status !== 'REGISTERED') throw new Error(`not registered: ${result.reason.message}`);
    return submission({ reference: `clm-${serial}`, nik, kpj: result.kpj, ...over });
  };
  const fileNew = async (over: Partial<ClaimSubmission> = {}) => {
    const claim = await claimOnNewParticipant(over);
    return { claim, filed: await bpjs.submitClaim(claim) };
  };

  beforeAll(start);
  afterAll(() => sandbox.stop());
  beforeEach(async () => {
    clock = START;
    await faults({});
  });

  it('files a claim once, however often it is sent, also when the first answer was lost', async () => {
    const claim = await claimOnNewParticipant();
    const before = await served();
    await faults({ timeoutRate: 1 });
    const lost = await bpjs.submitClaim(claim).catch((e: Error) => e);
    expect(lost).toBeInstanceOf(BpjsUnavailableError);
    expect((lost as Error).message).toContain('tidak menjawab');
    await faults({});
    const filed = await bpjs.submitClaim(claim);
    const again = await bpjs.submitClaim({ ...claim, amountRequested: 1 });
    expect(filed).toMatchObject({ reference: claim.reference, status: 'RECEIVED', classification: 'JKM' });
    expect(filed.bpjsClaimId).toMatch(/^KLM-\d{8}$/);
    expect(again).toEqual(filed);
    const after = await served();
    expect(after.claims! - before.claims!).toBe(1);
    expect(after.claimsReplayed! - before.claimsReplayed!).toBe(2);
    const other = await bpjs.submitClaim({ ...claim, reference: `${claim.reference}-b`, type: 'JKK' });
    expect(other.bpjsClaimId).not.toBe(filed.bpjsClaimId);
  });

  it('decides after the delay on its clock, then pays the amount requested to the recipient', async () => {
    const { claim, filed } = await fileNew();
    clock += 1_999;
    expect((await status(filed.bpjsClaimId)).status).toBe('RECEIVED');
    clock += 1;
    const approved = await status(filed.bpjsClaimId);
    expect(approved).toMatchObject({
      status: 'APPROVED',
      classification: 'JKM',
      decidedAt: '2026-03-02T20:00:02.000Z',
    });
    expect(approved.payout).toBeUndefined();
    // Read late: the payout is dated when it was due, not when it was read.
    clock += 86_400_000;
    const paid = await status(filed.bpjsClaimId);
    expect(paid).toMatchObject({
      status: 'PAID',
      payout: { heirNik: claim.recipient.nik, amount: 42_000_000, paidOn: '2026-03-03' },
    });
    expect(paid.payout!.bankReference).toMatch(/^TRF-KLM-\d{8}-1$/);
    expect(await status(filed.bpjsClaimId)).toEqual(paid);
  });

  it('follows the delays the faults set', async () => {
    await faults({ claimDecisionDelayMs: 60_000, claimPayoutDelayMs: 0 });
    const { filed } = await fileNew();
    clock += 59_999;
    expect((await status(filed.bpjsClaimId)).status).toBe('RECEIVED');
    clock += 1;
    expect((await status(filed.bpjsClaimId)).status).toBe('PAID');
  });

  it('refuses the claims of the NIKs it is told to, an unregistered KPJ, and a second death, each with a reason', async () => {
    const { claim: refusedClaim, filed } = await fileNew();
    await faults({ refuseClaimNiks: [refusedClaim.nik] });
    clock += 2_000;
    const refused = await status(filed.bpjsClaimId);
    expect(refused).toMatchObject({ status: 'REFUSED', decidedAt: expect.any(String) });
    expect(refused.reason).toMatch(/^Klaim ditolak: hasil verifikasi BPJS Ketenagakerjaan/);
    clock += 86_400_000;
    expect((await status(refused.bpjsClaimId)).status).toBe('REFUSED');

    await faults({});
    const stranger = await bpjs.submitClaim(await claimOnNewParticipant({ kpj: '26999999999' }));
    clock += 2_000;
    expect(await status(stranger.bpjsClaimId)).toMatchObject({
      status: 'REFUSED',
      reason: expect.stringMatching(/KPJ/),
    });

    const { claim: death, filed: first } = await fileNew();
    const second = await bpjs.submitClaim({ ...death, reference: `${death.reference}-again`, type: 'JKK_DEATH' });
    clock += 2_000;
    expect((await status(first.bpjsClaimId)).status).toBe('APPROVED');
    expect(await status(second.bpjsClaimId)).toMatchObject({
      status: 'REFUSED',
      reason: expect.stringContaining(first.bpjsClaimId),
    });
  });

  it('pays a reclassified claim only the amount confirmed for its classification', async () => {
    const { claim, filed } = await fileNew({ type: 'JKK_DEATH', amountRequested: 92_000_000 });
    await faults({ reclassifyClaims: { [claim.nik]: 'JKM' } });
    clock += 2_000;
    const approved = await status(filed.bpjsClaimId);
    expect(approved).toMatchObject({ status: 'APPROVED', classification: 'JKM', awaitingAmount: true });
    clock += 86_400_000;
    expect(await status(filed.bpjsClaimId)).toEqual(approved);

    const stale = bpjs.confirmAmount(filed.bpjsClaimId, { classification: 'JKK_DEATH', amount: 92_000_000 });
    await expect(stale).rejects.toMatchObject({ name: 'BpjsRequestRejectedError' });
    const confirmed = await bpjs.confirmAmount(filed.bpjsClaimId, { classification: 'JKM', amount: 42_000_000 });
    expect(confirmed).toMatchObject({ status: 'APPROVED', classification: 'JKM' });
    expect(confirmed.awaitingAmount).toBeUndefined();
    // A retried confirmation (its answer lost) answers the claim; another amount is a conflict.
    expect(await bpjs.confirmAmount(filed.bpjsClaimId, { classification: 'JKM', amount: 42_000_000 })).toEqual(
      confirmed,
    );
    const changed = bpjs.confirmAmount(filed.bpjsClaimId, { classification: 'JKM', amount: 50_000_000 });
    await expect(changed).rejects.toMatchObject({ name: 'BpjsRequestRejectedError' });
    clock += 1_000;
    expect(await status(filed.bpjsClaimId)).toMatchObject({
      status: 'PAID',
      classification: 'JKM',
      payout: { amount: 42_000_000 },
    });
  });

  it('asks once for a document, and decides a delay after it arrives', async () => {
    const { claim, filed } = await fileNew();
    await faults({ askDocumentForNiks: { [claim.nik]: 'NPWP' } });
    clock += 2_000;
    const asked = await status(filed.bpjsClaimId);
    expect(asked).toMatchObject({ status: 'NEEDS_DOCUMENT', missingDocument: 'NPWP' });
    expect(asked.decidedAt).toBeUndefined();
    clock += 86_400_000;
    expect((await bpjs.supplyDocument(filed.bpjsClaimId, 'MARRIAGE_BOOK')).status).toBe('NEEDS_DOCUMENT');
    const supplied = await bpjs.supplyDocument(filed.bpjsClaimId, 'NPWP');
    expect(supplied.status).toBe('RECEIVED');
    expect(supplied.missingDocument).toBeUndefined();
    clock += 1_999;
    expect((await status(filed.bpjsClaimId)).status).toBe('RECEIVED');
    // Still listed in the faults, but asked once: now it is decided.
    clock += 1;
    expect((await status(filed.bpjsClaimId)).status).toBe('APPROVED');
    clock += 1_000;
    expect((await status(filed.bpjsClaimId)).status).toBe('PAID');
  });

  it('reports a failed transfer until the bank takes the account, then pays on a later read', async () => {
    const { claim, filed } = await fileNew();
    await faults({ failTransferAccounts: [claim.recipient.bankAccount.number] });
    clock += 3_000;
    const failed = await status(filed.bpjsClaimId);
    expect(failed).toMatchObject({
      status: 'TRANSFER_FAILED',
      reason: expect.stringMatching(/^Transfer ditolak bank/),
    });
    expect(failed.payout).toBeUndefined();
    clock += 60_000;
    expect((await status(filed.bpjsClaimId)).status).toBe('TRANSFER_FAILED');
    await faults({});
    clock += 60_000;
    const paid = await status(filed.bpjsClaimId);
    expect(paid).toMatchObject({ status: 'PAID', payout: { amount: 42_000_000, paidOn: '2026-03-03' } });
    expect(paid.reason).toBeUndefined();
    expect(paid.payout!.bankReference).toMatch(/-2$/);
  });

  it('decides on command without waiting for its clock', async () => {
    const { filed } = await fileNew();
    const decided = (await (await post(`/_sandbox/claims/${filed.bpjsClaimId}/decide`, {})).json()) as BpjsClaimStatus;
    expect(decided).toMatchObject({ status: 'PAID', payout: { amount: 42_000_000 } });
    expect(await status(filed.bpjsClaimId)).toEqual(decided);
    expect((await post('/_sandbox/claims/KLM-99999999/decide', {})).status).toBe(404);
  });

  it("applies the sandbox's faults to claims, and knows no claim it was not sent", async () => {
    const claim = await claimOnNewParticipant();
    await faults({ outage: 1 });
    await expect(bpjs.submitClaim(claim)).rejects.toBeInstanceOf(BpjsUnavailableError);
    const filed = await bpjs.submitClaim(claim);
    await faults({ rateLimitRate: 1, retryAfterSeconds: 4 });
    expect(await bpjs.getClaimStatus(filed.bpjsClaimId).catch((e: unknown) => e)).toMatchObject({
      name: 'BpjsUnavailableError',
      rateLimited: true,
      retryAfterMs: 4_000,
    });
    await faults({ errorRate: 1 });
    await expect(bpjs.supplyDocument(filed.bpjsClaimId, 'NPWP')).rejects.toBeInstanceOf(BpjsUnavailableError);
    await faults({});
    expect(await bpjs.getClaimStatus('KLM-99999999')).toBeUndefined();
    await expect(bpjs.supplyDocument('KLM-99999999', 'NPWP')).rejects.toMatchObject({
      name: 'BpjsRequestRejectedError',
    });
    await expect(bpjs.submitClaim({ ...claim, reference: 'clm-bad', nik: '123' })).rejects.toMatchObject({
      name: 'BpjsRequestRejectedError',
    });
  });

  it('keeps its claims across a restart, and what fell due meanwhile happens at the next look', async () => {
    const { filed } = await fileNew();
    await sandbox.stop();
    clock += 10_000;
    await start();
    expect(await status(filed.bpjsClaimId)).toMatchObject({
      status: 'PAID',
      decidedAt: '2026-03-02T20:00:02.000Z',
      payout: { paidOn: '2026-03-03' },
    });
  });
});
