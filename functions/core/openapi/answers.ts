import * as z from 'zod';
import { ACTIONS, type Action } from '../access/policy';
import { Principal } from '../access/principal';
import { AuditEvent } from '../audit/audit-event';
import { Benefit, ClaimIssue, ClaimStatus, ClaimType, Decision, DocumentType, Relationship } from '../claims/claim';
import { BillStatus } from '../contributions/bill';
import { CalendarDate, CalendarMonth } from '../contributions/calendar';
import { CoverageChange, CoverageStatus } from '../contributions/coverage';
import { DueDate } from '../contributions/due-date';
import { MonthlyPrice } from '../contributions/pricing';
import { Benefit as ProgrammeBenefit, Programme } from '../programmes/programme';
import { Proposal, ProposalStatus } from '../proposals/proposal';

/**
 * The answers of the read API as zod schemas, built from the domain's own schemas where an answer
 * carries a domain shape whole, and describing the views (proposal-view.ts, contribution-views.ts,
 * claim-views.ts) where an answer is shaped for people. test/unit/openapi/answers.test.ts holds each
 * view to its schema (no field missing, none extra), so the OpenAPI document cannot drift from them.
 */

const Count = z.number().int().nonnegative();
const Rupiah = z.number().int().nonnegative();
/** A NIK as lists, mails and most views carry it: masked (`6203********0001`), or whole where the role may see it. */
const ShownNik = z.string().describe('NIK, disamarkan kecuali peran boleh melihatnya utuh');
const PageCursor = z.string().optional().describe('Penanda halaman berikutnya; tidak ada pada halaman terakhir');
/** The programme version a proposal, bill or claim was judged by (issue 13); absent on records from before versions. */
const JudgedByVersion = z
  .number()
  .int()
  .positive()
  .optional()
  .describe('The programme version this was judged by; absent on a record from before programmes had versions');

export const HealthAnswer = z.object({ ok: z.boolean() });
export const MeAnswer = Principal.extend({
  actions: z
    .array(z.enum(Object.keys(ACTIONS) as [Action, ...Action[]]))
    .describe('Every action the access policy lets the user do somewhere: what the console offers them'),
});

export const ProgrammesAnswer = z.object({
  programmes: z.array(
    Programme.omit({ approverEmail: true }).extend({
      budget: z.object({
        perPersonMonthly: Rupiah,
        months: Count,
        people: Count,
        total: Rupiah,
        per: z.enum(['programme', 'desa']),
      }),
    }),
  ),
});

/** One programme (issue 13): its current version, every version's who/when/why, and its history of changes. */
export const ProgrammeAnswer = z.object({
  programme: Programme.extend({ approverEmail: z.string().optional() }).describe(
    'The current version; the approver address only for who may change the programme',
  ),
  budget: ProgrammesAnswer.shape.programmes.element.shape.budget,
  versions: z.array(
    z.object({
      version: z.number().int().positive(),
      changedBy: z.string().optional(),
      changedAt: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
  history: z.array(
    z.object({
      action: z.enum(['PROGRAMME_CREATED', 'PROGRAMME_CHANGED']),
      actor: z.string(),
      at: z.string(),
      version: z.number().int().positive().optional(),
      reason: z.string().optional(),
      changes: z.array(z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() })),
    }),
  ),
});

export const ProposalView = z.object({
  id: z.string(),
  status: ProposalStatus,
  statusText: z.string(),
  programmeId: z.string(),
  programmeVersion: JudgedByVersion,
  villageCode: z.string(),
  fileName: z.string(),
  uploadKey: z.string(),
  uploadVersionId: z.string().optional(),
  uploadedBy: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('user'), username: z.string() }),
      z.object({ kind: z.literal('aws'), principal: z.string() }),
    ])
    .optional(),
  rows: Count,
  valid: Count,
  invalid: Count,
  overQuota: Count,
  warnings: Count,
  enrolled: Count,
  rejectedByBpjs: Count,
  bpjsRejections: Proposal.shape.bpjsRejections.unwrap(),
  reason: Proposal.shape.reason,
  topIssues: Proposal.shape.topIssues.unwrap(),
  report: z
    .object({
      'report.json': z.string(),
      'report.xlsx': z.string().optional(),
      download: z.object({ json: z.string(), xlsx: z.string().optional() }),
    })
    .optional(),
  approval: z
    .object({
      requestedAt: z.string(),
      expiresAt: z.string(),
      decision: z.enum(['APPROVED', 'REJECTED']).optional(),
      decidedAt: z.string().optional(),
      note: z.string().optional(),
    })
    .optional(),
  supersedes: z.string().optional(),
  supersededBy: z.string().optional(),
  failure: z.object({ stage: z.string(), error: z.string() }).optional(),
  redrives: Count,
  createdAt: z.string(),
  updatedAt: z.string(),
  links: z.object({ self: z.string(), history: z.string() }),
});

/** By `uploadKey`: the newest proposal of the upload with all of them; by programme and village: the list. */
export const ProposalsAnswer = z.union([
  ProposalView.extend({ proposals: z.array(ProposalView) }),
  z.object({ proposals: z.array(ProposalView) }),
]);

export const LinkAnswer = z.object({
  url: z.string().describe('Tautan unduhan bertanda tangan; berlaku sebentar'),
  expiresInSeconds: Count,
});

export const HistoryAnswer = z.object({ proposalId: z.string(), events: z.array(AuditEvent) });

export const ParticipantRow = z.object({
  nik: ShownNik,
  programmeId: z.string(),
  villageCode: z.string(),
  kpj: z.string().optional(),
  status: CoverageStatus,
  start: CalendarDate,
  end: CalendarDate,
  monthsBilled: Count,
  monthsPaid: Count,
  continuousPaidMonths: Count,
});
export const ParticipantsAnswer = z.object({
  programmeId: z.string(),
  villageCode: z.string(),
  participants: z.array(ParticipantRow),
  cursor: PageCursor,
});

export const CoverageSummary = z.object({
  programmeId: z.string(),
  programmeName: z.string().optional(),
  villageCode: z.string(),
  village: z.string(),
  kpj: z.string().optional(),
  status: CoverageStatus,
  start: CalendarDate,
  end: CalendarDate,
  monthsBilled: Count,
  monthsPaid: Count,
  continuousPaidMonths: Count,
  unpaidMonths: z.array(CalendarMonth),
  scholarship: z.object({ months: Count, needed: Count, reached: z.boolean() }).optional(),
  lastChange: z.object({
    at: z.string(),
    status: CoverageStatus,
    reason: CoverageChange.shape.reason,
    note: z.string(),
  }),
});
export const ParticipantAnswer = z.object({
  nik: z.string(),
  coverages: z.array(CoverageSummary),
  links: z.object({ coverage: z.string() }),
});

export const CoverageHistory = z.object({
  programmeId: z.string(),
  status: CoverageStatus,
  months: z.array(
    z.object({
      month: CalendarMonth,
      label: z.string(),
      billId: z.string(),
      state: z.enum(['BILLED', 'OVERDUE', 'PAID', 'PAID_LATE']),
      paidOn: CalendarDate.optional(),
    }),
  ),
  changes: z.array(CoverageChange),
});
export const CoverageAnswer = z.object({ nik: z.string(), programmes: z.array(CoverageHistory) });

export const BillSummary = z.object({
  id: z.string(),
  programmeId: z.string(),
  month: CalendarMonth,
  label: z.string(),
  status: BillStatus,
  participants: Count,
  amount: Rupiah,
  paid: Rupiah,
  outstanding: Rupiah,
  overpaid: Rupiah,
  dueDate: CalendarDate,
  paidInFullOn: CalendarDate.optional(),
  paymentCode: z.string().optional(),
});
export const BillsAnswer = z.object({
  bills: z.array(BillSummary.extend({ links: z.object({ self: z.string() }) })),
});
export const BillDetail = BillSummary.extend({
  programmeVersion: JudgedByVersion,
  issuedAt: z.string(),
  fundingSource: Programme.shape.fundingSource,
  benefits: z.array(ProgrammeBenefit),
  due: DueDate,
  perParticipant: MonthlyPrice,
  lines: z.array(z.object({ villageCode: z.string(), participants: Count, amount: Rupiah, village: z.string() })),
  payments: z.array(
    z.object({
      bankReference: z.string(),
      amount: Rupiah,
      paidOn: CalendarDate,
      recordedAt: z.string(),
      recordedBy: z.string(),
      hasProof: z.boolean(),
    }),
  ),
});
export const BillAnswer = BillDetail.extend({ links: z.object({ self: z.string(), payments: z.string() }) });

export const ClaimRow = z.object({
  id: z.string(),
  programmeId: z.string(),
  nik: ShownNik,
  villageCode: z.string(),
  type: ClaimType,
  eventDate: CalendarDate,
  status: ClaimStatus,
  statusText: z.string(),
  benefitTotal: Rupiah.optional(),
  paid: Rupiah,
  missingDocuments: Count,
  filedAt: z.string(),
});
export const ClaimsAnswer = z.object({
  claims: z.array(ClaimRow.extend({ links: z.object({ self: z.string() }) })),
  cursor: PageCursor,
});

const ShownAccount = z.object({
  bank: z.string(),
  number: z.string().describe('Nomor rekening; hanya 4 angka terakhir kecuali peran boleh melihatnya utuh'),
  holder: z.string(),
});
export const ClaimDetail = z.object({
  id: z.string(),
  programmeId: z.string(),
  programmeVersion: JudgedByVersion,
  nik: ShownNik,
  kpj: z.string(),
  villageCode: z.string(),
  type: ClaimType,
  eventDate: CalendarDate,
  description: z.string(),
  declaredIncome: Rupiah,
  incapacityDays: Count.optional(),
  status: ClaimStatus,
  statusText: z.string(),
  issues: z.array(ClaimIssue),
  requiredDocuments: z.array(
    z.object({
      type: DocumentType,
      label: z.string(),
      present: z.boolean(),
      receivedAt: z.string().optional(),
      requestedByBpjs: z.boolean().optional(),
    }),
  ),
  benefit: Benefit.optional(),
  heirs: z.array(
    z.object({
      nik: ShownNik,
      name: z.string(),
      relationship: Relationship,
      recipient: z.boolean(),
      bankAccount: ShownAccount,
    }),
  ),
  decisions: z.array(Decision),
  payouts: z.array(
    z.object({
      heirNik: ShownNik,
      amount: Rupiah,
      paidOn: CalendarDate,
      bankReference: z.string(),
      recordedAt: z.string(),
    }),
  ),
  bpjs: z
    .object({
      reference: z.string(),
      classification: ClaimType.optional(),
      submittedAt: z.string().optional(),
      decidedAt: z.string().optional(),
      reason: z.string().optional(),
    })
    .optional(),
  filedBy: z.string(),
  filedAt: z.string(),
  updatedAt: z.string(),
  waitingFor: z.string().optional(),
  /** Whether NIKs and accounts are shown whole (and so the opening recorded as such). */
  whole: z.boolean(),
});
export const ClaimAnswer = ClaimDetail.extend({
  version: Count,
  links: z.object({
    self: z.string(),
    page: z.string(),
    uploadDocument: z.string().optional(),
    documents: z.string().optional(),
    verify: z.string().optional(),
    reject: z.string().optional(),
    approve: z.string().optional(),
  }),
});

export const ClaimTotalsAnswer = z.object({
  programmeId: z.string(),
  totals: z.array(
    z.object({
      month: CalendarMonth,
      amount: Rupiah,
      payouts: Count,
      claims: Count,
      byType: z.partialRecord(ClaimType, Rupiah),
    }),
  ),
});
