import { maskNik } from '../privacy/mask';
import type { Programme } from '../programmes/programme';
import { villageLabel } from '../regions/village-label';
import { outstanding, overpaid, type Bill } from './bill';
import { monthName, overdueMonths, scholarshipProgress, type Coverage } from './coverage';
import type { ContributionTerms } from './terms';

/**
 * What the read API answers about coverages and bills: the stored records shaped for people. A list
 * row carries a masked NIK (enough to find the person in the village's own sheet); one participant's
 * record carries the NIK the caller asked for, whole, and is an audited opening.
 */

/** A participant in a village's list: masked NIK, KPJ, status and months, no history. */
export function participantRow(c: Coverage) {
  return {
    nik: maskNik(c.nik),
    programmeId: c.programmeId,
    villageCode: c.villageCode,
    kpj: c.kpj,
    status: c.status,
    start: c.start,
    end: c.end,
    monthsBilled: c.monthsBilled,
    monthsPaid: c.monthsPaid,
    continuousPaidMonths: c.continuousPaidMonths,
  };
}

/** One programme's coverage of one person: where they stand, the scholarship clock, the last change and why. */
export function coverageSummary(c: Coverage, programme: Programme | undefined, terms: ContributionTerms | undefined) {
  const last = c.history.at(-1)!;
  return {
    programmeId: c.programmeId,
    programmeName: programme?.name,
    villageCode: c.villageCode,
    village: villageLabel(c.villageCode),
    kpj: c.kpj,
    status: c.status,
    start: c.start,
    end: c.end,
    monthsBilled: c.monthsBilled,
    monthsPaid: c.monthsPaid,
    continuousPaidMonths: c.continuousPaidMonths,
    unpaidMonths: overdueMonths(c),
    /** Towards the JKM scholarship: continuous paid months, of how many it needs. */
    scholarship: terms ? scholarshipProgress(c, terms) : undefined,
    lastChange: { at: last.at, status: last.to, reason: last.reason, note: last.note },
  };
}

/** A coverage month by month, with every change of status and its reason, oldest first. */
export function coverageHistory(c: Coverage) {
  return {
    programmeId: c.programmeId,
    status: c.status,
    months: c.months.map((m) => ({
      month: m.month,
      label: monthName(m.month),
      billId: m.billId,
      state: m.state,
      paidOn: m.paidOn,
    })),
    changes: c.history.map((h) => ({
      at: h.at,
      from: h.from,
      to: h.to,
      reason: h.reason,
      months: h.months,
      note: h.note,
      continuousMonthsLost: h.continuousMonthsLost,
    })),
  };
}

/** A bill in a programme's list: where it stands, in integer rupiah. */
export function billSummary(b: Bill) {
  return {
    id: b.id,
    programmeId: b.programmeId,
    month: b.month,
    label: monthName(b.month),
    status: b.status,
    participants: b.participants,
    amount: b.amount,
    paid: b.paid,
    outstanding: outstanding(b),
    overpaid: overpaid(b),
    dueDate: b.due.date,
    paidInFullOn: b.paidInFullOn,
    paymentCode: b.paymentCode,
  };
}

/** The whole bill: its price per participant with the law behind each line, villages, payments. */
export function billDetail(b: Bill) {
  return {
    ...billSummary(b),
    programmeVersion: b.programmeVersion,
    issuedAt: b.issuedAt,
    fundingSource: b.fundingSource,
    benefits: b.benefits,
    due: b.due,
    perParticipant: b.perParticipant,
    lines: b.lines.map((l) => ({ ...l, village: villageLabel(l.villageCode) })),
    payments: b.payments.map((p) => ({
      bankReference: p.bankReference,
      amount: p.amount,
      paidOn: p.paidOn,
      recordedAt: p.recordedAt,
      recordedBy: p.recordedBy,
      hasProof: p.proofKey !== undefined,
    })),
  };
}
