import { describe, expect, it } from 'vitest';
import { cancelProposal } from '../../../functions/core/proposals/use-cases/cancel-proposal';
import { decideApproval } from '../../../functions/core/proposals/use-cases/decide-approval';
import { markFailed } from '../../../functions/core/proposals/use-cases/mark-failed';
import { requestApproval } from '../../../functions/core/proposals/use-cases/request-approval';
import { resolveApprovalTimeout } from '../../../functions/core/proposals/use-cases/resolve-approval-timeout';
import { validateProposal } from '../../../functions/core/proposals/use-cases/validate-proposal';
import { compareUploads } from '../../../functions/core/proposals/proposal';
import { nik, person, world, type World } from './world';

const T0 = '2026-03-02T01:00:00Z';
const T3 = '2026-03-02T01:00:03Z';
const people = (from: number, count: number) => Array.from({ length: count }, (_, i) => person(from + i));
const bad = ['123', 'Salah', '01-01-1980', 'L', 'petani'];

const validate = (w: World, id: string) => validateProposal(w.deps, { proposalId: id, executionArn: `exec-${id}` });
const statusOf = async (w: World, id: string) => (await w.proposals.get(id))?.status;

/** Puts a validated proposal into the approval wait, as the workflow's AwaitApproval does. */
async function awaitApproval(w: World, id: string, token = `token-${id}`) {
  w.workflow.waiting.add(token);
  await requestApproval(w.deps, { proposalId: id, taskToken: token });
  return token;
}

describe('upload order', () => {
  it('follows S3: the sequencer for one key, the event time across keys, never registration', () => {
    const w = world();
    const a = w.upload('usulan.csv', [], T3, '0062A1', {}, false);
    const b = w.upload('usulan.csv', [], T0, '0062A2', {}, false);
    // Same key: the sequencer decides (padded on the right), whatever the times say.
    expect(compareUploads(b, a)).toBeGreaterThan(0);
    expect(
      compareUploads(
        w.upload('usulan.csv', [], T0, '0062A20', {}, false),
        w.upload('usulan.csv', [], T0, '0062A1F', {}, false),
      ),
    ).toBeGreaterThan(0);
    // Across keys: the event time; registration (createdAt) only when nothing else tells.
    w.advance(60_000);
    const c = w.upload('usulan-perbaikan.csv', [], T0, '0062A0', {}, false);
    expect(compareUploads(a, c)).toBeGreaterThan(0);
  });
});

describe('the newest upload for a village and programme wins', () => {
  it('supersedes an earlier proposal while it is mid-claim, and what it claims afterwards does not stay claimed', async () => {
    const w = world();
    // The first file has one person the corrected file drops (serial 9) and one bad row.
    const old = w.upload('usulan-mei.csv', [...people(1, 6), person(9), bad], T0, 'A1');
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 6), T3, 'A2', {}, false);
    let claims = 0;
    w.ledger.onClaim = async (holder) => {
      // The corrected upload arrives and validates completely while the first has claimed two people.
      if (holder === old.id && ++claims === 2) {
        w.proposals.put(fresh);
        await validate(w, fresh.id);
      }
    };

    const first = await validate(w, old.id);

    expect(first).toMatchObject({ status: 'SUPERSEDED', valid: 0 });
    expect(await w.proposals.get(old.id)).toMatchObject({ status: 'SUPERSEDED', supersededBy: fresh.id });
    expect(await w.proposals.get(fresh.id)).toMatchObject({
      status: 'VALIDATED',
      counts: { valid: 6, invalid: 0 },
      supersedes: old.id,
    });
    for (let s = 1; s <= 6; s++) expect(w.ledger.holderOf(nik(s))).toBe(fresh.id);
    // The person only the first file had was claimed after the release, and went back all the same.
    expect(w.ledger.holderOf(nik(9))).toBeUndefined();
    expect(w.ledger.heldBy(old.id)).toBe(0);
    expect(await w.ledger.reserved(w.quota)).toBe(6);
  });

  it('an earlier upload that starts validating after a newer one exists supersedes itself, not the newer one', async () => {
    const w = world();
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 4), T3, 'B2');
    expect(await validate(w, fresh.id)).toMatchObject({ status: 'VALIDATED', valid: 4 });
    // The older upload's event was late: it registers after the newer one.
    w.advance(5_000);
    const old = w.upload('usulan-mei.csv', people(1, 5), T0, 'B1');

    expect(await validate(w, old.id)).toMatchObject({ status: 'SUPERSEDED', valid: 0 });
    expect(await w.proposals.get(old.id)).toMatchObject({ supersededBy: fresh.id });
    expect(await statusOf(w, fresh.id)).toBe('VALIDATED');
    for (let s = 1; s <= 4; s++) expect(w.ledger.holderOf(nik(s))).toBe(fresh.id);
    expect(w.ledger.holderOf(nik(5))).toBeUndefined();
    expect(await w.ledger.reserved(w.quota)).toBe(4);
    expect(w.proposals.actions(old.id)).toContain('PROPOSAL_SUPERSEDED');
  });

  it.each([
    ['oldest first', [0, 1, 2]],
    ['newest first', [2, 1, 0]],
    ['all at once', undefined],
  ])('the same file uploaded three times leaves only the last upload, validated %s', async (_, order) => {
    const w = world();
    const ps = ['C1', 'C2', 'C3'].map((seq) => w.upload('usulan-mei.csv', people(1, 5), T0, seq));
    if (order) for (const i of order) await validate(w, ps[i]!.id);
    else await Promise.all(ps.map((p) => validate(w, p.id)));

    expect(await statusOf(w, ps[2]!.id)).toBe('VALIDATED');
    for (const p of ps.slice(0, 2)) expect(await w.proposals.get(p.id)).toMatchObject({ status: 'SUPERSEDED' });
    for (let s = 1; s <= 5; s++) expect(w.ledger.holderOf(nik(s))).toBe(ps[2]!.id);
    expect(await w.ledger.reserved(w.quota)).toBe(5);
    expect(await w.proposals.findByUploadKey(ps[0]!.uploadKey).then((found) => found[0]!.id)).toBe(ps[2]!.id);
  });

  it('supersedes an earlier upload still RECEIVED, whose validation later stops without claiming anyone', async () => {
    const w = world();
    const old = w.upload('usulan-mei.csv', people(1, 3), T0, 'D1');
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 3), T3, 'D2');
    await validate(w, fresh.id);
    expect(await w.proposals.get(old.id)).toMatchObject({ status: 'SUPERSEDED', supersededBy: fresh.id });

    expect(await validate(w, old.id)).toMatchObject({ status: 'SUPERSEDED', valid: 0 });
    expect(w.ledger.heldBy(old.id)).toBe(0);
    expect((await w.proposals.get(old.id))!.report).toBeUndefined();
  });

  it('supersedes a FAILED proposal, even one that failed half-way through claiming, and takes back all it held', async () => {
    const w = world();
    const failed = w.upload('usulan-mei.csv', people(1, 6), T0, 'E1');
    let claims = 0;
    w.ledger.onClaim = () => {
      if (++claims === 3) throw new Error('DynamoDB throttled');
    };
    await expect(validate(w, failed.id)).rejects.toThrow('throttled');
    w.ledger.onClaim = undefined;
    await markFailed(w.deps, {
      proposalId: failed.id,
      stage: 'validate',
      error: { Error: 'Error', Cause: 'throttled' },
    });
    expect(w.ledger.heldBy(failed.id)).toBe(3);

    const fresh = w.upload('usulan-mei-perbaikan.csv', people(4, 3), T3, 'E2');
    await validate(w, fresh.id);
    expect(await w.proposals.get(failed.id)).toMatchObject({ status: 'SUPERSEDED', supersededBy: fresh.id });
    expect(w.ledger.heldBy(failed.id)).toBe(0);
    expect(await w.proposals.get(fresh.id)).toMatchObject({ status: 'VALIDATED', counts: { valid: 3 } });
  });

  it('leaves a proposal that failed after approval alone: BPJS may hold its people', async () => {
    const w = world();
    const approved = w.upload('usulan-mei.csv', people(1, 2), T0, 'F1');
    await validate(w, approved.id);
    await awaitApproval(w, approved.id);
    const { code } = (await w.proposals.get(approved.id))!.approval!;
    await decideApproval(w.deps, { proposalId: approved.id, code, decision: 'APPROVED' });
    await markFailed(w.deps, { proposalId: approved.id, stage: 'submit', error: { Error: 'BpjsUnavailableError' } });

    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 2), T3, 'F2');
    await validate(w, fresh.id);
    expect(await statusOf(w, approved.id)).toBe('FAILED');
    expect(await w.proposals.get(fresh.id)).toMatchObject({ status: 'INVALID', counts: { valid: 0, invalid: 2 } });
  });

  it('a claim left under a superseded proposal is stale: the next proposal takes the person', async () => {
    const w = world();
    const gone = w.upload('usulan-lama.csv', [], T0, 'G0', { villageCode: '62.03.01.2012', status: 'SUPERSEDED' });
    await w.ledger.claim(
      w.period,
      { proposalId: gone.id, programmeId: gone.programmeId, villageCode: gone.villageCode, fileName: gone.fileName },
      [{ nik: nik(1), row: 2 }],
    );
    const p = w.upload('usulan.csv', people(1, 2), T3, 'G1');
    expect(await validate(w, p.id)).toMatchObject({ status: 'VALIDATED', valid: 2 });
    expect(w.ledger.holderOf(nik(1))).toBe(p.id);
  });
});

describe('races around superseding', () => {
  it('a proposal that entered the approval wait between read and write is still superseded, and its wait ends', async () => {
    const w = world();
    const old = w.upload('usulan-mei.csv', people(1, 2), T0, 'H1');
    await validate(w, old.id);
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 2), T3, 'H2');
    let token: string | undefined;
    w.proposals.beforeChange = async (id, change) => {
      if (id === old.id && change.audit.action === 'PROPOSAL_SUPERSEDED' && !token)
        token = await awaitApproval(w, old.id);
    };
    await validate(w, fresh.id);

    expect(await w.proposals.get(old.id)).toMatchObject({ status: 'SUPERSEDED', supersededBy: fresh.id });
    expect(w.workflow.succeeded).toContainEqual({ token, output: { proposalId: old.id, decision: 'SUPERSEDED' } });
    expect(await w.proposals.get(fresh.id)).toMatchObject({ status: 'VALIDATED', counts: { valid: 2 } });
  });

  it('a rejection landing just before the supersede wins; the newer file still gets the people back', async () => {
    const w = world();
    const old = w.upload('usulan-mei.csv', people(1, 2), T0, 'I1');
    await validate(w, old.id);
    await awaitApproval(w, old.id);
    const { code } = (await w.proposals.get(old.id))!.approval!;
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 2), T3, 'I2');
    let rejected = false;
    w.proposals.beforeChange = async (id, change) => {
      if (id === old.id && change.audit.action === 'PROPOSAL_SUPERSEDED' && !rejected) {
        rejected = true;
        expect(
          await decideApproval(w.deps, { proposalId: old.id, code, decision: 'REJECTED', note: 'data belum lengkap' }),
        ).toMatchObject({ ok: true });
      }
    };
    await validate(w, fresh.id);
    expect(await w.proposals.get(old.id)).toMatchObject({ status: 'REJECTED' });
    expect((await w.proposals.get(old.id))!.supersededBy).toBeUndefined();
    expect(await w.proposals.get(fresh.id)).toMatchObject({ status: 'VALIDATED', counts: { valid: 2 } });
    expect(await w.ledger.reserved(w.quota)).toBe(2);
  });

  it('an approval landing just before the supersede wins: the approved proposal keeps its people', async () => {
    const w = world();
    const old = w.upload('usulan-mei.csv', people(1, 2), T0, 'P1');
    await validate(w, old.id);
    await awaitApproval(w, old.id);
    const { code } = (await w.proposals.get(old.id))!.approval!;
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 3), T3, 'P2');
    w.proposals.beforeChange = async (id, change) => {
      if (id === old.id && change.audit.action === 'PROPOSAL_SUPERSEDED') {
        w.proposals.beforeChange = undefined;
        await decideApproval(w.deps, { proposalId: old.id, code, decision: 'APPROVED' });
      }
    };
    await validate(w, fresh.id);
    expect(await statusOf(w, old.id)).toBe('APPROVED');
    // The two people already approved are refused in the newer file as proposed; the third is new.
    expect(await w.proposals.get(fresh.id)).toMatchObject({ status: 'VALIDATED', counts: { valid: 1, invalid: 2 } });
    expect(w.ledger.holderOf(nik(1))).toBe(old.id);
  });

  it('a cancellation and a supersede of the same FAILED proposal: whichever lands first, it releases once and stays put', async () => {
    for (const first of ['cancel', 'supersede'] as const) {
      const w = world();
      const failed = w.upload('usulan-mei.csv', people(1, 2), T0, 'Q1');
      await validate(w, failed.id);
      await markFailed(w.deps, { proposalId: failed.id, stage: 'approval', error: { Error: 'Error' } });
      const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 2), T3, 'Q2');
      const cancel = () => cancelProposal(w.deps, { proposalId: failed.id, actor: 'operator:dinsos', note: 'batal' });
      if (first === 'cancel') {
        w.proposals.beforeChange = async (id, change) => {
          if (id === failed.id && change.audit.action === 'PROPOSAL_SUPERSEDED') {
            w.proposals.beforeChange = undefined;
            expect(await cancel()).toMatchObject({ ok: true });
          }
        };
        await validate(w, fresh.id);
        expect(await statusOf(w, failed.id)).toBe('CANCELLED');
      } else {
        await validate(w, fresh.id);
        expect(await cancel()).toMatchObject({ ok: false, reason: 'NOT_FAILED' });
        expect(await statusOf(w, failed.id)).toBe('SUPERSEDED');
      }
      expect(await w.proposals.get(fresh.id)).toMatchObject({ status: 'VALIDATED', counts: { valid: 2 } });
      expect(await w.ledger.reserved(w.quota)).toBe(2);
    }
  });

  it('a decision arriving after the supersede is refused as no longer awaiting', async () => {
    const w = world();
    const old = w.upload('usulan-mei.csv', people(1, 2), T0, 'J1');
    await validate(w, old.id);
    const token = await awaitApproval(w, old.id);
    const { code } = (await w.proposals.get(old.id))!.approval!;
    await validate(w, w.upload('usulan-mei-perbaikan.csv', people(1, 2), T3, 'J2').id);
    expect(w.workflow.succeeded).toContainEqual({ token, output: { proposalId: old.id, decision: 'SUPERSEDED' } });
    expect(await decideApproval(w.deps, { proposalId: old.id, code, decision: 'APPROVED' })).toMatchObject({
      ok: false,
      reason: 'NOT_AWAITING',
    });
    expect(await statusOf(w, old.id)).toBe('SUPERSEDED');
  });

  it('a proposal superseded before its approval wait begins is never mailed; the wait ends at once', async () => {
    const w = world();
    const old = w.upload('usulan-mei.csv', people(1, 2), T0, 'K1');
    await validate(w, old.id);
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 2), T3, 'K2');
    // The supersede lands between requestApproval's read and its write.
    let once = false;
    w.proposals.beforeChange = async (id, change) => {
      if (id === old.id && change.audit.action === 'APPROVAL_REQUESTED' && !once) {
        once = true;
        await validate(w, fresh.id);
      }
    };
    const token = await awaitApproval(w, old.id);
    expect(w.workflow.succeeded).toContainEqual({ token, output: { proposalId: old.id, decision: 'SUPERSEDED' } });
    expect(w.sent).toHaveLength(0);
    expect(await statusOf(w, old.id)).toBe('SUPERSEDED');

    // The workflow's retry (or a late second attempt) ends the same way.
    const again = await awaitApproval(w, old.id, 'token-retry');
    expect(w.workflow.succeeded).toContainEqual({
      token: again,
      output: { proposalId: old.id, decision: 'SUPERSEDED' },
    });
    expect(w.sent).toHaveLength(0);
  });

  it('a supersede landing after the approval wait began but before the mail went out: no mail, the wait ends', async () => {
    const w = world();
    const old = w.upload('usulan-mei.csv', people(1, 2), T0, 'N1');
    await validate(w, old.id);
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 2), T3, 'N2');
    w.proposals.afterChange = async (id, change) => {
      if (id === old.id && change.audit.action === 'APPROVAL_REQUESTED') {
        w.proposals.afterChange = undefined;
        await validate(w, fresh.id);
      }
    };
    const token = await awaitApproval(w, old.id);
    expect(w.workflow.succeeded).toContainEqual({ token, output: { proposalId: old.id, decision: 'SUPERSEDED' } });
    expect(w.sent).toHaveLength(0);
  });

  it('a failure recorded while a newer upload supersedes the proposal leaves it SUPERSEDED', async () => {
    const w = world();
    const old = w.upload('usulan-mei.csv', people(1, 2), T0, 'L1', { status: 'VALIDATING' });
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 2), T3, 'L2');
    let once = false;
    w.proposals.beforeChange = async (id, change) => {
      if (id === old.id && change.audit.action === 'PROPOSAL_FAILED' && !once) {
        once = true;
        await validate(w, fresh.id);
      }
    };
    expect(await markFailed(w.deps, { proposalId: old.id, stage: 'validate', error: { Error: 'Error' } })).toEqual({
      proposalId: old.id,
      status: 'SUPERSEDED',
    });
    expect(await statusOf(w, old.id)).toBe('SUPERSEDED');
  });

  it('an approval timeout that loses to a supersede reports the supersede', async () => {
    const w = world();
    const old = w.upload('usulan-mei.csv', people(1, 2), T0, 'M1');
    await validate(w, old.id);
    await awaitApproval(w, old.id);
    const fresh = w.upload('usulan-mei-perbaikan.csv', people(1, 2), T3, 'M2');
    w.proposals.beforeChange = async (id, change) => {
      if (id === old.id && change.audit.action === 'PROPOSAL_EXPIRED') {
        w.proposals.beforeChange = undefined;
        await validate(w, fresh.id);
      }
    };
    expect(await resolveApprovalTimeout(w.deps, { proposalId: old.id })).toEqual({
      proposalId: old.id,
      decision: 'SUPERSEDED',
    });
    expect(await statusOf(w, old.id)).toBe('SUPERSEDED');
    expect(await w.ledger.reserved(w.quota)).toBe(2);
  });
});
