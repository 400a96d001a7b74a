import type { ProgrammeCatalogue } from '../../ports/programme-store';
import { allProgrammes } from './catalogue';
import type { Programme } from './programme';

const seedOrder = new Map(allProgrammes().map((p, i) => [p.id, i]));
const rank = (id: string) => seedOrder.get(id) ?? Number.MAX_SAFE_INTEGER;

/**
 * A catalogue from every stored version: each programme's current version is its highest, and every
 * version stays findable for what was judged by it. Ordered as the seed lists programmes, then the
 * others by id, so lists read the same on every call.
 */
export function catalogueOf(versions: readonly Programme[]): ProgrammeCatalogue {
  const byId = new Map<string, Map<number, Programme>>();
  for (const p of versions) {
    const versionsOfOne = byId.get(p.id) ?? new Map<number, Programme>();
    versionsOfOne.set(p.version, p);
    byId.set(p.id, versionsOfOne);
  }
  const current = [...byId.values()]
    .map((vs) => [...vs.values()].reduce((latest, p) => (p.version > latest.version ? p : latest)))
    .sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
  const currentById = new Map(current.map((p) => [p.id, p]));
  return {
    find: (id) => currentById.get(id),
    version: (id, version) => byId.get(id)?.get(version),
    all: () => current,
  };
}
