import { describe, expect, it } from 'vitest';
import type { Claim } from '../../../../functions/core/claims/claim';
import {
  NotEnoughApproversError,
  requestClaimApproval,
} from '../../../../functions/core/claims/use-cases/request-claim-approval';
import { FakeClaimsWorkflow, MemoryClaimStore } from '../api-fakes';
import { FakeMailer, filedClaim, withAllDocuments } from './workflow-fakes';

const VERIFIER = 'kasi@dinsos.go.id';
const HEAD = 'kepala@dinsos.go.id';
const SECRETARY = 'sekretaris@dinsos.go.id';
const verified = (over: Partial<Claim> = {}, type: Claim['type'] = 'JKM') =>
  withAllDocuments(
    filedClaim(
      {
        status: 'AWAITING_APPROVAL',
        decisions: [{ action: 'VERIFIED', by: `verifier:${VERIFIER}`, at: '2026-11-22T00:00:00Z' }],
        ...over,
      },
      type,
    ),
  );

async function setUp(claim: Claim, approvers = [HEAD, VERIFIER, SECRETARY]) {
  const claims = new MemoryClaimStore();
  await claims.create(claim, { action: 'CLAIM_FILED', actor: 'operator:x' });
  const workflow = new FakeClaimsWorkflow();
  const mailer = new FakeMailer();
  const deps = {
    claims,
    workflow,
    mailer,
    apiUrl: 'https://api.example/',
    now: () => new Date('2026-11-22T03:00:00Z'),
    approvalPolicy: (c: Claim) => ({ approvers, approversNeeded: c.benefit!.total > 50_000_000 ? 2 : 1 }),
  };
  return { claims, workflow, mailer, deps };
}
const approvedBy = (c: Claim, who: string): Claim => ({
  ...c,
  decisions: [...c.decisions, { action: 'APPROVED', by: `approver:${who}`, at: '2026-11-22T04:00:00Z' }],
});

describe('asking the approvers', () => {
  it('mails each approver but the verifier a link of their own, once, and parks the token', async () => {
    const w = await setUp(verified());
    await requestClaimApproval(w.deps, { claimId: 'KLM-1', taskToken: 't1' });
    const c = (await w.claims.get('KLM-1'))!;
    expect(c.waiting).toMatchObject({ for: 'APPROVAL', taskToken: 't1' });
    expect(c.approval).toMatchObject({ approversNeeded: 1 });
    expect(c.approval!.links.map((l) => l.approver)).toEqual([HEAD, SECRETARY]);
    const [head, secretary] = c.approval!.links;
    expect(head!.code).not.toBe(secretary!.code);
    expect(w.mailer.sent.map((m) => m.to)).toEqual([[HEAD], [SECRETARY]]);
    expect(w.mailer.sent[0]!.text).toContain(`https://api.example/claim-approvals/KLM-1?code=${head!.code}`);
    expect(w.mailer.sent[0]!.text).toContain('Rp42.000.000');
    expect(w.mailer.sent.some((m) => m.to.includes(VERIFIER))).toBe(false);

    // Run again (a retry): the same links, nobody mailed twice.
    await requestClaimApproval(w.deps, { claimId: 'KLM-1', taskToken: 't2' });
    expect((await w.claims.get('KLM-1'))!.approval!.links).toEqual(
      c.approval!.links.map((l) => ({ ...l, mailedAt: expect.any(String) })),
    );
    expect(w.mailer.sent).toHaveLength(2);
    expect(w.workflow.succeeded).toEqual([]);
  });

  it('above the programme line waits for two different approvers; the verifier approving does not count', async () => {
    const w = await setUp(verified({}, 'JKK_DEATH'));
    await requestClaimApproval(w.deps, { claimId: 'KLM-1', taskToken: 't1' });
    expect((await w.claims.get('KLM-1'))!.approval!.approversNeeded).toBe(2);

    // One approval and one by the verifier (whatever let it through): still one short, so the wait goes on.
    const one = approvedBy(approvedBy((await w.claims.get('KLM-1'))!, HEAD), VERIFIER);
    w.claims.items.set('KLM-1', { ...one, waiting: undefined, version: 9 });
    await requestClaimApproval(w.deps, { claimId: 'KLM-1', taskToken: 't2' });
    expect((await w.claims.get('KLM-1'))!.waiting?.taskToken).toBe('t2');
    expect(w.workflow.succeeded).toEqual([]);

    const two = approvedBy((await w.claims.get('KLM-1'))!, SECRETARY);
    w.claims.items.set('KLM-1', { ...two, waiting: undefined, version: 10 });
    await requestClaimApproval(w.deps, { claimId: 'KLM-1', taskToken: 't3' });
    expect(w.workflow.succeeded).toEqual([{ taskToken: 't3', output: { decision: 'APPROVALS_COMPLETE' } }]);
  });

  it('answers REJECTED for a rejected claim, and refuses when too few approvers are not the verifier', async () => {
    const rejected = await setUp(verified({ status: 'REJECTED' }));
    await requestClaimApproval(rejected.deps, { claimId: 'KLM-1', taskToken: 't1' });
    expect(rejected.workflow.succeeded).toEqual([{ taskToken: 't1', output: { decision: 'REJECTED' } }]);

    const short = await setUp(verified({}, 'JKK_DEATH'), [HEAD, VERIFIER]);
    await expect(requestClaimApproval(short.deps, { claimId: 'KLM-1', taskToken: 't1' })).rejects.toBeInstanceOf(
      NotEnoughApproversError,
    );
    expect(short.mailer.sent).toEqual([]);
  });
});
