import type { ObjectStore } from '../../../ports/object-store';
import { ProposalStatusConflictError, type ProposalStore } from '../../../ports/proposal-store';
import type { QuotaLedger } from '../../../ports/quota-ledger';
import { StaleTaskTokenError, type WorkflowCallbacks } from '../../../ports/workflow';
import type { Programme } from '../../programmes/programme';
import { approvalWaitSeconds } from '../approval-deadline';
import { compareUploads, type Proposal } from '../proposal';
import { releaseReservations } from '../reservations';

/**
 * The newest upload for a village and programme wins: these are the rules by which it replaces
 * the earlier ones (and by which an upload that finds a newer one steps aside), used by validation.
 */
export type SupersedeDeps = {
  proposals: ProposalStore;
  objects: ObjectStore;
  ledger: QuotaLedger;
  workflow: WorkflowCallbacks;
  now: () => Date;
};

/** What validation answers the workflow, also for a proposal withdrawn while it validated. */
export type Validated = {
  proposalId: string;
  status: Proposal['status'];
  valid: number;
  approvalTimeoutSeconds: number;
};

/**
 * A superseded (or cancelled) proposal's validation stops here. Its people and quota go back once
 * more: whoever superseded it released what it held then, but it may have claimed more since.
 */
export async function withdrawn(deps: SupersedeDeps, p: Proposal, programme: Programme): Promise<Validated> {
  await releaseReservations(deps, p, programme);
  return {
    proposalId: p.id,
    status: p.status,
    valid: 0,
    approvalTimeoutSeconds: approvalWaitSeconds(p, programme, deps.now()),
  };
}

/** Statuses before anyone decided on a proposal: a re-upload may still replace it. */
const UNDECIDED: readonly Proposal['status'][] = ['RECEIVED', 'VALIDATING', 'VALIDATED', 'AWAITING_APPROVAL'];

/**
 * An upload refused at registration (wrong place, not a spreadsheet: a cover letter beside the
 * sheet) is not a version of the village's proposal; every other upload is, readable or not.
 */
export const isProposalUpload = (o: Proposal) => !(o.status === 'INVALID' && o.counts === undefined);

export const sameVillage = (a: Proposal, b: Proposal) =>
  a.programmeId === b.programmeId && a.villageCode === b.villageCode;

/**
 * How a newer upload replaces an earlier proposal: an undecided one (FAILED included, unless it
 * failed after approval: BPJS may hold its people) becomes SUPERSEDED and gives its people and
 * quota back; an INVALID one held nothing and keeps its verdict, marked as replaced. A decided one
 * (approved, rejected, expired, enrolled) stays as it is.
 */
function replacement(o: Proposal): 'supersede' | 'mark' | undefined {
  if (o.approval?.decision) return undefined;
  if (UNDECIDED.includes(o.status)) return 'supersede';
  if (o.status === 'FAILED' && UNDECIDED.includes(o.failure?.previousStatus as Proposal['status'])) return 'supersede';
  if (o.status === 'INVALID' && isProposalUpload(o) && !o.supersededBy) return 'mark';
  return undefined;
}

/**
 * Puts `p` in its place among its village's uploads: returns the newest upload if there is one
 * newer than `p` (then `p` must supersede itself), else supersedes every earlier one.
 */
export async function settleSupersession(
  deps: SupersedeDeps,
  p: Proposal,
  programme: Programme,
  execution?: string,
): Promise<Proposal | undefined> {
  const others = (await deps.proposals.findByProgrammeVillage(p.programmeId, p.villageCode)).filter(
    (o) => o.id !== p.id && isProposalUpload(o),
  );
  const newer = others.filter((o) => compareUploads(o, p) > 0).sort((a, b) => compareUploads(b, a));
  if (newer.length) return newer[0];
  const replaced: string[] = [];
  for (const old of others.sort((a, b) => compareUploads(b, a))) {
    if (await supersede(deps, old, p, programme, execution)) replaced.push(old.id);
  }
  if (replaced.length && !p.supersedes) {
    await deps.proposals.change(p.id, {
      from: ['VALIDATING'],
      set: { supersedes: replaced[0] },
      audit: { action: 'SUPERSEDES', actor: 'system:validate-proposal', execution, details: { superseded: replaced } },
    });
    p.supersedes = replaced[0];
  }
  return undefined;
}

/**
 * Replaces the earlier proposal `old` by `by`. Conditional on the status it was read in, and read
 * again when that moved on (validation finished, the approval wait began, a re-drive), so a
 * proposal changing under our feet is superseded in its new status or, if decided, left alone.
 * Returns whether it replaced `old`.
 */
export async function supersede(
  deps: SupersedeDeps,
  old: Proposal,
  by: Proposal,
  programme: Programme,
  execution?: string,
): Promise<boolean> {
  let current: Proposal | undefined = old;
  for (let attempt = 0; current && attempt < 5; attempt++) {
    const how = replacement(current);
    if (!how) return false;
    try {
      const replaced = await deps.proposals.change(current.id, {
        from: [current.status],
        set: { supersededBy: by.id, ...(how === 'supersede' ? { status: 'SUPERSEDED' as const } : {}) },
        audit: {
          action: 'PROPOSAL_SUPERSEDED',
          actor: 'system:validate-proposal',
          execution,
          from: current.status,
          to: how === 'supersede' ? 'SUPERSEDED' : current.status,
          details: { by: by.id, fileName: by.fileName },
        },
      });
      if (how === 'supersede') await letGo(deps, replaced, programme);
      return true;
    } catch (error) {
      if (!(error instanceof ProposalStatusConflictError)) throw error;
      current = await deps.proposals.get(old.id);
    }
  }
  return false;
}

/** A proposal that was just superseded gives its people and quota back, and its approval wait (if any) ends. */
async function letGo(deps: SupersedeDeps, p: Proposal, programme: Programme) {
  await releaseReservations(deps, p, programme);
  if (p.approval?.taskToken) {
    await deps.workflow
      .succeed(p.approval.taskToken, { proposalId: p.id, decision: 'SUPERSEDED' })
      .catch((error: Error) => {
        if (!(error instanceof StaleTaskTokenError)) throw error;
      });
  }
}

/** `p` turned out older than another upload for its village: it supersedes itself in favour of the newest. */
export async function supersedeSelf(
  deps: SupersedeDeps,
  p: Proposal,
  newest: Proposal,
  programme: Programme,
  execution?: string,
): Promise<Validated> {
  const superseded = await deps.proposals.change(p.id, {
    from: ['VALIDATING'],
    set: { status: 'SUPERSEDED', supersededBy: newest.id },
    audit: {
      action: 'PROPOSAL_SUPERSEDED',
      actor: 'system:validate-proposal',
      execution,
      from: 'VALIDATING',
      to: 'SUPERSEDED',
      details: { by: newest.id, fileName: newest.fileName, newerUpload: true },
    },
  });
  return withdrawn(deps, superseded, programme);
}
