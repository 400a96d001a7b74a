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

/** What a new version records in the audit trail beside itself: what changed, field by field. */
export type ProgrammeChange = { field: string; from?: unknown; to?: unknown };

/**
 * Someone else saved a version of the programme since the one this change was made from (or the
 * programme exists already, for a new one): nothing was written, the editor must look again.
 */
export class ProgrammeVersionConflictError extends Error {
  constructor(
    readonly programmeId: string,
    readonly expectedVersion: number,
  ) {
    super(
      expectedVersion === 0
        ? `Programme ${programmeId} exists already`
        : `Programme ${programmeId} has a version after ${expectedVersion}`,
    );
    this.name = 'ProgrammeVersionConflictError';
  }
}

/**
 * Where programmes live (issue 13): each version stored once and never changed, a change the next
 * version, recorded in the audit trail (PROGRAMME_CREATED, PROGRAMME_CHANGED: who, when, what changed)
 * in the same write.
 */
export interface ProgrammeStore {
  /** Every version of every programme: what a catalogue snapshot is made of. */
  everyVersion(): Promise<Programme[]>;
  /** One programme's versions, oldest first; none for an unknown programme. */
  history(id: string): Promise<Programme[]>;
  /**
   * Stores `programme` as its `version`, which must be `expectedVersion + 1` (0 for a new programme):
   * a version taken already throws ProgrammeVersionConflictError, so of two concurrent edits of one
   * version the second is refused. `changes` and the version's `changedBy`, `changedAt` and `reason`
   * go into the audit event.
   */
  save(programme: Programme, expectedVersion: number, changes: readonly ProgrammeChange[]): Promise<void>;
}
