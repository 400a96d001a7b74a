import * as z from 'zod';
import { SearchKind, SearchQuery, SearchRow } from '../audit/search';
import { Timeline } from '../audit/timeline';
import { DashboardFigures, DashboardQuery } from '../dashboard/dashboard-figures';
import {
  BillAnswer,
  BillsAnswer,
  ClaimAnswer,
  ClaimsAnswer,
  ClaimTotalsAnswer,
  CoverageAnswer,
  HealthAnswer,
  HistoryAnswer,
  LinkAnswer,
  MeAnswer,
  ParticipantAnswer,
  ParticipantsAnswer,
  ProgrammeAnswer,
  ProgrammesAnswer,
  ProposalsAnswer,
  ProposalView,
} from './answers';
import {
  BillsQuery,
  ClaimsQuery,
  ClaimTotalsQuery,
  ParticipantQuery,
  ParticipantsQuery,
  ProposalsQuery,
  ReportQuery,
} from './queries';

/** One read route as the OpenAPI document describes it. */
export type ReadRoute = {
  summary: string;
  description?: string;
  /** The query parameters, as the handler parses them. */
  query?: z.ZodObject;
  /** The JSON answer (200). */
  answer: z.ZodType;
  /** Reached without a token (the route is in API_ROUTES' `public` list; a unit test holds the two together). */
  public?: true;
  /** `?format=csv|xlsx` answers the same as a download (the console's exports). */
  exports?: true;
};

/**
 * The read API: every GET route that answers JSON, with its query and its answer. Adding a route to
 * the document is one line here (test/unit/openapi/openapi.test.ts fails for a JSON route left out).
 *
 * `GET /openapi.json` is public: it describes shapes and carries no data (no programme, village or
 * person), integrators and auditors' tools read it before they hold a token, and every route it
 * describes still asks for one. Keeping it behind sign-in would hide nothing an attacker lacks:
 * the routes answer 401 alike whether or not they exist in a document.
 */
export const READ_API = {
  'GET /health': { summary: 'Whether the API is up', answer: HealthAnswer, public: true },
  'GET /me': { summary: 'The signed-in user: roles, regency, villages', answer: MeAnswer },
  'GET /programmes': { summary: "The regency's programmes with quotas and implied budgets", answer: ProgrammesAnswer },
  'GET /programmes/{id}': {
    summary: 'One programme: its current version, its versions and its history (who changed what, when)',
    answer: ProgrammeAnswer,
  },
  'GET /proposals': {
    summary: "An upload's proposal (by uploadKey), or a village's proposals in a programme",
    query: ProposalsQuery,
    answer: ProposalsAnswer,
  },
  'GET /proposals/{id}': { summary: 'One proposal: status, counts, reasons (NIKs masked)', answer: ProposalView },
  'GET /proposals/{id}/report': {
    summary: 'A one-minute link to the validation report (every row whole; audited)',
    description: 'JSON with `accept: application/json`; otherwise a 302 redirect to the same link.',
    query: ReportQuery,
    answer: LinkAnswer,
  },
  'GET /proposals/{id}/history': { summary: "A proposal's audit trail (NIKs masked)", answer: HistoryAnswer },
  'GET /participants': {
    summary: "A village's participants in a programme, a page at a time (NIKs masked)",
    query: ParticipantsQuery,
    answer: ParticipantsAnswer,
  },
  'GET /participants/{nik}': {
    summary: "One participant's coverage in each programme (audited)",
    query: ParticipantQuery,
    answer: ParticipantAnswer,
  },
  'GET /participants/{nik}/coverage': {
    summary: "One participant's coverage month by month (audited)",
    query: ParticipantQuery,
    answer: CoverageAnswer,
  },
  'GET /bills': { summary: "A programme's monthly bills", query: BillsQuery, answer: BillsAnswer },
  'GET /bills/{billId}': {
    summary: 'One bill: price per participant, villages, payments',
    description: '`billId` is `<programmeId>#<YYYY-MM>`, the `#` written %23.',
    answer: BillAnswer,
  },
  'GET /claims': {
    summary: "Claims of a village or a programme, or one person's (NIKs masked)",
    query: ClaimsQuery,
    answer: ClaimsAnswer,
  },
  'GET /claims/{id}': {
    summary: 'One claim (heirs’ NIKs and accounts whole only for who checks or audits; audited)',
    answer: ClaimAnswer,
  },
  'GET /claims/{id}/documents/{type}': {
    summary: "A one-minute link to one of a claim's documents (audited)",
    answer: LinkAnswer,
  },
  'GET /claim-totals': {
    summary: 'What a programme paid out on claims, month by month',
    query: ClaimTotalsQuery,
    answer: ClaimTotalsAnswer,
  },
  'GET /dashboard/figures': {
    summary: "The dashboard's figures: quota, participants per kecamatan and desa, contributions, claims paid",
    description: "An operator's figures cover their villages only, without bills.",
    query: DashboardQuery,
    answer: DashboardFigures,
  },
  'GET /search': {
    summary: 'Proposals, participants, bills or claims by village, kecamatan, programme, status, date or NIK',
    query: SearchQuery,
    answer: z.object({
      kind: SearchKind,
      query: z.record(z.string(), z.string()).describe('The search as understood, its NIK masked'),
      rows: z.array(SearchRow),
      truncated: z.boolean(),
      villages: z.number().int().nonnegative(),
      programmes: z.array(z.string()),
    }),
    exports: true,
  },
  'GET /timeline/{entity}': {
    summary: "An entity's audit trail with its executions' steps and the chain's verification",
    description:
      '`entity` is `proposal#<id>`, `participant#<programmeId>#<villageCode>#<kpj>` (never a NIK: a search row links it; the masked NIK for one without a KPJ), `bill#<id>` or `claim#<id>`, URL-encoded.',
    answer: Timeline.extend({ links: z.object({ record: z.string().optional() }) }),
    exports: true,
  },
  'GET /openapi.json': {
    summary: 'This document',
    answer: z.object({ openapi: z.string() }).catchall(z.unknown()),
    public: true,
  },
} as const satisfies Record<`GET /${string}`, ReadRoute>;

/**
 * GET routes that answer something other than JSON, with what: they are not in the document. A GET
 * route in neither list fails the unit test, so a new route is placed on purpose.
 */
export const NOT_JSON: Record<`GET /${string}`, string> = {
  'GET /': 'a redirect to the console',
  'GET /masuk': 'the sign-in page',
  'GET /app': "the console's shell page",
  'GET /app/{path+}': "the console's shell page",
  'GET /app.js': "the console's script",
  'GET /vendor/chart.js': 'the Chart.js library for the dashboard',
  'GET /uploads/new': 'the upload page (HTML)',
  'GET /programmes/{id}/template': 'the proposal template (XLSX)',
  'GET /claims/new': 'the claim filing page (HTML)',
  'GET /dashboard': 'the dashboard page (HTML), charting GET /dashboard/figures',
  'GET /home': "the console's home page (HTML)",
  'GET /approvals/{id}': 'the approval page behind the mailed link (HTML)',
  'GET /claim-approvals/{id}': 'the claim approval page behind the mailed link (HTML)',
};
