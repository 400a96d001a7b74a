import { authorize, regenciesReached } from '../core/access/policy';
import type { Principal } from '../core/access/principal';
import { BillStatus } from '../core/contributions/bill';
import { ClaimStatus } from '../core/claims/claim';
import { STATUS_TEXT as CLAIM_STATUS_TEXT } from '../core/claims/use-cases/claim-views';
import { CoverageStatus } from '../core/contributions/coverage';
import {
  exportFile,
  fileStem,
  searchTable,
  timelineTable,
  type ExportFormat,
  type ExportTable,
} from '../core/audit/export';
import {
  BILL_STATUS_TEXT,
  COVERAGE_STATUS_TEXT,
  mayTrace,
  mayTraceRegency,
  SEARCH_KINDS,
  SearchQuery,
  searchRecords,
  type SearchKind,
} from '../core/audit/search';
import { verifyChain } from '../core/audit/chain';
import { jakartaTime, openTimeline, parseTimelineRef, type TimelineSources } from '../core/audit/timeline';
import { maskNik } from '../core/privacy/mask';
import { ProposalStatus } from '../core/proposals/proposal';
import { STATUS_TEXT as PROPOSAL_STATUS_TEXT } from '../core/proposals/proposal-view';
import { villagesOfRegency } from '../core/regions/villages';
import { homePage, searchPage, timelinePage, type StatusChoices } from '../pages/audit-pages';
import { auditLog } from '../wiring/audit-log';
import { executionHistories } from '../wiring/audit-archive';
import { billStore } from '../wiring/bill-store';
import { claimStore } from '../wiring/claim-store';
import { coverageStore } from '../wiring/coverage-store';
import { participantStore } from '../wiring/participant-store';
import { proposalStore } from '../wiring/proposal-store';
import { now, once } from '../wiring/settings';
import { html, HttpError, httpHandler, json, principalOf, requestOrigin, wantsHtml, type HttpEvent } from './http';
import { programmesNow } from './programme-lookup';

/** What the timeline and the search read; the programmes among it are read on each request (programme-lookup.ts). */
type AuditSources = TimelineSources & Parameters<typeof searchRecords>[0];

export const wiring = once((): Omit<AuditSources, 'findProgramme' | 'programmes'> => ({
  proposals: proposalStore(),
  participants: participantStore(),
  coverages: coverageStore(),
  bills: billStore(),
  claims: claimStore(),
  audit: auditLog(),
  verify: verifyChain,
  executions: executionHistories(),
  now,
}));

const STATUSES: Record<SearchKind, [string, string][]> = {
  proposal: ProposalStatus.options.map((s) => [s, PROPOSAL_STATUS_TEXT[s]]),
  participant: CoverageStatus.options.map((s) => [s, COVERAGE_STATUS_TEXT[s]]),
  bill: BillStatus.options.map((s) => [s, BILL_STATUS_TEXT[s]]),
  claim: ClaimStatus.options.map((s) => [s, CLAIM_STATUS_TEXT[s]]),
};

/** `?format=csv|xlsx` asks for a download of what the page shows. */
function formatOf(event: HttpEvent): ExportFormat | undefined {
  const format = event.queryStringParameters?.format;
  if (format === undefined) return undefined;
  if (format === 'csv' || format === 'xlsx') return format;
  throw new HttpError(400, 'BAD_FORMAT', 'Format unduhan: csv atau xlsx.');
}

/** A file as the HTTP API sends binary bodies, named for the person's disk. */
async function download(table: ExportTable, format: ExportFormat, stem: string) {
  const file = await exportFile(table, format, stem);
  return {
    statusCode: 200,
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
    },
    body: file.body.toString('base64'),
    isBase64Encoded: true,
  };
}

/** Who exported what and when, written into the file itself. */
const exported = (principal: Principal, at: Date): [string, string][] => [
  ['Diunduh oleh', `${principal.roles[0]}:${principal.username}`],
  ['Waktu unduh', `${jakartaTime(at.toISOString())} (${at.toISOString()})`],
  ['Catatan', 'NIK disamarkan sesuai kewenangan pengunduh.'],
];

/** `20261203-0541`: a file name's time, on the Jakarta clock. */
const stamp = (at: Date) =>
  new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

/** The kinds of record the viewer may trace somewhere in their regency. */
function kindsFor(principal: Principal): SearchKind[] {
  const villages = regenciesReached(principal).flatMap((r) => villagesOfRegency(r));
  return SEARCH_KINDS.filter((kind) =>
    kind === 'bill'
      ? regenciesReached(principal).some((r) => mayTraceRegency(principal, kind, r))
      : villages.some((v) => mayTrace(principal, kind, v.code)),
  );
}

async function search(event: HttpEvent, principal: Principal, sources: AuditSources) {
  const params = { ...(event.queryStringParameters ?? {}) };
  delete params.format;
  const format = formatOf(event);
  const parsed = SearchQuery.safeParse(params);
  if (!parsed.success)
    throw new HttpError(
      400,
      'BAD_QUERY',
      'Periksa isian pencarian: kode desa (mis. 62.03.01.2011), kecamatan (mis. 62.03.01), tanggal (YYYY-MM-DD, "dari" tidak setelah "sampai") dan NIK (16 angka).',
    );
  const query = parsed.data;
  const asked = Object.keys(params).length > 0;
  const answer = asked || !wantsHtml(event) ? await searchRecords(sources, principal, query) : undefined;
  if (answer && !answer.ok) throw new HttpError(answer.status, answer.code, answer.message);
  const at = wiring().now();
  const stem = `pencarian-${query.kind}-${stamp(at)}`;
  if (format && answer?.ok) {
    const about: [string, string][] = [
      ['Pencarian', new URLSearchParams({ ...params, ...(query.nik && { nik: maskNik(query.nik) }) }).toString()],
      ['Baris', `${answer.rows.length}${answer.truncated ? ' (dibatasi)' : ''}`],
      ...exported(principal, at),
    ];
    return download(searchTable(answer.rows, about), format, stem);
  }
  if (wantsHtml(event)) {
    const kinds = kindsFor(principal);
    const villages = regenciesReached(principal)
      .flatMap((r) => villagesOfRegency(r))
      .filter((v) => authorize(principal, 'audit:read', { villageCode: v.code }) === 'allow');
    const statuses: StatusChoices = Object.fromEntries(kinds.map((k) => [k, STATUSES[k]]));
    return html(
      200,
      searchPage({
        query,
        kinds,
        villages,
        programmes: sources.programmes().filter((p) => regenciesReached(principal).includes(p.regency.code)),
        statuses,
        answer: answer?.ok ? answer : undefined,
        fileStem: stem,
      }),
    );
  }
  if (!answer?.ok) throw new HttpError(400, 'BAD_QUERY', 'Sertakan pencarian.');
  const { kind, rows, truncated, villages, programmes } = answer;
  return json(200, {
    kind,
    query: { ...query, nik: query.nik && maskNik(query.nik) },
    rows,
    truncated,
    villages,
    programmes,
  });
}

async function timeline(event: HttpEvent, principal: Principal, sources: AuditSources) {
  // A participant is asked for by their reference (programme, village, KPJ), never by NIK in the address.
  const ref = parseTimelineRef(event.pathParameters?.entity ?? '');
  if (!ref) throw new HttpError(404, 'NOT_FOUND', 'Rekaman tidak ditemukan.');
  const format = formatOf(event);
  const answer = await openTimeline(sources, principal, ref, {
    format: format ?? (wantsHtml(event) ? 'page' : 'json'),
    origin: requestOrigin(event),
  });
  if (!answer.ok) throw new HttpError(answer.status, answer.code, answer.message);
  const t = answer.timeline;
  // A participant's export is named by the reference it was asked by: a file name is no place for a NIK.
  const stem = fileStem(`riwayat-${ref.kind === 'participant-reference' ? ref.entity : t.entity}`);
  if (format) return download(timelineTable(t, exported(principal, wiring().now())), format, stem);
  if (wantsHtml(event)) {
    const self = `/timeline/${encodeURIComponent(ref.entity)}`;
    return html(200, timelinePage(t, { self, record: answer.record, fileStem: stem }));
  }
  return json(200, { ...t, links: { record: answer.record } });
}

/**
 * The auditor's console for signed-in people (issue 11): the home page by role, search over
 * proposals, participants, bills and claims, an entity's timeline with its chain's verdict, and
 * both as CSV or XLSX. Read only: nothing here changes a record (opening personal data is recorded).
 */
export const handler = httpHandler(async (event) => {
  const principal = principalOf(event);
  const { findProgramme, allProgrammes } = await programmesNow();
  const sources: AuditSources = { ...wiring(), findProgramme, programmes: allProgrammes };
  switch (event.routeKey) {
    case 'GET /home': {
      const villages = villagesOfRegency(principal.regency).filter((v) => principal.villages.includes(v.code));
      const regencyWide = authorize(principal, 'audit:read', { regency: principal.regency }) === 'allow';
      const may = (action: Parameters<typeof authorize>[1]) =>
        regencyWide
          ? authorize(principal, action, { regency: principal.regency }) === 'allow'
          : villages.some((v) => authorize(principal, action, { villageCode: v.code }) === 'allow');
      return html(
        200,
        homePage({
          username: principal.username,
          villages,
          programmes: allProgrammes().filter((p) => regenciesReached(principal).includes(p.regency.code)),
          may: {
            upload: villages.some((v) => authorize(principal, 'proposal:upload', { villageCode: v.code }) === 'allow'),
            fileClaim: may('claim:file'),
            bills: may('bill:read'),
            regency: regencyWide,
          },
        }),
      );
    }
    case 'GET /search':
      return search(event, principal, sources);
    case 'GET /timeline/{entity}':
      return timeline(event, principal, sources);
    default:
      throw new HttpError(404, 'NOT_FOUND', 'Alamat tidak dikenal.');
  }
});
