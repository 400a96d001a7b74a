import { describe, expect, it } from 'vitest';
import { readWriteFailure } from '../../../functions/adapters/dynamodb-transactions';
import { decideApproval } from '../../../functions/core/proposals/use-cases/decide-approval';
import { markFailed } from '../../../functions/core/proposals/use-cases/mark-failed';
import { notifyOutcome } from '../../../functions/core/proposals/use-cases/notify-outcome';
import { requestApproval } from '../../../functions/core/proposals/use-cases/request-approval';
import { resolveApprovalTimeout } from '../../../functions/core/proposals/use-cases/resolve-approval-timeout';
import { validateProposal } from '../../../functions/core/proposals/use-cases/validate-proposal';
import type { Mailer } from '../../../functions/ports/mailer';
import { throttled } from './fakes';
import { person, programme, world, type World } from './world';

/**
 * The paths an end-to-end run rarely takes: a task token nobody waits on any more, a timeout and a
 * decision landing together, a mail server that refuses, and DynamoDB throttling a write.
 */

const DAY = 86_400_000;
const mailServerDown: Mailer = {
  send: async () => {
    throw Object.assign(new Error('421 Service not available'), { name: 'MailUnavailable' });
  },
};

/** A validated proposal of two people, put to the approver under `token`. */
async function awaiting(w: World, token = 'token-1') {
  const p = w.upload('usulan.csv', [person(1), person(2)], '2026-03-02T01:00:00Z', 'A1');
  await validateProposal(w.deps, { proposalId: p.id });
  w.workflow.waiting.add(token);
  await requestApproval(w.deps, { proposalId: p.id, taskToken: token });
  return { id: p.id, code: (await w.proposals.get(p.id))!.approval!.code };
}

describe('a stale task token', () => {
  it('a decision after the wait ended is recorded, the stale callback is on the trail, and the next wait takes it at once', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    w.workflow.waiting.delete('token-1'); // the execution was interrupted: nobody waits on token-1 any more

    expect(await decideApproval(w.deps, { proposalId: id, code, decision: 'APPROVED' })).toMatchObject({
      ok: true,
      proposal: { status: 'APPROVED' },
    });
    expect(w.proposals.actions(id)).toEqual(expect.arrayContaining(['PROPOSAL_APPROVED', 'APPROVAL_CALLBACK_STALE']));
    expect(w.workflow.succeeded).toEqual([]);

    // The re-driven execution's wait is handed the recorded decision, and nobody is mailed again.
    w.workflow.waiting.add('token-2');
    await requestApproval(w.deps, { proposalId: id, taskToken: 'token-2' });
    expect(w.workflow.succeeded).toEqual([{ token: 'token-2', output: { proposalId: id, decision: 'APPROVED' } }]);
    expect(w.sent).toHaveLength(1);
  });

  it('a wait resumed under a new token replaces the old one: the decision completes the new wait, the same link still works', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    w.workflow.waiting.delete('token-1');
    w.workflow.waiting.add('token-2');
    await requestApproval(w.deps, { proposalId: id, taskToken: 'token-2' });
    expect(w.proposals.actions(id)).toContain('APPROVAL_WAIT_RESUMED');
    expect((await w.proposals.get(id))!.approval!.code).toBe(code);
    expect(w.sent).toHaveLength(1);

    await decideApproval(w.deps, { proposalId: id, code, decision: 'APPROVED' });
    expect(w.workflow.succeeded.map((s) => s.token)).toEqual(['token-2']);
    expect(w.proposals.actions(id)).not.toContain('APPROVAL_CALLBACK_STALE');
  });
});

describe('a timeout racing a decision', () => {
  it('the decision lands while the timeout writes: the decision wins, the timeout reports it and gives nothing back', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    w.advance(programme.approvalTimeoutDays * DAY - 1000);
    let decided: unknown;
    w.proposals.beforeChange = async (changed, change) => {
      if (changed !== id || change.audit.action !== 'PROPOSAL_EXPIRED') return;
      w.proposals.beforeChange = undefined;
      decided = await decideApproval(w.deps, { proposalId: id, code, decision: 'APPROVED' });
    };

    expect(await resolveApprovalTimeout(w.deps, { proposalId: id })).toEqual({ proposalId: id, decision: 'APPROVED' });
    expect(decided).toMatchObject({ ok: true });
    expect((await w.proposals.get(id))!.status).toBe('APPROVED');
    expect(w.proposals.actions(id)).not.toContain('PROPOSAL_EXPIRED');
    expect(await w.ledger.reserved(w.quota)).toBe(2);
  });
});

describe('a failed notice', () => {
  it('an approval mail the server refuses: the proposal waits, no mail is recorded as sent, and the retry mails once with the same link', async () => {
    const w = world();
    const p = w.upload('usulan.csv', [person(1), person(2)], '2026-03-02T01:00:00Z', 'A1');
    await validateProposal(w.deps, { proposalId: p.id });
    w.workflow.waiting.add('token-1');

    await expect(
      requestApproval({ ...w.deps, mailer: mailServerDown }, { proposalId: p.id, taskToken: 'token-1' }),
    ).rejects.toThrow('421');
    const waiting = (await w.proposals.get(p.id))!;
    expect(waiting.status).toBe('AWAITING_APPROVAL');
    expect(waiting.approval!.mailedAt).toBeUndefined();
    expect(w.proposals.actions(p.id)).not.toContain('APPROVAL_MAIL_SENT');

    await requestApproval(w.deps, { proposalId: p.id, taskToken: 'token-1' });
    await requestApproval(w.deps, { proposalId: p.id, taskToken: 'token-1' });
    expect(w.sent).toHaveLength(1);
    expect(w.sent[0]!.text).toContain(`code=${waiting.approval!.code}`);
    expect(w.proposals.actions(p.id).filter((a) => a === 'APPROVAL_MAIL_SENT')).toHaveLength(1);
  });

  it('an outcome notice that fails is on the trail, the outcome stands, and the notice goes out once later', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    await decideApproval(w.deps, { proposalId: id, code, decision: 'REJECTED', note: 'NIK ganda' });
    const notify = { ...w.deps, opsEmail: 'dinsos@kapuaskab.go.id' };

    await expect(notifyOutcome({ ...notify, mailer: mailServerDown }, { proposalId: id })).rejects.toThrow('421');
    expect((await w.proposals.get(id))!.notified).toEqual([]);
    // What the workflow's Catch does after the notify stage's retries.
    const failed = await markFailed(w.deps, {
      proposalId: id,
      stage: 'notify',
      error: { Error: 'MailUnavailable', Cause: '{"errorMessage":"421"}' },
    });
    expect(failed).toEqual({ proposalId: id, status: 'REJECTED' });
    expect(w.audit.events.find((e) => e.action === 'OUTCOME_MAIL_FAILED')).toMatchObject({
      entity: `proposal#${id}`,
      details: { cause: '421' },
    });

    expect(await notifyOutcome(notify, { proposalId: id })).toEqual({ proposalId: id, notified: true });
    expect(await notifyOutcome(notify, { proposalId: id })).toEqual({ proposalId: id, notified: false });
    expect(w.sent.filter((m) => m.subject.includes('ditolak'))).toHaveLength(1);
  });
});

describe('a throttled write', () => {
  it('a throttle the store rides out: the decision is written once, with one event', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    w.proposals.throttleNext = 2;
    expect(await decideApproval(w.deps, { proposalId: id, code, decision: 'APPROVED' })).toMatchObject({ ok: true });
    expect(w.proposals.actions(id).filter((a) => a === 'PROPOSAL_APPROVED')).toHaveLength(1);
  });

  it('a throttle that outlasts the retries reaches the workflow as retryable, not as a decision, and the retry expires the proposal', async () => {
    const w = world();
    const { id } = await awaiting(w);
    w.advance(programme.approvalTimeoutDays * DAY);
    w.proposals.throttleNext = 6;
    const error = await resolveApprovalTimeout(w.deps, { proposalId: id }).catch((e: unknown) => e);
    expect(readWriteFailure(error)).toMatchObject({ kind: 'transient' });
    expect((await w.proposals.get(id))!.status).toBe('AWAITING_APPROVAL');
    expect(await w.ledger.reserved(w.quota)).toBe(2);

    expect(await resolveApprovalTimeout(w.deps, { proposalId: id })).toEqual({ proposalId: id, decision: 'EXPIRED' });
    expect(await w.ledger.reserved(w.quota)).toBe(0);
  });

  it('a trail append throttled after a rejection is thrown, with the decision standing and the people already given back', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    w.audit.beforeAppend = (event) => {
      if (event.action === 'RESERVATIONS_RELEASED') throw throttled();
    };
    const error = await decideApproval(w.deps, {
      proposalId: id,
      code,
      decision: 'REJECTED',
      note: 'bukan warga',
    }).catch((e: unknown) => e);
    expect(readWriteFailure(error)).toMatchObject({ kind: 'transient' });
    expect((await w.proposals.get(id))!.status).toBe('REJECTED');
    expect(await w.ledger.reserved(w.quota)).toBe(0);
    // The wait was not told; its timeout finds the decision and hands it on.
    expect(await resolveApprovalTimeout(w.deps, { proposalId: id })).toEqual({ proposalId: id, decision: 'REJECTED' });
  });
});
