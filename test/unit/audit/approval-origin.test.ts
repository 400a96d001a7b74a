import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../functions/core/audit/timeline';
import type { Claim } from '../../../functions/core/claims/claim';
import { decideClaimApproval } from '../../../functions/core/claims/use-cases/decide-claim-approval';
import { decideApproval } from '../../../functions/core/proposals/use-cases/decide-approval';
import { requestApproval } from '../../../functions/core/proposals/use-cases/request-approval';
import { validateProposal } from '../../../functions/core/proposals/use-cases/validate-proposal';
import { FakeClaimsWorkflow, MemoryAuditLog, MemoryClaimStore } from '../claims/api-fakes';
import { claim } from '../claims/fixtures';
import { person, world } from '../proposals/world';

// Issue 11: an approval's timeline says who, when and from where. The approval link's holder is known
// by the code alone, so the request's address and browser go on the event; the timeline shows them.
const AGENT =
  'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Mobile Safari/537.36';
// Twelve digits: what masking a NIK-like run of digits would have hidden.
const ORIGIN = { sourceIp: '192.168.100.200', userAgent: AGENT };
const access = { report: false, bills: false, documents: false, proposals: false };

describe('where an approval came from', () => {
  it("records the link's request origin on the proposal's decision, and the timeline shows it to a masked viewer", async () => {
    const w = world();
    const p = w.upload('usulan.csv', [person(1)], '2026-03-02T01:00:00Z', 'O1');
    await validateProposal(w.deps, { proposalId: p.id });
    w.workflow.waiting.add('token-1');
    await requestApproval(w.deps, { proposalId: p.id, taskToken: 'token-1' });
    const { code } = (await w.proposals.get(p.id))!.approval!;

    expect(
      await decideApproval(w.deps, { proposalId: p.id, code, decision: 'APPROVED', origin: ORIGIN }),
    ).toMatchObject({ ok: true });
    const approved = w.audit.events.find((e) => e.action === 'PROPOSAL_APPROVED');
    expect(approved?.details).toMatchObject(ORIGIN);

    const timeline = buildTimeline({
      ref: { kind: 'proposal', entity: `proposal#${p.id}`, id: p.id },
      title: 'usulan',
      events: await w.audit.byEntity(`proposal#${p.id}`),
      whole: false,
      access,
    });
    const row = timeline.entries.find((e) => e.action === 'PROPOSAL_APPROVED')!;
    expect(row.summary).toContain(`dari 192.168.100.200 (${AGENT.slice(0, 60)})`);
    expect(row.summary).not.toContain(AGENT);
  });

  it('records it on a claim approved by link, beside how it was decided', async () => {
    const AT = '2026-03-12T03:00:00.000Z';
    const claims = new MemoryClaimStore();
    const base = claim({ id: 'clm-1' });
    const verified: Claim = {
      ...base,
      status: 'AWAITING_APPROVAL',
      decisions: [{ action: 'VERIFIED', by: 'verifier:vera@kapuaskab.go.id', at: AT }],
      waiting: { for: 'APPROVAL', taskToken: 'token-approve', since: AT },
      approval: { requestedAt: AT, approversNeeded: 1, links: [{ approver: 'kepala@kapuaskab.go.id', code: 'c-1' }] },
    };
    await claims.create(verified, { action: 'CLAIM_FILED', actor: 'test' });
    const deps = { claims, workflow: new FakeClaimsWorkflow(), audit: new MemoryAuditLog(), now: () => new Date(AT) };
    const result = await decideClaimApproval(deps, {
      claimId: 'clm-1',
      approver: { code: 'c-1' },
      decision: 'APPROVED',
      origin: ORIGIN,
    });
    expect(result.ok).toBe(true);
    expect(claims.audit.find((e) => e.action === 'CLAIM_APPROVED')?.details).toMatchObject({ via: 'link', ...ORIGIN });
  });

  it('shows no origin for a decision recorded without one, and no address that is not one', () => {
    const events = [
      { entity: 'claim#x', action: 'CLAIM_APPROVED', actor: 'approver:a', at: '2026-03-12T03:00:00.000Z' },
      {
        entity: 'claim#x',
        action: 'CLAIM_APPROVED',
        actor: 'approver:b',
        at: '2026-03-12T03:01:00.000Z',
        details: { sourceIp: '<b>not an address</b>' },
      },
    ];
    const ref = { kind: 'claim' as const, entity: 'claim#x', id: 'x' };
    const t = buildTimeline({ ref, title: 'klaim', events, whole: false, access });
    expect(t.entries.map((e) => e.summary).join(' ')).not.toContain('dari');
  });
});
