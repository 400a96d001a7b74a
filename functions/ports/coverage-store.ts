import type { CalendarMonth } from '../core/contributions/calendar';
import type { BillableCoverage, Coverage } from '../core/contributions/coverage';

/** A page of a longer list; `cursor` (opaque) asks for the next page, absent on the last. */
export type Page<T> = { items: T[]; cursor?: string };

/** The billable index is read in this many shards, in parallel (functions/core/contributions/README.md). */
export const BILLABLE_SHARDS = 10;
/** A coverage's shard: the NIK's last digit, which the serial spreads evenly. */
export const billableShard = (nik: string) => Number(nik.slice(-1)) % BILLABLE_SHARDS;

export class CoverageNotFoundError extends Error {
  constructor(programmeId: string, maskedNik: string) {
    super(`No coverage for ${maskedNik} in ${programmeId}`);
    this.name = 'CoverageNotFoundError';
  }
}

/**
 * Participants' coverage records, one per participant and programme (key design in
 * functions/core/contributions/README.md): by NIK, by programme and village, and the billable ones of
 * a programme in a month, none by scanning.
 */
export interface CoverageStore {
  get(programmeId: string, nik: string): Promise<Coverage | undefined>;
  /** Every programme's coverage of one person. */
  byNik(nik: string): Promise<Coverage[]>;
  /** A village's participants in a programme, by NIK, a page at a time. */
  byVillage(
    programmeId: string,
    villageCode: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Coverage>>;
  /**
   * One shard of the programme's billable coverages (ACTIVE or ARREARS) whose period touches `month`,
   * a page at a time. Entries carry what billing needs, not the whole record.
   */
  billable(programmeId: string, month: CalendarMonth, shard: number, cursor?: string): Promise<Page<BillableCoverage>>;
  /** Records a new coverage; one that exists for the participant and programme is left as it is. */
  create(coverage: Coverage): Promise<'created' | 'exists'>;
  /** Records many new coverages (an enrolment of thousands); those that exist are left as they are. */
  createMany(coverages: readonly Coverage[]): Promise<{ created: number; existed: number }>;
  /**
   * Replaces the stored coverage with `next(current)`, on the condition that nobody wrote it in
   * between; on a conflict it reads again and calls `next` again (so `next` must be pure). Returns
   * what was stored. Throws CoverageNotFoundError when there is none.
   */
  update(programmeId: string, nik: string, next: (current: Coverage) => Coverage): Promise<Coverage>;
}
