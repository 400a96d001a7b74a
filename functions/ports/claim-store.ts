import type { AuditEvent } from '../core/audit/audit-event';
import type { Claim, ClaimStatus, ClaimType } from '../core/claims/claim';
import type { CalendarMonth } from '../core/contributions/calendar';
import type { Page } from './coverage-store';

/** A claim as stored: the Claim and its version, which every change is conditional on. */
export type StoredClaim = Claim & { version: number };

/**
 * What the audit trail records of a write; the store adds the entity (`claim#<id>`), the statuses
 * it moved between, and the instant (`at`, now unless given).
 */
export type ClaimAudit = Omit<AuditEvent, 'entity' | 'at' | 'from' | 'to'> & { at?: string };

/** A change to one claim, written only if its conditions hold, in one transaction with its audit event. */
export type ClaimChange = {
  /** Only while the claim is in one of these statuses: another writer moving it first wins. */
  from?: readonly ClaimStatus[];
  /**
   * Only if the claim is still at this version (the one a verifier's page or a task read): any
   * write in between makes the change stale, and it loses with ClaimVersionConflictError.
   */
  expectedVersion?: number;
  /**
   * The claim after the change, from the claim as stored now. Without `expectedVersion` a write that
   * lost a race reads again and calls `next` again, so `next` must be pure. Returning its argument
   * unchanged writes nothing. It may not change the claim's id or NIK; payouts only grow.
   */
  next: (current: Claim) => Claim;
  audit: ClaimAudit;
};

/** What one programme paid out in one month (by the payouts' `paidOn`), in rupiah. */
export type PaidTotal = {
  month: CalendarMonth;
  amount: number;
  /** Transfers recorded, and the claims they belong to. */
  payouts: number;
  claims: number;
  byType: Partial<Record<ClaimType, number>>;
};

/** A claim on a death: one person dies once, whichever programme covered them. */
const DEATH_CLAIM_TYPES: readonly ClaimType[] = ['JKM', 'JKK_DEATH'];
/** A claim in one of these ended without a payout: the person's death may be claimed again. */
const UNSUCCESSFUL_STATUSES: readonly ClaimStatus[] = ['REFUSED', 'REJECTED', 'REFUSED_BY_BPJS'];

/** Whether the claim stands as the one death claim of its participant. */
export const holdsDeathClaim = (c: Pick<Claim, 'type' | 'status'>) =>
  DEATH_CLAIM_TYPES.includes(c.type) && !UNSUCCESSFUL_STATUSES.includes(c.status);

export class ClaimNotFoundError extends Error {
  override name = 'ClaimNotFoundError';
  constructor(readonly claimId: string) {
    super(`No claim ${claimId}`);
  }
}

/** The claim was not in a status the change allows: someone else moved it first. */
export class ClaimStatusConflictError extends Error {
  override name = 'ClaimStatusConflictError';
  constructor(
    readonly claimId: string,
    readonly status: ClaimStatus,
    readonly expected: readonly ClaimStatus[],
  ) {
    super(`Claim ${claimId} is ${status}, expected one of ${expected.join(', ')}`);
  }
}

/** The claim was written after the version the change was based on (or kept changing under it). */
export class ClaimVersionConflictError extends Error {
  override name = 'ClaimVersionConflictError';
  constructor(
    readonly claimId: string,
    readonly expectedVersion: number,
    readonly version: number,
  ) {
    super(`Claim ${claimId} is at version ${version}, the change was based on version ${expectedVersion}`);
  }
}

/** Another claim on the same person's death stands (filed, in progress or paid). Its message masks the NIK. */
export class DeathAlreadyClaimedError extends Error {
  override name = 'DeathAlreadyClaimedError';
  constructor(
    readonly maskedNik: string,
    /** The claim that holds it. */
    readonly claimId: string,
  ) {
    super(`The death of ${maskedNik} is claimed already, by claim ${claimId}`);
  }
}

/**
 * Claims, each write in one transaction with its audit event (read back through the AuditLog, entity
 * `claim#<id>`). At most one death claim (JKM or JKK_DEATH) stands per NIK at any instant, across
 * programmes: the store refuses a second with DeathAlreadyClaimedError however the two race. Lists
 * come from indexes, never a scan.
 */
export interface ClaimStore {
  /**
   * Files the claim unless one with its id exists (the id is the idempotency key: filing again is
   * `exists` and changes nothing). DeathAlreadyClaimedError when it would be a second standing death
   * claim on the person; a claim filed REFUSED holds nothing and is always recorded.
   */
  create(claim: Claim, audit: ClaimAudit): Promise<'created' | 'exists'>;
  get(id: string): Promise<StoredClaim | undefined>;
  /**
   * Applies the change; throws ClaimNotFoundError, ClaimStatusConflictError, ClaimVersionConflictError,
   * or DeathAlreadyClaimedError when the change would make it a second standing death claim. A death
   * claim that ends unsuccessfully frees the person's death for another claim in the same write.
   */
  change(id: string, change: ClaimChange): Promise<StoredClaim>;
  /**
   * Every claim on one person, newest filing first, each read as stored now. The list comes from an
   * index, which may miss a claim filed a moment ago: use it to explain a refusal, and rely on
   * `create` for the one-death-claim rule.
   */
  byParticipant(nik: string): Promise<StoredClaim[]>;
  /** A village's claims in a programme, newest filing first, a page at a time. */
  byVillage(
    programmeId: string,
    villageCode: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredClaim>>;
  /** A programme's claims, newest filing first, a page at a time. */
  byProgramme(programmeId: string, page: { limit: number; cursor?: string }): Promise<Page<StoredClaim>>;
  /** What the programme paid out, month by month, oldest first; only `month`'s when given (none: []). */
  paidTotals(programmeId: string, month?: CalendarMonth): Promise<PaidTotal[]>;
}
