import { beforeEach, describe, expect, it } from 'vitest';
import type { Claim } from '../../../functions/core/claims/claim';
import type { ClaimActionDeps } from '../../../functions/core/claims/use-cases/claim-action';
import { decideClaimApproval } from '../../../functions/core/claims/use-cases/decide-claim-approval';
import { rejectClaim } from '../../../functions/core/claims/use-cases/reject-claim';
import { verifyClaim } from '../../../functions/core/claims/use-cases/verify-claim';
import { FakeClaimsWorkflow, MemoryAuditLog, MemoryClaimStore, person } from './api-fakes';
import { claim } from './fixtures';

const AT = '2026-03-12T03:00:00.000Z';
const verifier = person('verifier', 'vera');
const approver = person('approver', 'kepala');
const operator = person('operator', 'sari');

let claims: MemoryClaimStore;
let workflow: FakeClaimsWorkflow;
let audit: MemoryAuditLog;
let deps: ClaimActionDeps;

/** Every document in, the workflow parked on the verifier. */
const complete = (over: Partial<Claim> = {}): Claim => {
  const c = claim({ id: 'clm-1', filedBy: 'operator:sari@kapuaskab.go.id', ...over });
  return {
    ...c,
    status: 'AWAITING_VERIFICATION',
    requiredDocuments: c.requiredDocuments.map((d) => ({ ...d, present: true, key: `claims/clm-1/${d.type}/f.pdf` })),
    waiting: { for: 'VERIFICATION', taskToken: 'token-verify', since: AT },
    ...over,
  };
};

/** Verified by Vera, the workflow parked on the approvers with one link each. */
const verified = (approversNeeded = 1): Claim => ({
  ...complete(),
  status: 'AWAITING_APPROVAL',
  decisions: [{ action: 'VERIFIED', by: 'verifier:vera@kapuaskab.go.id', at: AT }],
  waiting: { for: 'APPROVAL', taskToken: 'token-approve', since: AT },
  approval: {
    requestedAt: AT,
    approversNeeded,
    links: [
      { approver: 'kepala@kapuaskab.go.id', code: 'code-kepala' },
      { approver: 'sekretaris@kapuaskab.go.id', code: 'code-sekretaris' },
      { approver: 'vera@kapuaskab.go.id', code: 'code-vera' },
    ],
  },
});

const put = async (c: Claim) => claims.create(c, { action: 'CLAIM_FILED', actor: 'test' });

beforeEach(() => {
  claims = new MemoryClaimStore();
  workflow = new FakeClaimsWorkflow();
  audit = new MemoryAuditLog();
  deps = { claims, workflow, audit, now: () => new Date(AT) };
});

describe('verifyClaim', () => {
  it('records who verified, when and why, moves to approval and sends the parked token back VERIFIED', async () => {
    await put(complete());
    const result = await verifyClaim(deps, { claimId: 'clm-1', principal: verifier, note: 'Dokumen cocok.' });
    expect(result.ok && result.claim.status).toBe('AWAITING_APPROVAL');
    const stored = claims.items.get('clm-1')!;
    expect(stored.decisions.at(-1)).toEqual({
      action: 'VERIFIED',
      by: 'verifier:vera@kapuaskab.go.id',
      at: AT,
      reason: 'Dokumen cocok.',
    });
    expect(stored.waiting).toBeUndefined();
    expect(workflow.succeeded).toEqual([{ taskToken: 'token-verify', output: { decision: 'VERIFIED' } }]);
    expect(claims.audit.at(-1)).toMatchObject({ action: 'CLAIM_VERIFIED', actor: 'verifier:vera@kapuaskab.go.id' });
  });

  it('refuses an operator (403), another regency’s verifier (404) and a claim still missing documents (409)', async () => {
    await put(complete());
    expect(await verifyClaim(deps, { claimId: 'clm-1', principal: operator })).toMatchObject({ status: 403 });
    const outsider = person('verifier', 'luar', { regency: '61.12' });
    expect(await verifyClaim(deps, { claimId: 'clm-1', principal: outsider })).toMatchObject({ status: 404 });
    await put(claim({ id: 'clm-2', nik: '6203011506880002' }));
    expect(await verifyClaim(deps, { claimId: 'clm-2', principal: verifier })).toMatchObject({
      status: 409,
      code: 'DOCUMENTS_MISSING',
    });
    expect(workflow.succeeded).toEqual([]);
  });

  it('refuses a verifier who filed the claim themselves (maker-checker)', async () => {
    await put(complete({ filedBy: 'verifier:vera@kapuaskab.go.id' }));
    const result = await verifyClaim(deps, { claimId: 'clm-1', principal: verifier });
    expect(result).toMatchObject({ ok: false, status: 403, code: 'MAKER_CHECKER' });
    expect(claims.items.get('clm-1')?.status).toBe('AWAITING_VERIFICATION');
  });

  it('refuses a verification based on a version someone changed since', async () => {
    await put(complete());
    const result = await verifyClaim(deps, { claimId: 'clm-1', principal: verifier, expectedVersion: 0 });
    expect(result).toMatchObject({ ok: false, status: 409, code: 'CONFLICT' });
  });

  it('keeps the decision when the workflow no longer waits on the token, and records that', async () => {
    await put(complete());
    workflow.staleTokens.add('token-verify');
    const result = await verifyClaim(deps, { claimId: 'clm-1', principal: verifier });
    expect(result.ok).toBe(true);
    expect(audit.events).toEqual([expect.objectContaining({ action: 'CLAIM_CALLBACK_STALE', entity: 'claim#clm-1' })]);
  });
});

describe('rejectClaim', () => {
  it('a verifier rejects with a reason; the claim is final and the token goes back REJECTED', async () => {
    await put(complete());
    const result = await rejectClaim(deps, { claimId: 'clm-1', principal: verifier, reason: 'Akta kematian palsu.' });
    expect(result.ok && result.claim.status).toBe('REJECTED');
    expect(claims.items.get('clm-1')?.decisions.at(-1)).toMatchObject({
      action: 'REJECTED',
      by: 'verifier:vera@kapuaskab.go.id',
      reason: 'Akta kematian palsu.',
    });
    expect(workflow.succeeded).toEqual([{ taskToken: 'token-verify', output: { decision: 'REJECTED' } }]);
  });

  it('needs a reason, and refuses an operator', async () => {
    await put(complete());
    expect(await rejectClaim(deps, { claimId: 'clm-1', principal: verifier, reason: ' ' })).toMatchObject({
      status: 400,
      code: 'REASON_REQUIRED',
    });
    expect(await rejectClaim(deps, { claimId: 'clm-1', principal: operator, reason: 'Tidak layak.' })).toMatchObject({
      status: 403,
    });
  });

  it('an approver rejects a claim awaiting approval, not one still with the verifier', async () => {
    await put(complete());
    expect(await rejectClaim(deps, { claimId: 'clm-1', principal: approver, reason: 'Tidak layak.' })).toMatchObject({
      status: 409,
    });
    claims.items.delete('clm-1');
    await put(verified());
    const result = await rejectClaim(deps, { claimId: 'clm-1', principal: approver, reason: 'Tidak layak.' });
    expect(result.ok && result.claim.decisions.at(-1)?.by).toBe('approver:kepala@kapuaskab.go.id');
  });
});

describe('decideClaimApproval', () => {
  it('an approver’s link approves: the decision is recorded and the token goes back APPROVED', async () => {
    await put(verified());
    const result = await decideClaimApproval(deps, {
      claimId: 'clm-1',
      approver: { code: 'code-kepala' },
      decision: 'APPROVED',
    });
    expect(result.ok).toBe(true);
    expect(claims.items.get('clm-1')?.decisions.at(-1)).toMatchObject({
      action: 'APPROVED',
      by: 'approver:kepala@kapuaskab.go.id',
      at: AT,
    });
    expect(workflow.succeeded).toEqual([{ taskToken: 'token-approve', output: { decision: 'APPROVED' } }]);
  });

  it('refuses a wrong code, and the verifier’s own link or console approval', async () => {
    await put(verified());
    expect(
      await decideClaimApproval(deps, { claimId: 'clm-1', approver: { code: 'nope' }, decision: 'APPROVED' }),
    ).toMatchObject({ status: 403, code: 'BAD_CODE' });
    expect(
      await decideClaimApproval(deps, { claimId: 'clm-1', approver: { code: 'code-vera' }, decision: 'APPROVED' }),
    ).toMatchObject({ status: 403, code: 'OWN_VERIFICATION' });
    // Vera holding both roles is still the verifier of this claim.
    const both = person('approver', 'vera', { roles: ['approver', 'verifier'] });
    expect(
      await decideClaimApproval(deps, { claimId: 'clm-1', approver: { principal: both }, decision: 'APPROVED' }),
    ).toMatchObject({ status: 403, code: 'OWN_VERIFICATION' });
    expect(
      await decideClaimApproval(deps, { claimId: 'clm-1', approver: { principal: verifier }, decision: 'APPROVED' }),
    ).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(claims.items.get('clm-1')?.decisions).toHaveLength(1);
    expect(workflow.succeeded).toEqual([]);
  });

  it('above the amount two different approvers must approve; the same one twice counts once', async () => {
    await put(verified(2));
    const kepala = { code: 'code-kepala' };
    await decideClaimApproval(deps, { claimId: 'clm-1', approver: kepala, decision: 'APPROVED' });
    expect(await decideClaimApproval(deps, { claimId: 'clm-1', approver: kepala, decision: 'APPROVED' })).toMatchObject(
      {
        status: 409,
        code: 'ALREADY_DECIDED',
      },
    );
    // The workflow parks a fresh token for the second approver.
    const c = claims.items.get('clm-1')!;
    claims.items.set('clm-1', { ...c, waiting: { for: 'APPROVAL', taskToken: 'token-second', since: AT } });
    const second = await decideClaimApproval(deps, {
      claimId: 'clm-1',
      approver: { code: 'code-sekretaris' },
      decision: 'APPROVED',
    });
    expect(second.ok).toBe(true);
    const approvals = claims.items.get('clm-1')!.decisions.filter((d) => d.action === 'APPROVED');
    expect(approvals.map((d) => d.by)).toEqual([
      'approver:kepala@kapuaskab.go.id',
      'approver:sekretaris@kapuaskab.go.id',
    ]);
    expect(workflow.succeeded.map((s) => s.taskToken)).toEqual(['token-approve', 'token-second']);
  });

  it('a rejection needs a note and ends the claim', async () => {
    await put(verified());
    const approverLink = { code: 'code-kepala' };
    expect(
      await decideClaimApproval(deps, { claimId: 'clm-1', approver: approverLink, decision: 'REJECTED' }),
    ).toMatchObject({ status: 400, code: 'NOTE_REQUIRED' });
    const result = await decideClaimApproval(deps, {
      claimId: 'clm-1',
      approver: approverLink,
      decision: 'REJECTED',
      note: 'Ahli waris tidak sesuai.',
    });
    expect(result.ok && result.claim.status).toBe('REJECTED');
    expect(workflow.succeeded).toEqual([{ taskToken: 'token-approve', output: { decision: 'REJECTED' } }]);
  });

  it('a decision racing another change loses cleanly (409), nothing sent', async () => {
    await put(verified());
    claims.beforeNextWrite = (store) => {
      const c = store.items.get('clm-1')!;
      store.items.set('clm-1', { ...c, status: 'REJECTED', version: c.version + 1 });
    };
    const result = await decideClaimApproval(deps, {
      claimId: 'clm-1',
      approver: { code: 'code-kepala' },
      decision: 'APPROVED',
    });
    expect(result).toMatchObject({ ok: false, status: 409, code: 'CONFLICT' });
    expect(workflow.succeeded).toEqual([]);
  });
});
