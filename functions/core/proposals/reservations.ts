import type { ObjectStore } from '../../ports/object-store';
import type { QuotaLedger, QuotaScope } from '../../ports/quota-ledger';
import type { Programme } from '../programmes/programme';
import { Worker } from '../workers/worker';
import { readJsonLines } from './jsonl';
import type { Proposal } from './proposal';

/** The quota a proposal draws on: the programme's, or (APBDes) its own desa's. */
export function quotaOf(programme: Programme, villageCode: string): QuotaScope {
  return programme.quota.scope === 'programme'
    ? { key: `quota#${programme.id}`, limit: programme.quota.limit, scope: 'programme' }
    : { key: `quota#${programme.id}#${villageCode}`, limit: programme.quota.limitPerDesa, scope: 'desa' };
}

/**
 * A person is covered once per regency and coverage period, whichever funding source pays: the
 * period key spans the regency's APBD, DBH Sawit and APBDes programmes for the same dates.
 */
export function periodOf(programme: Programme): string {
  return `${programme.regency.code}#${programme.coverage.start}/${programme.coverage.end}`;
}

/**
 * The NIKs a validation is about to claim (only those: no names, no birth dates), written before it
 * claims them: whoever releases the proposal later (a superseding upload, a cancellation) finds
 * every claim it may hold here, even when validation stopped half-way and never wrote its workers.
 */
export const claimsKey = (proposalId: string) => `work/${proposalId}/claims.jsonl`;

/**
 * Statuses whose claims on people are no longer theirs: such a proposal gave its people back (or is
 * giving them back right now), so a claim still under its name is stale and another may take it.
 */
export const RELEASED_STATUSES: readonly Proposal['status'][] = [
  'INVALID',
  'REJECTED',
  'EXPIRED',
  'SUPERSEDED',
  'CANCELLED',
];

export type ReleaseDeps = { ledger: QuotaLedger; objects: ObjectStore };

/**
 * Gives back a proposal's quota and its claims on people (rejected, expired, superseded or
 * cancelled). Safe to repeat and to run beside another release of the same proposal: a claim is
 * only let go while it is still this proposal's, and a share only once.
 */
export async function releaseReservations(
  deps: ReleaseDeps,
  proposal: Proposal,
  programme: Programme,
): Promise<number> {
  // A finished validation's workers are exactly what it holds; an unfinished one may hold any it set out to claim.
  const finished = proposal.counts !== undefined;
  const claimed = finished
    ? proposal.workersKey
    : (await deps.objects.head({ key: claimsKey(proposal.id) }))
      ? claimsKey(proposal.id)
      : undefined;
  const niks: string[] = [];
  if (claimed) {
    for await (const w of readJsonLines((await deps.objects.get({ key: claimed })).body, Worker.pick({ nik: true })))
      niks.push(w.nik);
  }
  await deps.ledger.unclaim(periodOf(programme), proposal.id, niks);
  await deps.ledger.release(quotaOf(programme, proposal.villageCode), proposal.id);
  return niks.length;
}
