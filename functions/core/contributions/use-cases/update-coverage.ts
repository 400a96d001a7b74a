import type { CoverageStore } from '../../../ports/coverage-store';
import type { ObjectStore } from '../../../ports/object-store';
import { readJsonLines } from '../../proposals/jsonl';
import type { Bill } from '../bill';
import { applyCoverageEvent, type Coverage, type CoverageEvent } from '../coverage';
import type { ContributionTerms } from '../terms';
import { BillParticipant } from './issue-monthly-bill';

/** Applies one event to one participant's stored coverage (re-applied on a concurrent write). */
export function updateCoverage(
  deps: { coverages: CoverageStore },
  input: { programmeId: string; nik: string; event: CoverageEvent; terms: ContributionTerms },
): Promise<Coverage> {
  return deps.coverages.update(input.programmeId, input.nik, (c) => applyCoverageEvent(c, input.event, input.terms));
}

/** Who is on a bill, from the list stored when it was issued, one at a time. */
export async function* billParticipants(deps: { objects: ObjectStore }, bill: Bill): AsyncGenerator<BillParticipant> {
  if (!bill.participantsKey) throw new Error(`Bill ${bill.id} has no participants list`);
  yield* readJsonLines((await deps.objects.get({ key: bill.participantsKey })).body, BillParticipant);
}
