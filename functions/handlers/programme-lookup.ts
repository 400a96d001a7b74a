import type { Programme } from '../core/programmes/programme';
import type { FindProgramme } from '../core/proposals/proposal';
import type { ProgrammeCatalogue } from '../ports/programme-store';
import { programmeCatalogue } from '../wiring/programmes';

/** The programmes as a use case takes them: a lookup by id (and version) and the list of all. */
export type ProgrammeLookup = { findProgramme: FindProgramme; allProgrammes: () => readonly Programme[] };

/**
 * The programmes for one invocation, read here once (not at module load, so an edit made through the
 * console reaches a warm Lambda), in the shape the use cases take. A proposal's later stages ask with
 * the version it recorded; a record without one is judged by the current version.
 */
export async function programmesNow(
  read: () => Promise<ProgrammeCatalogue> = programmeCatalogue,
): Promise<ProgrammeLookup> {
  const catalogue = await read();
  return {
    findProgramme: (id, version) => (version === undefined ? catalogue.find(id) : catalogue.version(id, version)),
    allProgrammes: () => catalogue.all(),
  };
}
