import { describe, expect, it } from 'vitest';
import { cancelProposal } from '../../../functions/core/proposals/use-cases/cancel-proposal';
import { decideApproval } from '../../../functions/core/proposals/use-cases/decide-approval';
import { markFailed } from '../../../functions/core/proposals/use-cases/mark-failed';
import { redrive } from '../../../functions/core/proposals/use-cases/redrive';
import { requestApproval } from '../../../functions/core/proposals/use-cases/request-approval';
import { resumeUnfinished } from '../../../functions/core/proposals/use-cases/resume-unfinished';
import { validateProposal } from '../../../functions/core/proposals/use-cases/validate-proposal';
import { nik, person, world, type World } from './world';

const actor = 'operator:dinsos@kapuaskab.go.id';

/** A proposal holding two people and two places that failed at `stage` (before approval unless `approve`). */
async function failed(w: World, stage = 'approval', approve = false) {
  const p = w.upload('usulan.csv', [person(1), person(2)], '2026-03-02T01:00:00Z', 'A1');
  await validateProposal(w.deps, { proposalId: p.id });
  w.workflow.waiting.add('t');
  await requestApproval(w.deps, { proposalId: p.id, taskToken: 't' });
  if (approve) {
    const { code } = (await w.proposals.get(p.id))!.approval!;
    await decideApproval(w.deps, { proposalId: p.id, code, decision: 'APPROVED' });
  }
  await markFailed(w.deps, { proposalId: p.id, stage, error: { Error: 'Error', Cause: 'boom' } });
  expect((await w.proposals.get(p.id))!.status).toBe('FAILED');
  return p.id;
}

describe('cancelProposal', () => {
  it('cancels a FAILED proposal, giving back its people and quota, with who and why in its history', async () => {
    const w = world();
    const id = await failed(w);
    expect(await w.ledger.reserved(w.quota)).toBe(2);

    const result = await cancelProposal(w.deps, { proposalId: id, actor, note: 'Desa mengirim ulang lewat surat' });
    expect(result).toMatchObject({
      ok: true,
      proposal: { status: 'CANCELLED', reason: { code: 'PROPOSAL_CANCELLED' } },
    });
    expect(await w.ledger.reserved(w.quota)).toBe(0);
    expect(w.ledger.holderOf(nik(1))).toBeUndefined();
    const event = w.proposals.audit.find((a) => a.action === 'PROPOSAL_CANCELLED')!;
    expect(event).toMatchObject({
      actor,
      from: 'FAILED',
      to: 'CANCELLED',
      details: { note: 'Desa mengirim ulang lewat surat' },
    });
    // Final: neither a re-drive nor a second cancellation moves it.
    expect(await redrive(w.deps, { proposalId: id, actor })).toMatchObject({ ok: false, reason: 'NOT_FAILED' });
    expect(await cancelProposal(w.deps, { proposalId: id, actor, note: 'lagi' })).toMatchObject({
      ok: false,
      reason: 'NOT_FAILED',
    });
  });

  it('refuses anything but FAILED, and one that failed after approval', async () => {
    const w = world();
    const p = w.upload('usulan.csv', [person(1)], '2026-03-02T01:00:00Z', 'B1');
    await validateProposal(w.deps, { proposalId: p.id });
    expect(await cancelProposal(w.deps, { proposalId: p.id, actor, note: 'x' })).toMatchObject({
      ok: false,
      reason: 'NOT_FAILED',
    });
    expect(await cancelProposal(w.deps, { proposalId: 'prp-none', actor, note: 'x' })).toMatchObject({
      ok: false,
      reason: 'NOT_FOUND',
    });

    const w2 = world();
    const approved = await failed(w2, 'submit', true);
    expect(await cancelProposal(w2.deps, { proposalId: approved, actor, note: 'x' })).toMatchObject({
      ok: false,
      reason: 'ALREADY_APPROVED',
    });
    expect(await w2.ledger.reserved(w2.quota)).toBe(2);
  });

  it('requires a reason', async () => {
    const w = world();
    const id = await failed(w);
    expect(await cancelProposal(w.deps, { proposalId: id, actor, note: '  ' })).toMatchObject({
      ok: false,
      reason: 'NOTE_REQUIRED',
    });
    expect((await w.proposals.get(id))!.status).toBe('FAILED');
  });

  it('a re-drive landing first wins; the cancellation is refused and releases nothing', async () => {
    const w = world();
    const id = await failed(w);
    w.proposals.beforeChange = async (changed, change) => {
      if (changed === id && change.audit.action === 'PROPOSAL_CANCELLED') {
        w.proposals.beforeChange = undefined;
        expect(await redrive(w.deps, { proposalId: id, actor })).toMatchObject({ ok: true });
      }
    };
    expect(await cancelProposal(w.deps, { proposalId: id, actor, note: 'batal' })).toMatchObject({
      ok: false,
      reason: 'NOT_FAILED',
    });
    expect((await w.proposals.get(id))!.status).toBe('AWAITING_APPROVAL');
    expect(await w.ledger.reserved(w.quota)).toBe(2);
  });
});

describe('redrive and resumeUnfinished', () => {
  it('re-drives only a FAILED proposal, resuming where it stopped', async () => {
    const w = world();
    const p = w.upload('usulan.csv', [person(1)], '2026-03-02T01:00:00Z', 'C1');
    await validateProposal(w.deps, { proposalId: p.id });
    // Validated and on its way: a second execution would race the one carrying it.
    expect(await redrive(w.deps, { proposalId: p.id, actor })).toMatchObject({ ok: false, reason: 'NOT_FAILED' });
    expect(w.workflow.started).toHaveLength(0);

    const w2 = world();
    const id = await failed(w2);
    expect(await redrive(w2.deps, { proposalId: id, actor })).toMatchObject({ ok: true });
    expect(await w2.proposals.get(id)).toMatchObject({
      status: 'AWAITING_APPROVAL',
      redrives: 1,
      activeExecution: `${id}-redrive-1`,
    });
    expect(w2.workflow.started.map((s) => s.name)).toEqual([`${id}-redrive-1`]);
  });

  it('resumes an unfinished proposal after a restart, and leaves FAILED ones to the Dinas Sosial', async () => {
    const w = world();
    const p = w.upload('usulan.csv', [person(1)], '2026-03-02T01:00:00Z', 'D1');
    await validateProposal(w.deps, { proposalId: p.id });
    expect(await resumeUnfinished(w.deps, { proposalId: p.id, actor: 'system:local-stack-restart' })).toMatchObject({
      ok: true,
    });
    expect(await w.proposals.get(p.id)).toMatchObject({ status: 'VALIDATED', redrives: 1 });
    expect(w.workflow.started).toEqual([{ name: `${p.id}-redrive-1`, input: p.sourceEvent }]);

    const w2 = world();
    const id = await failed(w2);
    expect(await resumeUnfinished(w2.deps, { proposalId: id, actor: 'system:local-stack-restart' })).toMatchObject({
      ok: false,
      reason: 'FINISHED',
    });
  });
});
