import { describe, expect, it } from 'vitest';
import type { Claim } from '../../../../functions/core/claims/claim';
import { bpjsPromisedBy } from '../../../../functions/core/claims/use-cases/bpjs-promise';
import { checkBpjsClaim } from '../../../../functions/core/claims/use-cases/check-bpjs-claim';
import {
  PayoutNotConfirmedError,
  recordClaimPayout,
} from '../../../../functions/core/claims/use-cases/record-claim-payout';
import { submitClaimToBpjs } from '../../../../functions/core/claims/use-cases/submit-claim-to-bpjs';
import { indonesianHolidays } from '../../../../functions/core/contributions/holidays';
import { BpjsUnavailableError } from '../../../../functions/ports/bpjs';
import { MemoryClaimStore } from '../api-fakes';
import { CHILD, FakeBpjsClaims, FakeMailer, filedClaim, withAllDocuments } from './workflow-fakes';

const approved = (type: Claim['type'] = 'JKM', over: Partial<Claim> = {}) =>
  withAllDocuments(
    filedClaim(
      {
        status: 'AWAITING_APPROVAL',
        approval: { requestedAt: '2026-11-22T00:00:00Z', approversNeeded: 1, links: [] },
        decisions: [
          { action: 'VERIFIED', by: 'verifier:v@x.go.id', at: '2026-11-22T00:00:00Z' },
          { action: 'APPROVED', by: 'approver:k@x.go.id', at: '2026-11-22T01:00:00Z' },
        ],
        ...over,
      },
      type,
    ),
  );

async function setUp(claim: Claim, at = '2026-11-23T02:00:00Z') {
  const claims = new MemoryClaimStore();
  await claims.create(claim, { action: 'CLAIM_FILED', actor: 'operator:x' });
  const bpjs = new FakeBpjsClaims();
  const mailer = new FakeMailer();
  let clock = new Date(at);
  const died: string[] = [];
  const deps = {
    claims,
    bpjs,
    mailer,
    holidays: indonesianHolidays,
    bpjsPromiseWorkingDays: 3,
    apiUrl: 'https://api.example',
    opsEmail: 'dinsos@x.go.id',
    dinasSosial: () => ['dinsos@x.go.id', 'kepala@x.go.id'],
    now: () => clock,
    coverages: {
      get: async () => ({ continuousPaidMonths: 11 }) as never,
      byNik: async () => [{ programmeId: 'kapuas-2026-apbd', status: 'ACTIVE' }] as never,
      update: async (programmeId: string) => {
        died.push(programmeId);
        return {} as never;
      },
    },
    termsFor: () => ({}) as never,
  };
  return { claims, bpjs, mailer, deps, died, setClock: (iso: string) => (clock = new Date(iso)) };
}

describe('BPJS', () => {
  it('gets the approved claim once, under our claim id, for the benefit to the ranked heir', async () => {
    const w = await setUp(approved());
    await submitClaimToBpjs(w.deps, { claimId: 'KLM-1' });
    await submitClaimToBpjs(w.deps, { claimId: 'KLM-1' });
    expect(w.bpjs.submissions).toHaveLength(1);
    expect(w.bpjs.submissions[0]).toMatchObject({ reference: 'KLM-1', amountRequested: 42_000_000, type: 'JKM' });
    expect(w.bpjs.submissions[0]!.recipient.nik).toBe(CHILD);
    expect((await w.claims.get('KLM-1'))!).toMatchObject({
      status: 'SUBMITTED_TO_BPJS',
      bpjs: { reference: 'KLM-1', claimId: 'BPJS-1', submittedAt: '2026-11-23T02:00:00.000Z' },
    });
  });

  it('an outage reaches the workflow as BpjsUnavailableError, which it retries, and records nothing', async () => {
    const w = await setUp(approved());
    w.bpjs.unavailable = new BpjsUnavailableError('503');
    await expect(submitClaimToBpjs(w.deps, { claimId: 'KLM-1' })).rejects.toBeInstanceOf(BpjsUnavailableError);
    expect((await w.claims.get('KLM-1'))!.status).toBe('AWAITING_APPROVAL');
  });

  it('alerts Dinas Sosial once when BPJS passes its 3 working days, counting weekends and holidays out', async () => {
    expect(bpjsPromisedBy('2026-11-20T02:00:00Z', indonesianHolidays, 3)).toBe('2026-11-25');
    // Christmas Eve (cuti bersama), Christmas and the weekend are not working days.
    expect(bpjsPromisedBy('2026-12-23T02:00:00Z', indonesianHolidays, 3)).toBe('2026-12-30');

    const w = await setUp(approved(), '2026-11-20T02:00:00Z');
    await submitClaimToBpjs(w.deps, { claimId: 'KLM-1' });
    w.setClock('2026-11-25T16:00:00Z'); // 23:00 in Jakarta on the promised day: not late yet
    expect(await checkBpjsClaim(w.deps, { claimId: 'KLM-1' })).toEqual({ claimId: 'KLM-1', state: 'WAITING' });
    expect(w.mailer.sent).toEqual([]);
    w.setClock('2026-11-25T17:30:00Z');
    await checkBpjsClaim(w.deps, { claimId: 'KLM-1' });
    await checkBpjsClaim(w.deps, { claimId: 'KLM-1' });
    expect(w.mailer.sent).toHaveLength(1);
    expect(w.mailer.sent[0]).toMatchObject({ to: ['dinsos@x.go.id', 'kepala@x.go.id'] });
    expect(w.mailer.sent[0]!.text).toContain('2026-11-25');
  });

  it('a reclassification recomputes the benefit by our rules, says so, and confirms the new amount', async () => {
    const w = await setUp(approved('JKK_DEATH'));
    await submitClaimToBpjs(w.deps, { claimId: 'KLM-1' });
    expect(w.bpjs.submissions[0]!.amountRequested).toBe(70_000_000);
    w.bpjs.status = {
      status: 'APPROVED',
      classification: 'JKM',
      awaitingAmount: true,
      decidedAt: '2026-11-24T00:00:00Z',
    };
    await checkBpjsClaim(w.deps, { claimId: 'KLM-1' });
    await checkBpjsClaim(w.deps, { claimId: 'KLM-1' });
    const c = (await w.claims.get('KLM-1'))!;
    expect(c).toMatchObject({ type: 'JKM', benefit: { computedFor: 'JKM', total: 42_000_000 } });
    expect(c.decisions.filter((d) => d.action === 'RECLASSIFIED')).toHaveLength(1);
    expect(w.bpjs.confirmations).toEqual([
      { classification: 'JKM', amount: 42_000_000 },
      { classification: 'JKM', amount: 42_000_000 },
    ]);
    expect(w.mailer.sent).toHaveLength(1);
    expect(w.mailer.sent[0]!.text).toContain('Rp70.000.000 menjadi Rp42.000.000');
  });

  it('a failed transfer is flagged once and never recorded as paid; BPJS paying later closes the claim', async () => {
    const w = await setUp(approved());
    await submitClaimToBpjs(w.deps, { claimId: 'KLM-1' });
    w.bpjs.status = { status: 'TRANSFER_FAILED', reason: 'Rekening tidak aktif.', decidedAt: '2026-11-24T00:00:00Z' };
    await checkBpjsClaim(w.deps, { claimId: 'KLM-1' });
    await checkBpjsClaim(w.deps, { claimId: 'KLM-1' });
    const failed = (await w.claims.get('KLM-1'))!;
    expect(failed).toMatchObject({ status: 'PAYOUT_FAILED', payouts: [] });
    expect(w.mailer.sent.filter((m) => m.subject.includes('gagal'))).toHaveLength(1);
    await expect(recordClaimPayout(w.deps, { claimId: 'KLM-1' })).rejects.toBeInstanceOf(PayoutNotConfirmedError);

    const payout = { heirNik: CHILD, amount: 42_000_000, paidOn: '2026-11-26', bankReference: 'TRF-1' };
    w.bpjs.status = { status: 'PAID', payout, decidedAt: '2026-11-24T00:00:00Z' };
    expect(await checkBpjsClaim(w.deps, { claimId: 'KLM-1' })).toMatchObject({ state: 'PAID' });
    await recordClaimPayout(w.deps, { claimId: 'KLM-1' });
    await recordClaimPayout(w.deps, { claimId: 'KLM-1' });
    const paid = (await w.claims.get('KLM-1'))!;
    expect(paid.status).toBe('PAID');
    expect(paid.payouts).toEqual([{ ...payout, recordedAt: expect.any(String) }]);
    expect(w.died).toEqual(['kapuas-2026-apbd', 'kapuas-2026-apbd']);
    const notice = w.mailer.sent.filter((m) => m.subject.includes('telah dibayarkan'));
    expect(notice).toHaveLength(1);
    expect(notice[0]!.to).toEqual(['operator@desa.go.id', 'dinsos@x.go.id', 'kepala@x.go.id']);
    expect(notice[0]!.text).toContain('TRF-1');
    expect(notice[0]!.text).not.toContain(CHILD);
  });

  it('BPJS refusing ends the claim REFUSED_BY_BPJS with its reason, told once', async () => {
    const w = await setUp(approved());
    await submitClaimToBpjs(w.deps, { claimId: 'KLM-1' });
    w.bpjs.status = {
      status: 'REFUSED',
      reason: 'Klaim ditolak: KPJ tidak terdaftar.',
      decidedAt: '2026-11-24T00:00:00Z',
    };
    expect(await checkBpjsClaim(w.deps, { claimId: 'KLM-1' })).toMatchObject({ state: 'REFUSED' });
    expect(await checkBpjsClaim(w.deps, { claimId: 'KLM-1' })).toMatchObject({ state: 'REFUSED' });
    expect((await w.claims.get('KLM-1'))!).toMatchObject({
      status: 'REFUSED_BY_BPJS',
      bpjs: { reason: 'Klaim ditolak: KPJ tidak terdaftar.' },
    });
    expect(w.mailer.sent).toHaveLength(1);
  });

  it('a document BPJS asks for is sent when the claim holds it, and asked of the operator when not', async () => {
    const w = await setUp(approved());
    await submitClaimToBpjs(w.deps, { claimId: 'KLM-1' });
    w.bpjs.status = { status: 'NEEDS_DOCUMENT', missingDocument: 'FAMILY_CARD' };
    await checkBpjsClaim(w.deps, { claimId: 'KLM-1' });
    expect(w.bpjs.supplied).toEqual(['FAMILY_CARD']);
    expect(w.mailer.sent).toEqual([]);

    w.bpjs.status = { status: 'NEEDS_DOCUMENT', missingDocument: 'NPWP' };
    await checkBpjsClaim(w.deps, { claimId: 'KLM-1' });
    await checkBpjsClaim(w.deps, { claimId: 'KLM-1' });
    expect(w.bpjs.supplied).toEqual(['FAMILY_CARD']);
    expect(w.mailer.sent).toHaveLength(1);
    expect(w.mailer.sent[0]).toMatchObject({
      to: ['operator@desa.go.id'],
      subject: '[Jaring] BPJS meminta dokumen untuk klaim KLM-1',
    });
    expect((await w.claims.get('KLM-1'))!).toMatchObject({ status: 'WAITING_FOR_DOCUMENTS' });
  });
});
