import type { Programme } from '../core/programmes/programme';

/**
 * The programmes as they stand, read once per invocation: every programme's current version, and any
 * version a proposal, bill or claim recorded it was judged by. Synchronous, so the domain's use cases
 * keep taking a plain `findProgramme`.
 */
export interface ProgrammeCatalogue {
  /** The current version of a programme. */
  find(id: string): Programme | undefined;
  /** A given version of a programme (what a proposal, bill or claim was judged by). */
  version(id: string, version: number): Programme | undefined;
  /** Every programme's current version, of every regency. */
  all(): readonly Programme[];
}
