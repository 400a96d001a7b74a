import * as z from 'zod';
import { ClaimType, DocumentType, Heir, Payout } from '../claims/claim';
import { CalendarDate } from '../contributions/calendar';

/**
 * Claims, in Jaring's own BPJS contract (contract.ts says why it is ours): a claim is filed once,
 * under our claim id, and BPJS decides it in its own time; we learn the decision by asking, as we
 * learn of payments to a kode iuran.
 *
 *   POST /v1/claims                        Idempotency-Key: <reference>  -> BpjsClaimStatus
 *   GET  /v1/claims/<bpjsClaimId>                                        -> BpjsClaimStatus | 404
 *   POST /v1/claims/<bpjsClaimId>/documents  DocumentSupplied            -> BpjsClaimStatus
 *   POST /v1/claims/<bpjsClaimId>/amount     AmountConfirmation          -> BpjsClaimStatus
 *
 * Filing again under the same reference answers the claim already filed (whatever the body), so a
 * retried filing never makes a second claim. BPJS decides whether a death was a work accident (PP
 * 49/2023 Ps. 25A, DOMAIN.md): when it classifies a claim otherwise than filed, it approves it but
 * pays nothing until we confirm the amount recomputed for its classification (`awaitingAmount`), so
 * the benefit rules stay ours and BPJS never pays a JKK amount for a JKM death.
 */

/** Our claim, as BPJS needs it: who, what happened, who is paid and to which account, and how much. */
export const ClaimSubmission = z.object({
  /** Our claim id: the idempotency key. */
  reference: z.string().min(1),
  programmeId: z.string().min(1),
  kpj: z.string().min(1),
  nik: Heir.shape.nik,
  type: ClaimType,
  eventDate: CalendarDate,
  description: z.string().min(1),
  recipient: Heir.pick({ nik: true, name: true, relationship: true, bankAccount: true }),
  /** The documents sent with the claim; BPJS may still ask for one (again). */
  documents: z.array(DocumentType),
  /** Integer rupiah, the benefit as we computed it for `type`. */
  amountRequested: z.number().int().positive(),
});
export type ClaimSubmission = z.infer<typeof ClaimSubmission>;

const BpjsClaimState = z.enum([
  /** Filed; BPJS has not decided yet. */
  'RECEIVED',
  /** BPJS asks for `missingDocument` before it decides. */
  'NEEDS_DOCUMENT',
  /** BPJS will pay (after `awaitingAmount` is confirmed, when it reclassified the claim). */
  'APPROVED',
  /** Transferred to the recipient's account: `payout`. */
  'PAID',
  /** BPJS turned the claim down: `reason`. Final. */
  'REFUSED',
  /** The bank refused the transfer (`reason`); BPJS tries again on its own. */
  'TRANSFER_FAILED',
]);
export type BpjsClaimState = z.infer<typeof BpjsClaimState>;

export const BpjsClaimStatus = z
  .object({
    bpjsClaimId: z.string().min(1),
    reference: z.string().min(1),
    status: BpjsClaimState,
    /** BPJS's classification: the filed type unless it decided otherwise. */
    classification: ClaimType,
    missingDocument: DocumentType.optional(),
    /** Why BPJS refused the claim or the bank the transfer, in Indonesian. */
    reason: z.string().min(1).optional(),
    /** Approved under another classification than filed: nothing is paid until the amount is confirmed. */
    awaitingAmount: z.boolean().optional(),
    payout: Payout.omit({ recordedAt: true }).optional(),
    receivedAt: z.string().min(1),
    decidedAt: z.string().min(1).optional(),
  })
  // An answer that contradicts itself is no answer: the caller asks again rather than record it.
  .refine((s) => s.status !== 'PAID' || s.payout, { message: 'PAID without a payout', path: ['payout'] })
  .refine((s) => s.status !== 'NEEDS_DOCUMENT' || s.missingDocument, {
    message: 'NEEDS_DOCUMENT without the document',
    path: ['missingDocument'],
  })
  .refine((s) => !['REFUSED', 'TRANSFER_FAILED'].includes(s.status) || s.reason, {
    message: 'REFUSED or TRANSFER_FAILED without a reason',
    path: ['reason'],
  });
export type BpjsClaimStatus = z.infer<typeof BpjsClaimStatus>;

/** The document BPJS asked for has arrived (the file stays with us; BPJS's contract names its type). */
export const DocumentSupplied = z.object({ type: DocumentType });
export type DocumentSupplied = z.infer<typeof DocumentSupplied>;

/** After a reclassification: the amount we recomputed for BPJS's classification, which BPJS then pays. */
export const AmountConfirmation = z.object({
  /** The classification the amount was computed for; BPJS refuses one for another (409). */
  classification: ClaimType,
  amount: z.number().int().positive(),
});
export type AmountConfirmation = z.infer<typeof AmountConfirmation>;
