import type { RegisteredParticipant, RegistrationRequest, RegistrationResponse } from '../core/bpjs/contract';
import type { PaymentCode, PaymentCodeRequest, PaymentCodeStatus } from '../core/bpjs/payment-contract';
import type { AmountConfirmation, BpjsClaimStatus, ClaimSubmission } from '../core/bpjs/claim-contract';
import type { DocumentType } from '../core/claims/claim';

/** How hard a BPJS endpoint may be pushed: the adapter knows its partner, the use case keeps to it. */
export type BpjsLimits = {
  /** Requests per second the partner accepts; above it, it answers 429. */
  maxRequestsPerSecond: number;
  /** How long one request may take before the adapter gives up on it (client-side timeout). */
  timeoutMs: number;
};

export interface BpjsGateway {
  readonly limits: BpjsLimits;
  register(request: RegistrationRequest): Promise<RegistrationResponse>;
  /** Whom BPJS has registered under a programme with this NIK, or undefined when nobody. */
  findParticipant(programmeId: string, nik: string): Promise<RegisteredParticipant | undefined>;
}

/**
 * Contributions with BPJS: a payment code (kode iuran) per monthly bill, and what was paid to it.
 * A port of its own beside BpjsGateway, so enrollment's functions and fakes do not grow methods they
 * never call; the HTTP adapter serves both. Errors as for registration: BpjsUnavailableError when a
 * retry can mend it, BpjsRequestRejectedError when it cannot.
 */
export interface BpjsPayments {
  readonly limits: BpjsLimits;
  /** The code to pay the bill to; asking again for the same bill answers the same code. */
  requestPaymentCode(request: PaymentCodeRequest): Promise<PaymentCode>;
  /** What BPJS has received to the code so far; undefined when BPJS does not know the code. */
  getPaymentStatus(paymentCode: string): Promise<PaymentCodeStatus | undefined>;
}

/**
 * Claims with BPJS (claim-contract.ts): filed once under our claim id, decided by BPJS in its own time
 * and learned of by asking. A port of its own, as BpjsPayments is; the HTTP adapter serves it too.
 * Errors as for registration: BpjsUnavailableError when a retry can mend it, BpjsRequestRejectedError
 * when it cannot.
 */
export interface BpjsClaims {
  readonly limits: BpjsLimits;
  /** Files the claim; the same reference again answers the same claim, so it is filed once whatever the retries. */
  submitClaim(submission: ClaimSubmission): Promise<BpjsClaimStatus>;
  /** Where BPJS is with a claim; undefined when BPJS does not know the id. */
  getClaimStatus(bpjsClaimId: string): Promise<BpjsClaimStatus | undefined>;
  /** The document BPJS asked for (NEEDS_DOCUMENT) has arrived; BPJS then decides again. */
  supplyDocument(bpjsClaimId: string, type: DocumentType): Promise<BpjsClaimStatus>;
  /** After a reclassification (`awaitingAmount`): the amount recomputed for BPJS's classification, to be paid. */
  confirmAmount(bpjsClaimId: string, confirmation: AmountConfirmation): Promise<BpjsClaimStatus>;
}

/**
 * BPJS did not answer (in time), answered 5xx, answered something unreadable or asked us to slow
 * down: worth retrying later. `retryAfterMs` is BPJS's own Retry-After, when it gave one.
 */
export class BpjsUnavailableError extends Error {
  override name = 'BpjsUnavailableError';
  readonly retryAfterMs?: number;
  readonly rateLimited: boolean;
  constructor(message: string, options: { retryAfterMs?: number; rateLimited?: boolean } = {}) {
    super(message);
    this.retryAfterMs = options.retryAfterMs;
    this.rateLimited = options.rateLimited ?? false;
  }
}

/** BPJS refused the batch as a whole (4xx other than 408/429): retrying the same batch cannot help. */
export class BpjsRequestRejectedError extends Error {
  override name = 'BpjsRequestRejectedError';
}

/**
 * The submission stopped with batches left, after getting some through: the Lambda was running out
 * of time, or BPJS kept failing. What was done is kept, so the workflow's next try carries on.
 */
export class BpjsSubmissionPausedError extends Error {
  override name = 'BpjsSubmissionPausedError';
}
