import * as z from 'zod';
import { CalendarDate, CalendarMonth } from '../contributions/calendar';

/**
 * Payment codes (kode iuran), in Jaring's own BPJS contract (contract.ts says why it is ours): a
 * regency pays each monthly bill to a code BPJS issues for it (DOMAIN.md "Contributions"), and
 * asks BPJS what was paid to a code.
 *
 *   POST /v1/payment-codes          Idempotency-Key: <bill id>  -> PaymentCode
 *   GET  /v1/payment-codes/<code>                               -> PaymentCodeStatus | 404
 *
 * Asking again for the same bill answers the same code (the bill id is the key), so a retried or
 * repeated request never makes a second code for one bill.
 */
export const PaymentCodeRequest = z.object({
  /** Our bill id (`programmeId#YYYY-MM`): the reference and the idempotency key. */
  billReference: z.string().min(1),
  programmeId: z.string().min(1),
  month: CalendarMonth,
  /** Integer rupiah, the whole bill. */
  amount: z.number().int().positive(),
  dueDate: CalendarDate,
  participants: z.number().int().positive(),
});
export type PaymentCodeRequest = z.infer<typeof PaymentCodeRequest>;

export const PaymentCode = z.object({
  paymentCode: z.string().min(1),
  billReference: z.string().min(1),
  amount: z.number().int().positive(),
});
export type PaymentCode = z.infer<typeof PaymentCode>;

/** One transfer BPJS received to a code, as the bank reported it. */
export const ReceivedPayment = z.object({
  /** The bank's reference: the same transfer reported twice has the same one. */
  reference: z.string().min(1),
  amount: z.number().int().positive(),
  paidOn: CalendarDate,
});
export type ReceivedPayment = z.infer<typeof ReceivedPayment>;

export const PaymentCodeStatus = PaymentCode.extend({ payments: z.array(ReceivedPayment) });
export type PaymentCodeStatus = z.infer<typeof PaymentCodeStatus>;
