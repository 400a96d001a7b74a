import { describe, expect, it } from 'vitest';
import { awaitDocuments } from '../../../../functions/core/claims/use-cases/await-documents';
import { awaitVerification } from '../../../../functions/core/claims/use-cases/await-verification';
import { documentArrived, DOCUMENTS_PARKED } from '../../../../functions/core/claims/use-cases/document-arrived';
import { remindDocuments } from '../../../../functions/core/claims/use-cases/remind-documents';
import { resumeClaims } from '../../../../functions/core/claims/use-cases/resume-claims';
import type { Claim } from '../../../../functions/core/claims/claim';
import { FakeClaimsWorkflow, MemoryClaimStore } from '../api-fakes';
import { FakeMailer, filedClaim, withAllDocuments } from './workflow-fakes';

const now = () => new Date('2026-11-22T03:00:00Z');
const arrived = (key: string) => ({ detail: { object: { key } } });

async function setUp(claim = filedClaim()) {
  const claims = new MemoryClaimStore();
  await claims.create(claim, { action: 'CLAIM_FILED', actor: 'operator:x' });
  const workflow = new FakeClaimsWorkflow();
  const mailer = new FakeMailer();
  return { claims, workflow, mailer, deps: { claims, workflow, now } };
}

describe('the documents wait', () => {
  it('parks the token on a claim missing documents, and answers nothing yet', async () => {
    const w = await setUp(withAllDocuments(filedClaim(), ['DEATH_CERTIFICATE']));
    await awaitDocuments(w.deps, { claimId: 'KLM-1', taskToken: 't1' });
    expect((await w.claims.get('KLM-1'))!.waiting).toMatchObject({ for: 'DOCUMENTS', taskToken: 't1' });
    expect(w.workflow.succeeded).toEqual([]);
  });

  it('goes straight on when every document is in, and stops at once for a refused claim', async () => {
    const complete = await setUp(withAllDocuments(filedClaim()));
    await awaitDocuments(complete.deps, { claimId: 'KLM-1', taskToken: 't1' });
    expect(complete.workflow.succeeded).toEqual([{ taskToken: 't1', output: { decision: 'COMPLETE' } }]);
    expect((await complete.claims.get('KLM-1'))!.waiting).toBeUndefined();

    const refused = await setUp(filedClaim({ status: 'REFUSED' }));
    await awaitDocuments(refused.deps, { claimId: 'KLM-1', taskToken: 't2' });
    expect(refused.workflow.succeeded).toEqual([{ taskToken: 't2', output: { decision: 'STOPPED' } }]);
  });

  it('the document that completes the list moves the claim to the verifier and sends the parked token back once', async () => {
    const w = await setUp(withAllDocuments(filedClaim(), ['DEATH_CERTIFICATE']));
    await awaitDocuments(w.deps, { claimId: 'KLM-1', taskToken: 't1' });
    const key = 'claims/KLM-1/DEATH_CERTIFICATE/akta+kematian.pdf';
    expect(await documentArrived(w.deps, arrived(key))).toMatchObject({
      recorded: true,
      complete: true,
      resumed: 'TASK',
    });
    const c = (await w.claims.get('KLM-1'))!;
    expect(c.status).toBe('AWAITING_VERIFICATION');
    expect(c.waiting).toBeUndefined();
    expect(c.requiredDocuments.find((d) => d.type === 'DEATH_CERTIFICATE')).toMatchObject({
      present: true,
      key: 'claims/KLM-1/DEATH_CERTIFICATE/akta kematian.pdf',
    });
    // S3 delivering the event again wakes nobody twice.
    expect(await documentArrived(w.deps, arrived(key))).toMatchObject({ resumed: 'NONE' });
    expect(w.workflow.succeeded).toEqual([{ taskToken: 't1', output: { decision: 'COMPLETE' } }]);
  });

  it('a document for another prefix or an unknown type is no claim document', async () => {
    const w = await setUp();
    expect(await documentArrived(w.deps, arrived('claims/KLM-1/SELFIE/x.jpg'))).toEqual({
      recorded: false,
      reason: 'NOT_A_CLAIM_DOCUMENT',
    });
    expect(await documentArrived(w.deps, arrived('proposals/p/v/x.csv'))).toMatchObject({ recorded: false });
    expect(await documentArrived(w.deps, arrived('claims/KLM-9/KTP_HEIR/x.pdf'))).toMatchObject({
      reason: 'UNKNOWN_CLAIM',
    });
  });

  it('a token that timed out into a reminder meanwhile is not an error: the next wait finds the list complete', async () => {
    const w = await setUp(withAllDocuments(filedClaim(), ['BANK_BOOK']));
    await awaitDocuments(w.deps, { claimId: 'KLM-1', taskToken: 'stale' });
    w.workflow.staleTokens.add('stale');
    expect(await documentArrived(w.deps, arrived('claims/KLM-1/BANK_BOOK/buku.pdf'))).toMatchObject({
      resumed: 'NONE',
      complete: true,
    });
    await awaitDocuments(w.deps, { claimId: 'KLM-1', taskToken: 't2' });
    expect(w.workflow.succeeded).toEqual([{ taskToken: 't2', output: { decision: 'COMPLETE' } }]);
  });

  it('reminds the operator of what is missing once per round, then parks; the last document starts the workflow again', async () => {
    const w = await setUp(withAllDocuments(filedClaim(), ['DEATH_CERTIFICATE', 'HEIR_STATEMENT']));
    const deps = {
      ...w.deps,
      mailer: w.mailer,
      apiUrl: 'https://api.example',
      opsEmail: 'dinsos@x.go.id',
      maxReminders: 2,
    };
    await awaitDocuments(w.deps, { claimId: 'KLM-1', taskToken: 't1' });
    expect(await remindDocuments(deps, { claimId: 'KLM-1' })).toEqual({ park: false, reminders: 1 });
    expect(await remindDocuments(deps, { claimId: 'KLM-1' })).toEqual({ park: false, reminders: 2 });
    expect(w.mailer.sent).toHaveLength(2);
    expect(w.mailer.sent[0]).toMatchObject({
      to: ['operator@desa.go.id'],
      subject: '[Jaring] Dokumen klaim KLM-1 belum lengkap',
    });
    expect(w.mailer.sent[0]!.text).toContain('Surat keterangan kematian');
    expect(w.mailer.sent[0]!.text).toContain('Surat keterangan ahli waris');
    expect(w.mailer.sent[0]!.text).not.toContain('6203011205850001');

    expect(await remindDocuments(deps, { claimId: 'KLM-1' })).toEqual({ park: true, reminders: 2 });
    const parked = (await w.claims.get('KLM-1'))!;
    expect(parked).toMatchObject({
      status: 'WAITING_FOR_DOCUMENTS',
      notices: expect.arrayContaining([DOCUMENTS_PARKED]),
    });
    expect(parked.waiting).toBeUndefined();
    expect(w.mailer.sent).toHaveLength(2);

    await documentArrived(w.deps, arrived('claims/KLM-1/DEATH_CERTIFICATE/a.pdf'));
    expect(w.workflow.started).toEqual([]);
    expect(await documentArrived(w.deps, arrived('claims/KLM-1/HEIR_STATEMENT/b.pdf'))).toMatchObject({
      resumed: 'EXECUTION',
    });
    expect(w.workflow.started).toEqual([
      { name: expect.stringMatching(/^KLM-1-documents-/), input: { claimId: 'KLM-1' } },
    ]);
    expect((await w.claims.get('KLM-1'))!.notices).not.toContain(DOCUMENTS_PARKED);
  });
});

describe('the verifier wait', () => {
  it('parks the token as AWAITING_VERIFICATION, and answers a claim already decided at once', async () => {
    const w = await setUp(withAllDocuments(filedClaim({ status: 'AWAITING_VERIFICATION' })));
    await awaitVerification(w.deps, { claimId: 'KLM-1', taskToken: 't1' });
    expect((await w.claims.get('KLM-1'))!.waiting).toMatchObject({ for: 'VERIFICATION', taskToken: 't1' });
    expect(w.workflow.succeeded).toEqual([]);

    const verified = await setUp(
      withAllDocuments(
        filedClaim({
          status: 'AWAITING_APPROVAL',
          decisions: [{ action: 'VERIFIED', by: 'verifier:v@x.go.id', at: '2026-11-22T00:00:00Z' }],
        }),
      ),
    );
    await awaitVerification(verified.deps, { claimId: 'KLM-1', taskToken: 't2' });
    expect(verified.workflow.succeeded).toEqual([{ taskToken: 't2', output: { decision: 'VERIFIED' } }]);

    const rejected = await setUp(filedClaim({ status: 'REJECTED' }));
    await awaitVerification(rejected.deps, { claimId: 'KLM-1', taskToken: 't3' });
    expect(rejected.workflow.succeeded).toEqual([{ taskToken: 't3', output: { decision: 'REJECTED' } }]);
  });
});

describe('after a local stack restart', () => {
  it('starts a new execution for each unfinished claim, leaving finished and parked ones alone', async () => {
    const claims = new MemoryClaimStore();
    const filed = (id: string, nik: string, over: Partial<Claim>) =>
      claims.create(filedClaim({ id, nik, ...over }), { action: 'CLAIM_FILED', actor: 'operator:x' });
    await filed('KLM-1', '6203011205850001', { status: 'AWAITING_VERIFICATION' });
    await filed('KLM-2', '6203011205850002', { status: 'PAID' });
    await filed('KLM-3', '6203011205850003', { status: 'WAITING_FOR_DOCUMENTS', notices: [DOCUMENTS_PARKED] });
    await filed('KLM-4', '6203011205850004', { status: 'SUBMITTED_TO_BPJS', type: 'JKK' });
    const workflow = new FakeClaimsWorkflow();
    const result = await resumeClaims({ claims, workflow, programmeIds: ['kapuas-2026-apbd', 'other'], now });
    expect(result.redriven.map((r) => [r.id, r.from])).toEqual([
      ['KLM-1', 'AWAITING_VERIFICATION'],
      ['KLM-4', 'SUBMITTED_TO_BPJS'],
    ]);
    expect(workflow.started.map((s) => s.input)).toEqual([{ claimId: 'KLM-1' }, { claimId: 'KLM-4' }]);
  });
});
