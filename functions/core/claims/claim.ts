import * as z from 'zod';
import { CalendarDate } from '../contributions/calendar';

/**
 * A claim on a participant's cover: a death (JKM), a work accident (JKK) or a death from a work
 * accident (JKK_DEATH), filed by the village's operator or by Dinas Sosial for the family, and
 * carried to the heirs' bank accounts. One shape for the store, the workflow and the API; the
 * rules that fill it (checks, documents, heirs, benefit) live beside it in this folder.
 *
 * Money is integer rupiah. A claim's reasons and labels are in Indonesian: operators read them.
 */

const Rupiah = z.number().int().nonnegative();
const Nik = z.string().regex(/^\d{16}$/, 'NIK harus 16 angka');

export const ClaimType = z.enum(['JKM', 'JKK', 'JKK_DEATH']);
export type ClaimType = z.infer<typeof ClaimType>;

/** Heirs in the order the law puts them (Permenaker 4/2023 Ps. 57(4)): a lower rank only when no higher one. */
export const Relationship = z.enum([
  'SPOUSE', // janda / duda
  'CHILD', // anak
  'PARENT', // orang tua (garis lurus ke atas)
  'GRANDCHILD', // cucu (garis lurus ke bawah)
  'GRANDPARENT', // kakek / nenek
  'SIBLING', // saudara kandung
  'PARENT_IN_LAW', // mertua
  'WILL_NAMED', // pihak yang ditunjuk dalam wasiat
]);
export type Relationship = z.infer<typeof Relationship>;

export const BankAccount = z.object({
  bank: z.string().trim().min(2),
  number: z
    .string()
    .trim()
    .regex(/^\d{5,20}$/, 'nomor rekening harus 5-20 angka'),
  holder: z.string().trim().min(2),
});
export type BankAccount = z.infer<typeof BankAccount>;

export const Heir = z.object({
  nik: Nik,
  name: z.string().trim().min(2),
  relationship: Relationship,
  bankAccount: BankAccount,
  /** The heir the benefit is paid to; the filer picks one, or the first of the entitled rank is. */
  recipient: z.boolean().default(false),
});
export type Heir = z.infer<typeof Heir>;

/** What an operator (or Dinas Sosial) files: `POST /claims`. The participant by NIK or KPJ. */
export const ClaimFiling = z
  .object({
    nik: Nik.optional(),
    kpj: z.string().trim().min(1).optional(),
    programmeId: z.string().min(1).optional(),
    type: ClaimType,
    eventDate: CalendarDate,
    /** What happened, in the filer's words (kronologi). */
    description: z.string().trim().min(10).max(4000),
    /** JKK only: the declared monthly income the benefit is a multiple of; the programme's bracket if absent. */
    declaredIncome: z.number().int().positive().optional(),
    /** JKK only: days the doctor declared the participant unable to work (STMB); none, no STMB line. */
    incapacityDays: z.number().int().positive().max(3660).optional(),
    heirs: z.array(Heir).max(10).default([]),
  })
  .refine((f) => f.nik || f.kpj, { message: 'Isi NIK atau KPJ peserta', path: ['nik'] });
export type ClaimFiling = z.infer<typeof ClaimFiling>;

export const ClaimStatus = z.enum([
  /** Checks refused it (not a participant, not covered, claimed before, wrong heir, JKK lapsed). */
  'REFUSED',
  /** Some required document has not arrived; never refused for that alone. */
  'WAITING_FOR_DOCUMENTS',
  /** Complete: a verifier checks the documents and the computation. */
  'AWAITING_VERIFICATION',
  /** Verified: approvers are asked through the mailed link (two above the programme's amount). */
  'AWAITING_APPROVAL',
  /** A verifier or an approver turned it down, with the reason. */
  'REJECTED',
  /** With BPJS, waiting for its decision (and its payout). */
  'SUBMITTED_TO_BPJS',
  /** BPJS turned it down, with its reason. */
  'REFUSED_BY_BPJS',
  /** BPJS decided to pay; a transfer to the heir failed and is retried or flagged. */
  'PAYOUT_FAILED',
  /** Every transfer recorded. */
  'PAID',
]);
export type ClaimStatus = z.infer<typeof ClaimStatus>;

/** A reason a check gives: `code` for machines and tests, `message` in Indonesian for people. */
export const ClaimIssue = z.object({
  code: z.string().min(1),
  message: z.string().min(1),
  /** A refusal stops the claim; a warning (late JKK report, death in arrears) is shown and kept. */
  severity: z.enum(['REFUSAL', 'WARNING']),
});
export type ClaimIssue = z.infer<typeof ClaimIssue>;

export const DocumentType = z.enum([
  'KPJ_CARD',
  'KTP_PARTICIPANT',
  'KTP_HEIR',
  'FAMILY_CARD',
  'DEATH_CERTIFICATE',
  'HEIR_STATEMENT',
  'BANK_BOOK',
  'MARRIAGE_BOOK',
  'NPWP',
  'ACCIDENT_REPORT',
  'DOCTOR_STATEMENT',
  'MEDICAL_RECEIPTS',
]);
export type DocumentType = z.infer<typeof DocumentType>;

export const RequiredDocument = z.object({
  type: DocumentType,
  /** In Indonesian, as on BPJS's checklist. */
  label: z.string().min(1),
  present: z.boolean(),
  /** The object in S3 (`claims/<claimId>/<type>/<file>`) once it arrived. */
  key: z.string().optional(),
  receivedAt: z.string().optional(),
  /** BPJS asked for it (it was not on our list, or it asked again). */
  requestedByBpjs: z.boolean().optional(),
});
export type RequiredDocument = z.infer<typeof RequiredDocument>;

/** One line of the benefit: what, how much, and why, with the rule's legal basis. */
export const BenefitPart = z.object({
  code: z.enum(['LUMP_SUM', 'PERIODIC', 'FUNERAL', 'JKK_DEATH_LUMP_SUM', 'TEMPORARY_INCAPACITY', 'MEDICAL_CARE']),
  label: z.string().min(1),
  amount: Rupiah,
  explanation: z.string().min(1),
});
export type BenefitPart = z.infer<typeof BenefitPart>;

export const SchoolLevel = z.enum(['TK', 'SD', 'SMP', 'SMA', 'PT']);
export type SchoolLevel = z.infer<typeof SchoolLevel>;

export const Scholarship = z.object({
  eligible: z.boolean(),
  reason: z.string().min(1),
  maxChildren: z.number().int().nonnegative(),
  maxTotal: Rupiah,
  /** Per child per year, and for how many years, so each year can be claimed. */
  perLevel: z.array(z.object({ level: SchoolLevel, perYear: Rupiah, years: z.number().int().positive() })),
});
export type Scholarship = z.infer<typeof Scholarship>;

export const Benefit = z.object({
  /** The rule table used (e.g. `PP82-2019`), so a later change of law does not rewrite an old claim. */
  rulesVersion: z.string().min(1),
  legalBasis: z.string().min(1),
  /** The type the benefit was computed for: BPJS may reclassify a JKK death as JKM, or back. */
  computedFor: ClaimType,
  parts: z.array(BenefitPart),
  total: Rupiah,
  scholarship: Scholarship.optional(),
});
export type Benefit = z.infer<typeof Benefit>;

export const Decision = z.object({
  action: z.enum(['VERIFIED', 'APPROVED', 'REJECTED', 'RECLASSIFIED', 'FLAGGED', 'REFUSED']),
  /** `verifier:<username>`, `approver:<username>`, `bpjs`, `system:<function>`. */
  by: z.string().min(1),
  at: z.string(),
  reason: z.string().optional(),
});
export type Decision = z.infer<typeof Decision>;

export const Payout = z.object({
  heirNik: Nik,
  amount: z.number().int().positive(),
  paidOn: CalendarDate,
  bankReference: z.string().min(1),
  recordedAt: z.string(),
});
export type Payout = z.infer<typeof Payout>;

export const Claim = z.object({
  id: z.string().min(1),
  programmeId: z.string().min(1),
  /** The programme's version the claim was filed under (absent on claims from before versions). */
  programmeVersion: z.number().int().positive().optional(),
  nik: Nik,
  kpj: z.string().min(1),
  villageCode: z.string().min(1),
  type: ClaimType,
  eventDate: CalendarDate,
  description: z.string(),
  declaredIncome: z.number().int().positive(),
  incapacityDays: z.number().int().positive().optional(),
  heirs: z.array(Heir),
  status: ClaimStatus,
  issues: z.array(ClaimIssue),
  requiredDocuments: z.array(RequiredDocument),
  benefit: Benefit.optional(),
  decisions: z.array(Decision),
  bpjs: z
    .object({
      reference: z.string().min(1),
      claimId: z.string().optional(),
      classification: ClaimType.optional(),
      submittedAt: z.string().optional(),
      decidedAt: z.string().optional(),
      reason: z.string().optional(),
    })
    .optional(),
  payouts: z.array(Payout),
  filedBy: z.string().min(1),
  filedAt: z.string(),
  updatedAt: z.string(),
  /**
   * The workflow step waiting on people, with its Step Functions task token: documents to arrive, a
   * verifier's check, the approvers' decision. Whoever completes the step sends the token back and
   * clears this. Never shown outside the store: a token lets its holder move the workflow.
   */
  waiting: z
    .object({
      for: z.enum(['DOCUMENTS', 'VERIFICATION', 'APPROVAL']),
      taskToken: z.string().min(1),
      since: z.string(),
    })
    .optional(),
  /**
   * The approvers asked (issue 10's maker-checker): how many different approvers must approve, and one
   * link per approver, each with its own secret code (proposals' approval-code.ts). The approval page
   * (`/claim-approvals/<claimId>?code=...`) finds the approver by the code; like `waiting`, never shown
   * outside the store.
   */
  approval: z
    .object({
      requestedAt: z.string(),
      approversNeeded: z.number().int().positive(),
      links: z.array(
        z.object({ approver: z.string().email(), code: z.string().min(1), mailedAt: z.string().optional() }),
      ),
    })
    .optional(),
  /** Notices the workflow sent once each (`<kind>#<detail>`): a reminder round, BPJS late, a failed transfer. */
  notices: z.array(z.string()).optional(),
  /** Where the operator who filed it is mailed (reminders, payout notice). */
  filerEmail: z.string().email().optional(),
});
export type Claim = z.infer<typeof Claim>;

/** A claim's S3 prefix for documents: `claims/<claimId>/<documentType>/<file>`. */
export const claimDocumentKey = (claimId: string, type: DocumentType, file: string) =>
  `claims/${claimId}/${type}/${file}`;
