import { authorize } from '../../access/policy';
import type { Principal } from '../../access/principal';
import { maskNik } from '../../privacy/mask';
import type { BankAccount, Claim, ClaimStatus, Heir } from '../claim';

/**
 * What people see of a claim, by who they are. The store's record carries personal data (the
 * deceased's and the heirs' NIKs, names, bank accounts) and the workflow's task token; a view never
 * carries the token, and carries the rest whole only to who needs it (UU 27/2022):
 * - the heirs' bank accounts (and their NIKs, to check them against the KTPs) whole only to the
 *   verifier, the approver and the auditor (`claim:bank-account`): they check, decide or audit the
 *   payout; everyone else gets the bank and the account's last four digits;
 * - lists carry no heirs at all and the participant's NIK masked.
 */

/** `0012010012345` -> `*********2345`: enough to tell two accounts apart, not to pay into one. */
export function maskAccountNumber(number: string): string {
  const digits = number.trim();
  return digits.length <= 4 ? '*'.repeat(digits.length) : `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

export const STATUS_TEXT: Record<ClaimStatus, string> = {
  REFUSED: 'Ditolak pemeriksaan',
  WAITING_FOR_DOCUMENTS: 'Menunggu dokumen',
  AWAITING_VERIFICATION: 'Menunggu verifikasi',
  AWAITING_APPROVAL: 'Menunggu persetujuan',
  REJECTED: 'Ditolak',
  SUBMITTED_TO_BPJS: 'Diajukan ke BPJS Ketenagakerjaan',
  REFUSED_BY_BPJS: 'Ditolak BPJS Ketenagakerjaan',
  PAYOUT_FAILED: 'Transfer gagal',
  PAID: 'Dibayar',
};

/** Whether the principal sees the heirs' bank accounts and NIKs whole on this claim. */
export const seesBankAccounts = (principal: Principal, claim: Pick<Claim, 'villageCode'>) =>
  authorize(principal, 'claim:bank-account', { villageCode: claim.villageCode }) === 'allow';

const maskedAccount = (a: BankAccount): BankAccount => ({ ...a, number: maskAccountNumber(a.number) });

function heirView(h: Heir, whole: boolean) {
  return {
    nik: whole ? h.nik : maskNik(h.nik),
    name: h.name,
    relationship: h.relationship,
    recipient: h.recipient,
    bankAccount: whole ? h.bankAccount : maskedAccount(h.bankAccount),
  };
}

/**
 * One claim: status, issues, benefit line by line, documents, decisions and payouts; NIKs and the heirs'
 * accounts whole only when `whole` (seesBankAccounts), and the answer says which (recorded with the view).
 */
export function claimDetail(claim: Claim, whole: boolean) {
  const nik = (n: string) => (whole ? n : maskNik(n));
  return {
    id: claim.id,
    programmeId: claim.programmeId,
    programmeVersion: claim.programmeVersion,
    nik: nik(claim.nik),
    kpj: claim.kpj,
    villageCode: claim.villageCode,
    type: claim.type,
    eventDate: claim.eventDate,
    description: claim.description,
    declaredIncome: claim.declaredIncome,
    incapacityDays: claim.incapacityDays,
    status: claim.status,
    statusText: STATUS_TEXT[claim.status],
    issues: claim.issues,
    requiredDocuments: claim.requiredDocuments.map((d) => ({
      type: d.type,
      label: d.label,
      present: d.present,
      receivedAt: d.receivedAt,
      requestedByBpjs: d.requestedByBpjs,
    })),
    benefit: claim.benefit,
    heirs: claim.heirs.map((h) => heirView(h, whole)),
    decisions: claim.decisions,
    payouts: claim.payouts.map((p) => ({ ...p, heirNik: nik(p.heirNik) })),
    bpjs: claim.bpjs && {
      reference: claim.bpjs.reference,
      classification: claim.bpjs.classification,
      submittedAt: claim.bpjs.submittedAt,
      decidedAt: claim.bpjs.decidedAt,
      reason: claim.bpjs.reason,
    },
    filedBy: claim.filedBy,
    filedAt: claim.filedAt,
    updatedAt: claim.updatedAt,
    /** Which step waits on people (never the token itself). */
    waitingFor: claim.waiting?.for,
    whole,
  };
}
export type ClaimDetail = ReturnType<typeof claimDetail>;

/** A claim in a list: no heirs, the participant's NIK masked, the amounts and the state. */
export function claimRow(claim: Claim) {
  return {
    id: claim.id,
    programmeId: claim.programmeId,
    nik: maskNik(claim.nik),
    villageCode: claim.villageCode,
    type: claim.type,
    eventDate: claim.eventDate,
    status: claim.status,
    statusText: STATUS_TEXT[claim.status],
    benefitTotal: claim.benefit?.total,
    paid: claim.payouts.reduce((sum, p) => sum + p.amount, 0),
    missingDocuments: claim.requiredDocuments.filter((d) => !d.present).length,
    filedAt: claim.filedAt,
  };
}
export type ClaimRow = ReturnType<typeof claimRow>;
