/**
 * Quotas and NIK claims, kept exact under concurrency: many proposals validate at once, and
 * none may reserve past a quota or claim a person another proposal holds.
 */

/** One quota: the whole programme's (APBD, DBH Sawit) or one desa's (APBDes). */
export type QuotaScope = { key: string; limit: number; scope: 'programme' | 'desa' };

/** Who already holds a NIK in a programme period. */
export type NikHolder = { proposalId: string; programmeId: string; villageCode: string; fileName: string; row: number };

export type NikClaim = { nik: string; row: number };

export interface QuotaLedger {
  /** Reserves up to `wanted` places for the proposal; the same proposal asking again gets what it has. */
  reserve(quota: QuotaScope, proposalId: string, wanted: number): Promise<number>;
  /** Gives back `count` of the proposal's places (all of them when omitted). */
  release(quota: QuotaScope, proposalId: string, count?: number): Promise<void>;
  /** Places reserved so far. */
  reserved(quota: QuotaScope): Promise<number>;
  /** Claims each NIK for the proposal in the period; returns the NIKs someone else holds, and who. */
  claim(period: string, holder: Omit<NikHolder, 'row'>, niks: NikClaim[]): Promise<Map<string, NikHolder>>;
  /**
   * Who holds each of these NIKs in the period (those held only), read consistently and written
   * nowhere: how a proposal of one regency learns that another regency holds a person (the period
   * keys are per regency, so claiming there would be claiming a place that is not its own).
   */
  holders(period: string, niks: string[]): Promise<Map<string, NikHolder>>;
  /** Lets go of the proposal's claims on these NIKs (claims held by others are left alone). */
  unclaim(period: string, proposalId: string, niks: string[]): Promise<void>;
}
