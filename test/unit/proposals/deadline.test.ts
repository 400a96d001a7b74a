import { describe, expect, it } from 'vitest';
import { approvalWaitSeconds } from '../../../functions/core/proposals/approval-deadline';
import { decideApproval } from '../../../functions/core/proposals/use-cases/decide-approval';
import { requestApproval } from '../../../functions/core/proposals/use-cases/request-approval';
import { resolveApprovalTimeout } from '../../../functions/core/proposals/use-cases/resolve-approval-timeout';
import { resumeUnfinished } from '../../../functions/core/proposals/use-cases/resume-unfinished';
import { validateProposal } from '../../../functions/core/proposals/use-cases/validate-proposal';
import { person, programme, world, type World } from './world';

const DAY = 86_400_000;
const WINDOW_SECONDS = programme.approvalTimeoutDays * 86_400;

/** A proposal validated and mailed to the approver at the world's start; returns its link code and task token. */
async function awaiting(w: World) {
  const p = w.upload('usulan.csv', [person(1), person(2)], '2026-03-02T01:00:00Z', 'A1');
  await validateProposal(w.deps, { proposalId: p.id });
  w.workflow.waiting.add('token-1');
  await requestApproval(w.deps, { proposalId: p.id, taskToken: 'token-1' });
  const approval = (await w.proposals.get(p.id))!.approval!;
  return { id: p.id, code: approval.code, expiresAt: approval.expiresAt };
}

describe('the approval deadline', () => {
  it('is the whole window for a new proposal and only what is left for one re-driven or resumed', async () => {
    const w = world();
    const p = w.upload('usulan.csv', [person(1)], '2026-03-02T01:00:00Z', 'B1');
    expect(await validateProposal(w.deps, { proposalId: p.id })).toMatchObject({
      status: 'VALIDATED',
      approvalTimeoutSeconds: WINDOW_SECONDS,
    });
    w.workflow.waiting.add('t');
    await requestApproval(w.deps, { proposalId: p.id, taskToken: 't' });
    const { expiresAt } = (await w.proposals.get(p.id))!.approval!;
    expect(Date.parse(expiresAt) - w.now().getTime()).toBe(programme.approvalTimeoutDays * DAY);

    // A restart ten days later: the new execution waits four days, not fourteen, for the same deadline.
    w.advance(10 * DAY);
    expect(await resumeUnfinished(w.deps, { proposalId: p.id, actor: 'system:local-stack-restart' })).toMatchObject({
      ok: true,
    });
    expect(await validateProposal(w.deps, { proposalId: p.id })).toMatchObject({
      status: 'AWAITING_APPROVAL',
      approvalTimeoutSeconds: 4 * 86_400,
    });
    w.workflow.waiting.add('t2');
    await requestApproval(w.deps, { proposalId: p.id, taskToken: 't2' });
    expect((await w.proposals.get(p.id))!.approval).toMatchObject({ expiresAt, taskToken: 't2' });
    expect(w.sent).toHaveLength(1);

    // Past the deadline: the shortest wait there is, so it times out at once.
    w.advance(5 * DAY);
    expect(approvalWaitSeconds((await w.proposals.get(p.id))!, programme, w.now())).toBe(1);
  });

  it('a wait resumed after its deadline asks nobody and leaves the deadline as it was', async () => {
    const w = world();
    const { id, expiresAt } = await awaiting(w);
    w.advance(programme.approvalTimeoutDays * DAY + 1);
    await resumeUnfinished(w.deps, { proposalId: id, actor: 'system:local-stack-restart' });
    expect(await validateProposal(w.deps, { proposalId: id })).toMatchObject({ approvalTimeoutSeconds: 1 });
    w.workflow.waiting.add('late');
    await requestApproval(w.deps, { proposalId: id, taskToken: 'late' });
    expect((await w.proposals.get(id))!.approval!.expiresAt).toBe(expiresAt);
    expect(w.sent).toHaveLength(1);
    // The wait's timeout then expires it and gives the places back.
    expect(await resolveApprovalTimeout(w.deps, { proposalId: id })).toEqual({ proposalId: id, decision: 'EXPIRED' });
    expect(await w.ledger.reserved(w.quota)).toBe(0);
  });

  it('refuses a decision after the deadline, recording nothing and enrolling nobody', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    w.advance(programme.approvalTimeoutDays * DAY);
    expect(await decideApproval(w.deps, { proposalId: id, code, decision: 'APPROVED' })).toMatchObject({
      ok: false,
      reason: 'EXPIRED',
    });
    const p = (await w.proposals.get(id))!;
    expect(p.status).toBe('AWAITING_APPROVAL');
    expect(p.approval!.decision).toBeUndefined();
    expect(w.workflow.succeeded).toHaveLength(0);
    expect(w.proposals.actions(id)).not.toContain('PROPOSAL_APPROVED');
  });

  it('accepts a decision a moment before the deadline', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    w.advance(programme.approvalTimeoutDays * DAY - 1);
    expect(await decideApproval(w.deps, { proposalId: id, code, decision: 'APPROVED' })).toMatchObject({
      ok: true,
      proposal: { status: 'APPROVED' },
    });
  });

  it('a decision racing the timeout: the timeout lands first, the decision is refused as late', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    w.advance(programme.approvalTimeoutDays * DAY - 1000);
    w.proposals.beforeChange = async (changed, change) => {
      if (changed === id && change.audit.action === 'PROPOSAL_APPROVED') {
        w.proposals.beforeChange = undefined;
        await resolveApprovalTimeout(w.deps, { proposalId: id });
      }
    };
    expect(await decideApproval(w.deps, { proposalId: id, code, decision: 'APPROVED' })).toMatchObject({
      ok: false,
      reason: 'EXPIRED',
    });
    expect((await w.proposals.get(id))!.status).toBe('EXPIRED');
  });

  it('the deadline is part of the write: a store whose deadline moved meanwhile refuses the decision', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    w.proposals.beforeChange = async (changed, change) => {
      if (changed !== id || change.audit.action !== 'PROPOSAL_APPROVED') return;
      // What the decision read is no longer so when it writes: the deadline is already behind it.
      const p = w.proposals.items.get(id)!;
      w.proposals.items.set(id, {
        ...p,
        approval: { ...p.approval!, expiresAt: new Date(w.now().getTime() - 1).toISOString() },
      });
    };
    expect(await decideApproval(w.deps, { proposalId: id, code, decision: 'APPROVED' })).toMatchObject({
      ok: false,
      reason: 'EXPIRED',
    });
    expect((await w.proposals.get(id))!.status).toBe('AWAITING_APPROVAL');
  });
});
