import * as z from 'zod';
import { Benefit, FundingSource } from '../programmes/programme';
import { CalendarDate, CalendarMonth } from './calendar';
import { isCoveredIn, overlapsMonth, type BillableCoverage, type Coverage } from './coverage';
import { DueDate, dueDate } from './due-date';
import type { HolidayCalendar } from './holidays';
import { MonthlyPrice, priceParticipantMonth } from './pricing';
import type { ContributionTerms } from './terms';

/**
 * The monthly bill a regency pays BPJS Ketenagakerjaan for one programme: one per programme and
 * month (its id is the idempotency key, `programmeId#YYYY-MM`, so a schedule that fires twice makes
 * one bill), counted per village so each operator and finance can check their part, priced from the
 * programme's terms, due on the date due-date.ts gives.
 *
 * - No proration: a participant covered on any day of the month is billed for the whole month, as
 *   BPU contributions are monthly (DOMAIN.md); a coverage that starts on the 20th or ends on the 3rd
 *   is billed for that month in full.
 * - Payments accumulate as they come (amount, date, bank reference, proof). A partial payment is held
 *   as paid so far and an over-payment as a credit on the bill; neither is rounded away nor moved to
 *   another bill here: finance decides what an over-payment settles, on the record.
 * - A bill counts as paid when the payments reach its amount; the payment that got it there dates it
 *   (coverage.ts: on time or late for the families on it).
 */

const Rupiah = z.number().int().nonnegative();

export const BillStatus = z.enum(['ISSUED', 'PARTLY_PAID', 'PAID', 'OVERDUE', 'OVERPAID']);
export type BillStatus = z.infer<typeof BillStatus>;

/** One village's part of a bill. */
const BillLine = z.object({
  villageCode: z.string().min(1),
  participants: z.number().int().positive(),
  amount: Rupiah,
});
export type BillLine = z.infer<typeof BillLine>;

export const Payment = z.object({
  /** The bank's reference for the transfer: a payment recorded twice with it is recorded once. */
  bankReference: z.string().trim().min(1),
  amount: z.number().int().positive(),
  /** The day the money left the regency's account (Jakarta calendar), from the bank's proof. */
  paidOn: CalendarDate,
  /** The proof file in the object store (a transfer slip, a BPJS receipt). */
  proofKey: z.string().min(1).optional(),
  recordedAt: z.string(),
  /** `finance:<email>` for a payment finance entered, `bpjs` for one BPJS confirmed by its payment code. */
  recordedBy: z.string().min(1),
});
export type Payment = z.infer<typeof Payment>;

export const Bill = z
  .object({
    id: z.string(),
    programmeId: z.string().min(1),
    /** The programme's version the bill was priced by (absent on bills from before versions). */
    programmeVersion: z.number().int().positive().optional(),
    month: CalendarMonth,
    fundingSource: FundingSource,
    benefits: z.array(Benefit).min(1),
    issuedAt: z.string(),
    due: DueDate,
    /** What one participant costs this month, line by line with the law behind each. */
    perParticipant: MonthlyPrice,
    lines: z.array(BillLine).min(1),
    participants: z.number().int().positive(),
    amount: Rupiah,
    payments: z.array(Payment),
    paid: Rupiah,
    status: BillStatus,
    /** The date of the payment that brought `paid` to `amount`. */
    paidInFullOn: CalendarDate.optional(),
    /** BPJS's payment code (kode iuran) for this bill, once BPJS issued one. */
    paymentCode: z.string().optional(),
    /** The object listing who is on the bill (NIK and village, JSON Lines): what its events reach. */
    participantsKey: z.string().min(1).optional(),
  })
  .refine((b) => b.id === billId(b.programmeId, b.month), 'id is not programmeId#month')
  .refine((b) => b.participants === b.lines.reduce((n, l) => n + l.participants, 0), 'participants != lines')
  .refine((b) => b.amount === b.lines.reduce((n, l) => n + l.amount, 0), 'amount != lines')
  .refine((b) => b.lines.every((l) => l.amount === l.participants * b.perParticipant.total), 'a line mispriced')
  .refine((b) => b.paid === b.payments.reduce((n, p) => n + p.amount, 0), 'paid != payments');
export type Bill = z.infer<typeof Bill>;

export const billId = (programmeId: string, month: CalendarMonth) => `${programmeId}#${month}`;

export class PaymentConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentConflictError';
  }
}

/**
 * Counts the participants covered in a month, village by village, as the coverages are read page by
 * page: 100,000 of them need not be in memory at once, only a count per village.
 */
export class BillTally {
  private readonly counts = new Map<string, number>();

  constructor(
    readonly programmeId: string,
    readonly month: CalendarMonth,
  ) {}

  /** Counts the participant if they are billed this month; says whether they were. */
  add(c: Coverage): boolean {
    return isCoveredIn(c, this.month) && this.addBillable(c);
  }

  /** The same for an entry of the store's billable index, whose statuses are all billable. */
  addBillable(c: BillableCoverage): boolean {
    if (c.programmeId !== this.programmeId || !overlapsMonth(c, this.month)) return false;
    this.counts.set(c.villageCode, (this.counts.get(c.villageCode) ?? 0) + 1);
    return true;
  }

  /** Adds counts another tally made, e.g. one per shard of the billable index read in parallel. */
  addCounts(villages: readonly { villageCode: string; participants: number }[]): void {
    for (const v of villages) this.counts.set(v.villageCode, (this.counts.get(v.villageCode) ?? 0) + v.participants);
  }

  villages(): { villageCode: string; participants: number }[] {
    return [...this.counts.entries()]
      .map(([villageCode, participants]) => ({ villageCode, participants }))
      .sort((a, b) => a.villageCode.localeCompare(b.villageCode));
  }
}

export type BillProgramme = {
  id: string;
  version?: number;
  fundingSource: FundingSource;
  benefits: readonly Benefit[];
};

/** The bill for the participants the tally counted; undefined when nobody is covered that month. */
export function issueBill(input: {
  programme: BillProgramme;
  tally: BillTally;
  terms: ContributionTerms;
  holidays: HolidayCalendar;
  issuedAt: string;
}): Bill | undefined {
  const { programme, tally, terms } = input;
  if (tally.programmeId !== programme.id) throw new Error(`Tally is for ${tally.programmeId}, not ${programme.id}`);
  const villages = tally.villages();
  if (villages.length === 0) return undefined;
  const perParticipant = priceParticipantMonth({
    month: tally.month,
    benefits: programme.benefits,
    fundingSource: programme.fundingSource,
    terms,
  });
  const lines = villages.map((v) => ({ ...v, amount: v.participants * perParticipant.total }));
  return Bill.parse({
    id: billId(programme.id, tally.month),
    programmeId: programme.id,
    programmeVersion: programme.version,
    month: tally.month,
    fundingSource: programme.fundingSource,
    benefits: [...programme.benefits],
    issuedAt: input.issuedAt,
    due: dueDate(tally.month, input.holidays, { cutiBersamaIsHoliday: terms.cutiBersamaIsHoliday }),
    perParticipant,
    lines,
    participants: lines.reduce((n, l) => n + l.participants, 0),
    amount: lines.reduce((n, l) => n + l.amount, 0),
    payments: [],
    paid: 0,
    status: 'ISSUED',
  });
}

/** The date the payments first reached the amount, taking payments in the order they were made. */
function paidInFullOn(amount: number, payments: readonly Payment[]): CalendarDate | undefined {
  let sum = 0;
  const inOrder = [...payments].sort(
    (a, b) => a.paidOn.localeCompare(b.paidOn) || a.recordedAt.localeCompare(b.recordedAt),
  );
  for (const p of inOrder) {
    sum += p.amount;
    if (sum >= amount) return p.paidOn;
  }
  return undefined;
}

/**
 * Where a bill stands on a Jakarta calendar day. Paid in full wins (PAID, or OVERPAID with a credit);
 * otherwise past the due date it is OVERDUE whatever was paid (the amount paid stays on the bill);
 * before it, PARTLY_PAID or ISSUED. The due date itself is still on time.
 */
export function billStatus(bill: Pick<Bill, 'amount' | 'paid' | 'due'>, today: CalendarDate): BillStatus {
  if (bill.paid > bill.amount) return 'OVERPAID';
  if (bill.paid === bill.amount) return 'PAID';
  if (today > bill.due.date) return 'OVERDUE';
  return bill.paid > 0 ? 'PARTLY_PAID' : 'ISSUED';
}

export const outstanding = (bill: Bill) => Math.max(0, bill.amount - bill.paid);
export const overpaid = (bill: Bill) => Math.max(0, bill.paid - bill.amount);

/**
 * Adds a payment. The same bank reference again with the same amount and date changes nothing (a
 * retried request, a BPJS confirmation of a transfer finance already entered); with different
 * figures it is refused, since one transfer cannot have two amounts.
 * `completed` is set when this payment is the one that made the bill paid in full.
 */
export function recordPayment(bill: Bill, payment: Payment, today: CalendarDate): { bill: Bill; completed: boolean } {
  const p = Payment.parse(payment);
  const same = bill.payments.find((q) => q.bankReference === p.bankReference);
  if (same) {
    if (same.amount === p.amount && same.paidOn === p.paidOn) return { bill, completed: false };
    throw new PaymentConflictError(
      `Bank reference ${p.bankReference} is already recorded on ${bill.id} as Rp${same.amount} on ${same.paidOn}`,
    );
  }
  const payments = [...bill.payments, p];
  const paid = bill.paid + p.amount;
  // Once paid in full, the date stays: the families on the bill were told from it.
  const fullOn = bill.paidInFullOn ?? paidInFullOn(bill.amount, payments);
  const next = Bill.parse({
    ...bill,
    payments,
    paid,
    status: billStatus({ ...bill, paid }, today),
    ...(fullOn && { paidInFullOn: fullOn }),
  });
  return { bill: next, completed: bill.paidInFullOn === undefined && fullOn !== undefined };
}

/** The bill's status brought up to date (the daily check that turns an unpaid bill OVERDUE). */
export function refreshBillStatus(bill: Bill, today: CalendarDate): Bill {
  const status = billStatus(bill, today);
  return status === bill.status ? bill : { ...bill, status };
}
