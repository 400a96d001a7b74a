import type { ProposalStore } from '../../ports/proposal-store';
import type { Proposal } from './proposal';

/** The proposal a workflow step was handed: it exists, since registration created it before the workflow went on. */
export async function mustGet(store: ProposalStore, id: string): Promise<Proposal> {
  const p = await store.get(id);
  if (!p) throw new Error(`Proposal ${id} does not exist`);
  return p;
}
