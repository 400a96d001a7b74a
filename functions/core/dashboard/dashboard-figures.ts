import * as z from 'zod';
import { CalendarDate, CalendarMonth } from '../contributions/calendar';
import { FundingSource } from '../programmes/programme';

/**
 * The figures behind the console's dashboard (issue 11), one schema for the JSON `GET /dashboard/figures`
 * answers, the page's charts and tables (drawn from that same JSON) and the OpenAPI document.
 * Counts and integer rupiah only: no NIK, no name, nothing about one person.
 */

const Count = z.number().int().nonnegative();
const Rupiah = z.number().int().nonnegative();

/** Places taken against a programme's quota: reserved by proposals validated or enrolled, not given back. */
const QuotaFigure = z.object({
  scope: z.enum(['programme', 'desa']),
  /**
   * The cap in the viewer's reach: the programme's quota; for a per-desa quota (APBDes), the cap per desa
   * times the desa the viewer may see.
   */
  limit: Count,
  used: Count,
  /** For a per-desa quota, how many desa the limit adds up (the viewer's). */
  desa: Count.optional(),
});

const KecamatanBar = z.object({ code: z.string(), name: z.string(), participants: Count });
const DesaBar = z.object({
  code: z.string(),
  name: z.string(),
  kecamatan: z.string(),
  participants: Count,
});

const ContributionMonth = z.object({
  month: CalendarMonth,
  /** What BPJS billed the programme for the month. */
  billed: Rupiah,
  /** What the regency paid against that bill so far. */
  paid: Rupiah,
});

const ClaimsPaidMonth = z.object({
  month: CalendarMonth,
  /** Transferred to heirs and workers in the month (by the transfers' dates). */
  amount: Rupiah,
  claims: Count,
});

export const ProgrammeFigures = z.object({
  programmeId: z.string(),
  name: z.string(),
  fundingSource: FundingSource,
  coverage: z.object({ start: CalendarDate, end: CalendarDate }),
  quota: QuotaFigure,
  participants: z.object({
    /** Every participant recorded in the programme in the viewer's villages, whatever their status now. */
    total: Count,
    /** Every kecamatan in reach, in code order, including those with none yet. */
    byKecamatan: z.array(KecamatanBar),
    /** Desa and kelurahan with at least one participant, in code order. */
    byDesa: z.array(DesaBar),
  }),
  /** Month by month, oldest first; null when bills are not the viewer's to read (operators: policy `bill:read`). */
  contributions: z.array(ContributionMonth).nullable(),
  /** Month by month, oldest first: the regency's, or for an operator their villages' claims only. */
  claimsPaid: z.array(ClaimsPaidMonth),
});
export type ProgrammeFigures = z.infer<typeof ProgrammeFigures>;

export const DashboardFigures = z.object({
  regency: z.object({ code: z.string(), name: z.string() }),
  /** `village`: an operator's figures, their villages only; `regency`: the whole regency's. */
  scope: z.enum(['regency', 'village']),
  /** The villages the figures cover when the scope is `village`. */
  villages: z.array(z.string()),
  generatedAt: z.string(),
  programmes: z.array(ProgrammeFigures),
});
export type DashboardFigures = z.infer<typeof DashboardFigures>;

/** What `GET /dashboard/figures` (and the page) may be asked: one programme only. */
export const DashboardQuery = z.object({
  programmeId: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;
