import { allProgrammes, findProgramme } from '../core/programmes/catalogue';
import type { ProgrammeCatalogue } from '../ports/programme-store';

/**
 * The programme catalogue a handler judges by. For now the shipped catalogue; programmes move to
 * DynamoDB (issue 13), and this is the one place that changes when they do.
 */
export async function programmeCatalogue(): Promise<ProgrammeCatalogue> {
  return Promise.resolve({
    find: findProgramme,
    version: (id) => findProgramme(id),
    all: allProgrammes,
  });
}
