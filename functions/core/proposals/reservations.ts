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

export type ReleaseDeps = { ledger: QuotaLedger; objects: ObjectStore };

/** Gives back a proposal's quota and its claims on people (rejected, expired or superseded). */
export async function releaseReservations(deps: ReleaseDeps, proposal: Proposal, programme: Programme): Promise<number> {
  const niks: string[] = [];
  if (proposal.workersKey) {
    for await (const w of readJsonLines((await deps.objects.get({ key: proposal.workersKey })).body, Worker)) niks.push(w.nik);
  }
  await deps.ledger.unclaim(periodOf(programme), proposal.id, niks);
  await deps.ledger.release(quotaOf(programme, proposal.villageCode), proposal.id);
  return niks.length;
}
