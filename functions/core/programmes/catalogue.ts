import * as z from 'zod';
import { Programme } from './programme';
import seedJson from './seed/programmes.json';

/**
 * The programmes Jaring ships with: seed data (seed/programmes.json), not code. The programmes table
 * is where programmes live and change (functions/ports/programme-store.ts); this seed is what a new
 * deployment and `npm start` put there when a programme is absent, and what unit tests judge by.
 * Figures come from shared/DOMAIN.md, each programme with its sources; anything marked unconfirmed
 * there (age limits, 2026 coverage dates, Kubu Raya's quota) is a value in the seed, not a rule.
 */
const ProgrammeSeed = z.object({ about: z.string(), programmes: z.array(Programme).min(1) });

const programmes: readonly Programme[] = ProgrammeSeed.parse(seedJson).programmes;

const byId = new Map(programmes.map((p) => [p.id, p]));

export function findProgramme(id: string): Programme | undefined {
  return byId.get(id);
}

export function allProgrammes(): readonly Programme[] {
  return programmes;
}
