import { describe, expect, it } from 'vitest';
import { HttpBpjsGateway } from '../../../functions/adapters/http-bpjs-gateway';
import { AmountConfirmation, BpjsClaimStatus, ClaimSubmission } from '../../../functions/core/bpjs/claim-contract';
import { scriptedServer } from '../../support/scripted-server';
import { submission } from './claim-fixture';

const received: BpjsClaimStatus = {
  bpjsClaimId: 'KLM-00000001',
  reference: 'clm-0001',
  status: 'RECEIVED',
  classification: 'JKM',
  receivedAt: '2026-03-02T03:00:00.000Z',
};

describe('the BPJS claims contract', () => {
  it('takes a whole claim and refuses one BPJS could not act on', () => {
    expect(ClaimSubmission.parse(submission())).toEqual(submission());
    expect(ClaimSubmission.safeParse(submission({ nik: '620301150688' })).success).toBe(false);
    expect(ClaimSubmission.safeParse(submission({ amountRequested: 42_000_000.5 })).success).toBe(false);
    expect(ClaimSubmission.safeParse(submission({ eventDate: '2026-02-30' })).success).toBe(false);
    expect(ClaimSubmission.safeParse(submission({ type: 'JHT' as never })).success).toBe(false);
    expect(ClaimSubmission.safeParse(submission({ documents: ['SELFIE' as never] })).success).toBe(false);
    const noAccount = { ...submission().recipient, bankAccount: { bank: 'BRI', number: '12ab', holder: 'Siti' } };
    expect(ClaimSubmission.safeParse(submission({ recipient: noAccount })).success).toBe(false);
    expect(AmountConfirmation.safeParse({ classification: 'JKM', amount: 0 }).success).toBe(false);
  });

  it('refuses a status that contradicts itself', () => {
    expect(BpjsClaimStatus.safeParse(received).success).toBe(true);
    const payout = { heirNik: '6203014107900002', amount: 42_000_000, paidOn: '2026-03-03', bankReference: 'TRF-1' };
    expect(BpjsClaimStatus.safeParse({ ...received, status: 'PAID', payout }).success).toBe(true);
    expect(BpjsClaimStatus.safeParse({ ...received, status: 'PAID' }).success).toBe(false);
    expect(BpjsClaimStatus.safeParse({ ...received, status: 'NEEDS_DOCUMENT' }).success).toBe(false);
    expect(BpjsClaimStatus.safeParse({ ...received, status: 'NEEDS_DOCUMENT', missingDocument: 'NPWP' }).success).toBe(
      true,
    );
    expect(BpjsClaimStatus.safeParse({ ...received, status: 'REFUSED' }).success).toBe(false);
    expect(BpjsClaimStatus.safeParse({ ...received, status: 'TRANSFER_FAILED' }).success).toBe(false);
    expect(BpjsClaimStatus.safeParse({ ...received, status: 'REFUSED', reason: 'Ditolak.' }).success).toBe(true);
  });
});

describe('the claims adapter against answers the sandbox never gives', () => {
  const scripted = scriptedServer();

  it('asks again (retryable) rather than record a PAID claim without its payout', async () => {
    scripted.reply = (res) => res.writeHead(200).end(JSON.stringify({ ...received, status: 'PAID' }));
    const gateway = new HttpBpjsGateway(scripted.url);
    expect(await gateway.getClaimStatus('KLM-00000001').catch((e: Error) => e.name)).toBe('BpjsUnavailableError');
    scripted.reply = (res) => res.writeHead(200).end(JSON.stringify(received));
    expect(await gateway.getClaimStatus('KLM-00000001')).toEqual(received);
  });

  it('waits as a 503 says, and takes a 409 for final', async () => {
    const gateway = new HttpBpjsGateway(scripted.url);
    scripted.reply = (res) => res.writeHead(503, { 'retry-after': '7' }).end('maintenance');
    expect(await gateway.submitClaim(submission()).catch((e: unknown) => e)).toMatchObject({
      name: 'BpjsUnavailableError',
      retryAfterMs: 7_000,
    });
    scripted.reply = (res) => res.writeHead(409).end('{"code":"NOTHING_TO_CONFIRM"}');
    expect(
      await gateway
        .confirmAmount('KLM-00000001', { classification: 'JKM', amount: 42_000_000 })
        .catch((e: Error) => e.name),
    ).toBe('BpjsRequestRejectedError');
  });
});
