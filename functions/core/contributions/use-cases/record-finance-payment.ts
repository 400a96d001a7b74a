import * as z from 'zod';
import type { BillStore } from '../../../ports/bill-store';
import { safeFileName } from '../../proposals/upload-grant';
import { PaymentConflictError, type Bill } from '../bill';
import { CalendarDate, jakartaDate, type CalendarMonth } from '../calendar';
import { monthName } from '../coverage';
import { recordBillPayment } from './record-bill-payment';

/** What finance sends for a transfer: integer rupiah, the day it left the account, the bank's reference. */
export const PaymentRequest = z.object({
  // A number in JSON; digits only from the console's form, whose fields are text. Never a fraction.
  amount: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,15}$/)
        .transform(Number),
    ])
    .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)),
  paidOn: CalendarDate,
  bankReference: z.string().trim().min(1).max(64),
  /** The transfer slip to upload: the answer carries a presigned PUT for it. */
  proof: z.object({ fileName: z.string().trim().min(1).max(200) }).optional(),
});
export type PaymentRequest = z.infer<typeof PaymentRequest>;

/**
 * Where a payment's proof lives: beside its bill's documents, under the payment's own reference, so
 * one transfer's slip can never overwrite another's or the bill's participant list.
 */
export function paymentProofKey(programmeId: string, month: CalendarMonth, bankReference: string, fileName: string) {
  const ref = bankReference.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return `bills/${programmeId}/${month}/payments/${ref}/${safeFileName(fileName)}`;
}

const RUPIAH = new Intl.NumberFormat('id-ID');
const rupiah = (n: number) => `Rp${RUPIAH.format(n)}`;

export type FinancePaymentRefusal = { status: 404 | 409 | 400; code: string; message: string };

/**
 * Finance records a transfer against a month's bill. Partial and over-payments are held as they are
 * (bill.ts); the participants' months follow when the daily check sees the bill paid in full. A bank
 * reference already on the bill is refused with what it was recorded as: one transfer is one
 * payment, and a second entry of it is a mistake finance should see, not a silent no-op.
 */
export async function recordFinancePayment(
  deps: { bills: BillStore; now: () => Date },
  input: { programmeId: string; month: CalendarMonth; request: PaymentRequest; recordedBy: string },
): Promise<
  { ok: true; bill: Bill; proofKey?: string; paidInFull: boolean } | { ok: false; refusal: FinancePaymentRefusal }
> {
  const { programmeId, month, request } = input;
  const now = deps.now();
  const bankReference = request.bankReference.trim();
  if (request.paidOn > jakartaDate(now)) {
    return refused(
      400,
      'PAID_ON_IN_FUTURE',
      'Tanggal bayar tidak boleh lewat dari hari ini. Isi tanggal uang keluar dari rekening kas daerah.',
    );
  }
  const current = await deps.bills.get(programmeId, month);
  if (!current) return refused(404, 'NOT_FOUND', 'Tagihan tidak ditemukan.');
  const already = current.payments.find((p) => p.bankReference === bankReference);
  if (already) return duplicate(current, already);

  const proofKey = request.proof && paymentProofKey(programmeId, month, bankReference, request.proof.fileName);
  const recordedAt = now.toISOString();
  try {
    const result = await recordBillPayment(
      { bills: deps.bills, now: () => now },
      {
        programmeId,
        month,
        payment: {
          bankReference,
          amount: request.amount,
          paidOn: request.paidOn,
          recordedBy: input.recordedBy,
          proofKey,
        },
      },
    );
    const stored = result.bill.payments.find((p) => p.bankReference === bankReference)!;
    // Another officer entered the same transfer a moment earlier: theirs is the one on the bill.
    if (stored.recordedAt !== recordedAt || stored.recordedBy !== input.recordedBy)
      return duplicate(result.bill, stored);
    return { ok: true, bill: result.bill, proofKey, paidInFull: result.paidInFull !== undefined };
  } catch (error) {
    if (!(error instanceof PaymentConflictError)) throw error;
    const bill = (await deps.bills.get(programmeId, month)) ?? current;
    const stored = bill.payments.find((p) => p.bankReference === bankReference);
    if (!stored) throw error;
    return duplicate(bill, stored);
  }
}

const refused = (status: FinancePaymentRefusal['status'], code: string, message: string) =>
  ({ ok: false, refusal: { status, code, message } }) as const;

function duplicate(bill: Bill, payment: Bill['payments'][number]) {
  return refused(
    409,
    'BANK_REFERENCE_RECORDED',
    `Referensi bank ${payment.bankReference} sudah tercatat pada tagihan ${monthName(bill.month)}: ` +
      `${rupiah(payment.amount)}, dibayar ${payment.paidOn}. Satu transfer hanya dicatat sekali; ` +
      'periksa nomor referensi pada bukti transfer.',
  );
}
