import { describe, expect, it } from 'vitest';
import { DynamoDbQuotaLedger } from '../../../functions/adapters/dynamodb-quota-ledger';
import { decideApproval } from '../../../functions/core/proposals/use-cases/decide-approval';
import { requestApproval } from '../../../functions/core/proposals/use-cases/request-approval';
import { resolveApprovalTimeout } from '../../../functions/core/proposals/use-cases/resolve-approval-timeout';
import { validateProposal } from '../../../functions/core/proposals/use-cases/validate-proposal';
import { scripted } from '../adapters/scripted-client';
import { throttled } from './fakes';
import { nik, person, programme, world, type World } from './world';

const DAY = 86_400_000;

/** A validated proposal of two people, put to the approver under a task token. */
async function awaiting(w: World) {
  const p = w.upload('usulan.csv', [person(1), person(2)], '2026-03-02T01:00:00Z', 'A1');
  await validateProposal(w.deps, { proposalId: p.id });
  w.workflow.waiting.add('token-1');
  await requestApproval(w.deps, { proposalId: p.id, taskToken: 'token-1' });
  return { id: p.id, code: (await w.proposals.get(p.id))!.approval!.code };
}

/**
 * A rejection whose release failed: the approver got an error, the workflow was never told, and the
 * wait ran to its deadline. The timeout is the last step that can give the quota and people back.
 */
describe('the approval timeout after a rejection whose release failed', () => {
  it('releases the quota and the claims again and passes REJECTED on', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    const release = w.ledger.release.bind(w.ledger);
    w.ledger.release = async () => {
      throw throttled();
    };
    await expect(
      decideApproval(w.deps, { proposalId: id, code, decision: 'REJECTED', note: 'bukan warga' }),
    ).rejects.toThrow();
    w.ledger.release = release;
    expect((await w.proposals.get(id))!.status).toBe('REJECTED');
    expect(await w.ledger.reserved(w.quota)).toBe(2);
    expect(w.workflow.succeeded).toEqual([]);

    w.advance(programme.approvalTimeoutDays * DAY);
    expect(await resolveApprovalTimeout(w.deps, { proposalId: id })).toEqual({ proposalId: id, decision: 'REJECTED' });
    expect(await w.ledger.reserved(w.quota)).toBe(0);
    expect(w.ledger.holderOf(nik(1))).toBeUndefined();
    expect(w.ledger.heldBy(id)).toBe(0);
  });

  it('releasing a rejection that was released already changes nothing, and leaves another proposal’s claim alone', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    await decideApproval(w.deps, { proposalId: id, code, decision: 'REJECTED', note: 'bukan warga' });
    expect(await w.ledger.reserved(w.quota)).toBe(0);
    // Someone else proposed the same person after the rejection gave them back.
    await w.ledger.claim(
      w.period,
      { proposalId: 'prp-other', programmeId: programme.id, villageCode: '62.03.01.2011', fileName: 'b.csv' },
      [{ nik: nik(1), row: 2 }],
    );
    await w.ledger.reserve(w.quota, 'prp-other', 1);

    expect(await resolveApprovalTimeout(w.deps, { proposalId: id })).toEqual({ proposalId: id, decision: 'REJECTED' });
    expect(w.ledger.holderOf(nik(1))).toBe('prp-other');
    expect(await w.ledger.reserved(w.quota)).toBe(1);
  });

  it('an approval already on record is passed on and keeps its places', async () => {
    const w = world();
    const { id, code } = await awaiting(w);
    await decideApproval(w.deps, { proposalId: id, code, decision: 'APPROVED' });
    expect(await resolveApprovalTimeout(w.deps, { proposalId: id })).toEqual({ proposalId: id, decision: 'APPROVED' });
    expect(await w.ledger.reserved(w.quota)).toBe(2);
  });
});

describe('the DynamoDB quota ledger releasing a share twice', () => {
  it('the second release finds no share and writes nothing', async () => {
    const quota = { key: 'quota#kapuas-2026-apbdes#62.03.01.2011', limit: 100, scope: 'desa' as const };
    const { client, sent } = scripted({
      GetCommand: [() => ({ Item: { count: 2 } }), () => ({ Item: { count: 0 } })],
      TransactWriteCommand: [() => ({})],
    });
    const ledger = new DynamoDbQuotaLedger(client, 'quotas');
    await ledger.release(quota, 'prp-1');
    await ledger.release(quota, 'prp-1');
    expect(sent.map((s) => s.name)).toEqual(['GetCommand', 'TransactWriteCommand', 'GetCommand']);
  });
});
