import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { mayAnywhere } from '../core/access/offers';
import { ACTIONS, authorize, regenciesReached, type Action } from '../core/access/policy';
import { actorOf, type Principal } from '../core/access/principal';
import { claimDocumentKey, ClaimFiling, DocumentType, type Claim } from '../core/claims/claim';
import { ClaimSettings } from '../core/claims/claim-settings';
import type { ClaimActionResult } from '../core/claims/use-cases/claim-action';
import { claimDetail, claimRow, seesBankAccounts } from '../core/claims/use-cases/claim-views';
import { decideClaimApproval } from '../core/claims/use-cases/decide-claim-approval';
import { fileClaim } from '../core/claims/use-cases/file-claim';
import { rejectClaim } from '../core/claims/use-cases/reject-claim';
import { verifyClaim } from '../core/claims/use-cases/verify-claim';
import { isFinal } from '../core/claims/use-cases/claim-workflow';
import { CalendarMonth } from '../core/contributions/calendar';
import { ClaimsQuery } from '../core/openapi/queries';
import { maskNumbers } from '../core/privacy/mask';
import { UPLOAD_URL_SECONDS } from '../core/proposals/upload-grant';
import { villageLabel } from '../core/regions/village-label';
import { claimFilingPage, claimPage, claimsPage, claimTotalsPage } from '../pages/claim-pages';
import { auditLog } from '../wiring/audit-log';
import { claimStore } from '../wiring/claim-store';
import { claimsWorkflow } from '../wiring/claims';
import { coverageStore } from '../wiring/coverage-store';
import { participantStore } from '../wiring/participant-store';
import { presigner } from '../wiring/presigner';
import { now, once } from '../wiring/settings';
import {
  bodyFields,
  html,
  HttpError,
  httpHandler,
  json,
  principalOf,
  requestOrigin,
  wantsHtml,
  type HttpEvent,
} from './http';
import { programmesNow, type ProgrammeLookup } from './programme-lookup';

export const wiring = once(() => ({
  claims: claimStore(),
  coverages: coverageStore(),
  participants: participantStore(),
  audit: auditLog(),
  presigner: presigner(),
  workflow: claimsWorkflow(),
  // Programmes carry no claim settings yet: the defaults are DOMAIN.md's safer readings (claim-settings.ts).
  settingsFor: () => ClaimSettings.parse({}),
  newId: () => `clm-${randomBytes(10).toString('hex')}`,
  now,
}));

const CLAIM_ID = /^clm-[0-9a-f]{20}$/;
/** A document's download link is for now, as a report's is. */
const DOCUMENT_URL_SECONDS = 60;

const notFound = () => new HttpError(404, 'NOT_FOUND', 'Klaim tidak ditemukan.');
const REFUSED: Partial<Record<Action, string>> = {
  'claim:file': 'Hanya operator desa/kelurahan atau verifikator Dinas Sosial yang dapat mengajukan klaim.',
  'claim:read': 'Anda tidak berwenang melihat klaim desa/kelurahan tersebut.',
};
const refused = (action: Action) =>
  new HttpError(403, 'FORBIDDEN', REFUSED[action] ?? 'Anda tidak berwenang melakukan ini.');

/** Whether any of the user's roles may do `action` somewhere (before a claim or village is known). */
const mayAtAll = (p: Principal, action: Action) => p.roles.some((r) => r in ACTIONS[action]);

const DocumentRequest = z.object({
  documentType: DocumentType,
  fileName: z.string().trim().min(1).max(200),
});

const ActionForm = z.object({
  note: z.string().max(2000).optional(),
  reason: z.string().max(2000).optional(),
  /** The version the person's page showed (`version` in the claim's JSON): a change since refuses the action. */
  version: z.coerce.number().int().nonnegative().optional(),
});

/** The claim in the path, if the user may know it exists; 403 when they may know but not `action`. */
async function claimFor(event: HttpEvent, principal: Principal, action: Action) {
  const id = event.pathParameters?.id ?? '';
  const c = CLAIM_ID.test(id) ? await wiring().claims.get(id) : undefined;
  if (!c) throw notFound();
  const read = authorize(principal, 'claim:read', { villageCode: c.villageCode });
  if (read === 'hide') throw notFound();
  if (authorize(principal, action, { villageCode: c.villageCode }) !== 'allow') throw refused(action);
  return c;
}

/**
 * The console's form posts flat fields (`heirs.0.nik`, numbers as text, empty optional fields); a
 * script posts the ClaimFiling shape. Both become the one shape the rules read.
 */
export function filingFields(fields: Record<string, unknown>): unknown {
  if (Array.isArray(fields.heirs)) return fields;
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
  const optional = (v: unknown) => (text(v) === '' ? undefined : text(v));
  const number = (v: unknown) => (optional(v) === undefined ? undefined : Number(optional(v)));
  const heirs: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(fields)) {
    const m = /^heirs\.(\d+)\.(\w+)$/.exec(key);
    if (m) (heirs[m[1]!] ??= {})[m[2]!] = text(value);
  }
  return {
    nik: optional(fields.nik),
    kpj: optional(fields.kpj),
    programmeId: optional(fields.programmeId),
    type: text(fields.type),
    eventDate: text(fields.eventDate),
    description: text(fields.description),
    declaredIncome: number(fields.declaredIncome),
    incapacityDays: number(fields.incapacityDays),
    heirs: Object.keys(heirs)
      .sort((a, b) => Number(a) - Number(b))
      .map((i) => heirs[i]!)
      .filter((h) => h.nik)
      .map((h) => ({
        nik: h.nik,
        name: h.name,
        relationship: h.relationship,
        recipient: h.recipient === 'true' || h.recipient === 'on' || h.recipient === true,
        bankAccount: { bank: h.bank, number: h.accountNumber, holder: h.holder },
      })),
  };
}

const claimPath = (id: string) => `/claims/${id}`;

/** What the JSON of a claim links to, by what the user may do with it. */
function linksFor(c: Claim, principal: Principal) {
  const may = (action: Action) => authorize(principal, action, { villageCode: c.villageCode }) === 'allow';
  const open = !isFinal(c);
  return {
    self: claimPath(c.id),
    page: `/app${claimPath(c.id)}`,
    uploadDocument: may('claim:file') && open ? `${claimPath(c.id)}/documents` : undefined,
    documents: may('claim:documents') ? `${claimPath(c.id)}/documents/` : undefined,
    verify: may('claim:verify') && c.status === 'AWAITING_VERIFICATION' ? `${claimPath(c.id)}/verify` : undefined,
    reject:
      (may('claim:verify') && ['WAITING_FOR_DOCUMENTS', 'AWAITING_VERIFICATION'].includes(c.status)) ||
      (may('claim:approve') && c.status === 'AWAITING_APPROVAL')
        ? `${claimPath(c.id)}/reject`
        : undefined,
    approve: may('claim:approve') && c.status === 'AWAITING_APPROVAL' ? `${claimPath(c.id)}/approve` : undefined,
  };
}

/**
 * Opening one claim shows personal data (the deceased's and the heirs' names and NIKs, their accounts
 * masked or whole): recorded on the claim's trail first, as opening a participant's record is.
 */
async function recordOpened(event: HttpEvent, principal: Principal, c: Claim, whole: boolean) {
  await wiring().audit.append({
    entity: `claim#${c.id}`,
    action: 'CLAIM_OPENED',
    actor: actorOf(principal),
    at: wiring().now().toISOString(),
    details: { whole, userId: principal.id, ...requestOrigin(event) },
  });
}

function answerAction(event: HttpEvent, principal: Principal, result: ClaimActionResult, done: string) {
  if (!result.ok) throw new HttpError(result.status, result.code, result.message);
  const c = result.claim;
  return json(200, { id: c.id, status: c.status, message: done, links: linksFor(c, principal) });
}

async function list(event: HttpEvent, principal: Principal, { findProgramme }: ProgrammeLookup) {
  const query = ClaimsQuery.safeParse(event.queryStringParameters ?? {});
  if (!query.success)
    throw new HttpError(400, 'BAD_QUERY', 'Sertakan programmeId, villageCode (mis. 62.03.01.2011) atau nik yang sah.');
  const { programmeId, villageCode, nik, cursor, limit } = query.data;
  const { claims } = wiring();
  if (!mayAtAll(principal, 'claim:read')) throw refused('claim:read');
  let title: string;
  let page: { items: Claim[]; cursor?: string };
  if (nik) {
    // One person's claims, only those of villages the user reaches; whether others exist is not theirs to know.
    const mine = (await claims.byParticipant(nik)).filter(
      (c) =>
        (!programmeId || c.programmeId === programmeId) &&
        authorize(principal, 'claim:read', { villageCode: c.villageCode }) === 'allow',
    );
    title = 'Klaim peserta';
    page = { items: mine };
  } else {
    const programme = programmeId ? findProgramme(programmeId) : undefined;
    if (!programme || !regenciesReached(principal).includes(programme.regency.code))
      throw new HttpError(404, 'NOT_FOUND', 'Program tidak ditemukan. Sertakan programmeId dari daftar program.');
    if (villageCode) {
      if (authorize(principal, 'claim:read', { villageCode }) !== 'allow') throw refused('claim:read');
      title = `Klaim ${villageLabel(villageCode)}`;
      page = await claims.byVillage(programme.id, villageCode, { limit, cursor }).catch(badCursor);
    } else {
      // The whole programme is the regency's; an operator names one of their villages instead.
      if (authorize(principal, 'claim:read', { regency: programme.regency.code }) !== 'allow')
        throw new HttpError(403, 'VILLAGE_REQUIRED', 'Sertakan villageCode desa/kelurahan Anda.');
      title = `Klaim program ${programme.id}`;
      page = await claims.byProgramme(programme.id, { limit, cursor }).catch(badCursor);
    }
  }
  const rows = page.items.map(claimRow);
  if (wantsHtml(event)) {
    const next =
      page.cursor &&
      new URLSearchParams({
        ...(programmeId && { programmeId }),
        ...(villageCode && { villageCode }),
        cursor: page.cursor,
      });
    return html(
      200,
      claimsPage(title, rows, {
        nextPage: next ? `/app/claims?${next.toString()}` : undefined,
        mayFile: mayAnywhere(principal, 'claim:file'),
      }),
    );
  }
  return json(200, { claims: rows.map((r) => ({ ...r, links: { self: claimPath(r.id) } })), cursor: page.cursor });
}

function badCursor(error: unknown): never {
  if (error instanceof Error && error.name === 'InvalidCursorError')
    throw new HttpError(400, 'BAD_CURSOR', 'Penanda halaman tidak berlaku untuk daftar ini; muat daftar dari awal.');
  throw error;
}

function filingPage(principal: Principal, { allProgrammes }: ProgrammeLookup) {
  if (!mayAtAll(principal, 'claim:file')) throw refused('claim:file');
  return html(200, claimFilingPage(allProgrammes().filter((p) => p.regency.code === principal.regency)));
}

/**
 * Claims for signed-in people, each route asking the access policy first: filing (the page and the
 * POST), one claim (whole or masked by role, each opening audited), lists by participant, village or
 * programme (NIKs masked), the paid totals, a presigned upload for a document, and the verifier's and
 * approver's decisions. The mailed approval link is api-claim-approvals.ts.
 */
export const handler = httpHandler(async (event) => {
  const deps = { ...wiring(), ...(await programmesNow()) };
  const principal = principalOf(event);
  switch (event.routeKey) {
    case 'GET /claims':
      return list(event, principal, deps);
    case 'GET /claims/new':
      return filingPage(principal, deps);
    case 'POST /claims': {
      if (!mayAtAll(principal, 'claim:file')) throw refused('claim:file');
      const filing = ClaimFiling.parse(filingFields(bodyFields(event)));
      const result = await fileClaim(deps, { filing, principal });
      if (!result.ok) {
        return json(result.status, {
          error: result.code,
          message: result.message,
          issues: result.issues?.filter((i) => i.code !== 'NOT_A_PARTICIPANT'),
        });
      }
      const c = result.claim;
      const message =
        c.status === 'REFUSED'
          ? `Klaim tidak dapat diproses: ${c.issues
              .filter((i) => i.severity === 'REFUSAL')
              .map((i) => i.message)
              .join(' ')}`
          : 'Klaim tercatat. Unggah dokumen yang diminta pada halaman klaim.';
      // A refused filing is recorded (the family's file shows why) and answered as the refusal it is.
      return json(c.status === 'REFUSED' ? 422 : result.created ? 201 : 200, {
        ...claimDetail(c, seesBankAccounts(principal, c)),
        message,
        links: linksFor(c, principal),
      });
    }
    case 'GET /claims/{id}': {
      if (event.pathParameters?.id === 'new') return filingPage(principal, deps);
      const c = await claimFor(event, principal, 'claim:read');
      const view = claimDetail(c, seesBankAccounts(principal, c));
      await recordOpened(event, principal, c, view.whole);
      const links = linksFor(c, principal);
      if (wantsHtml(event)) return html(200, claimPage(view, links, c.version));
      return json(200, { ...view, version: c.version, links });
    }
    case 'POST /claims/{id}/documents': {
      const c = await claimFor(event, principal, 'claim:file');
      if (isFinal(c))
        throw new HttpError(409, 'CLAIM_CLOSED', 'Klaim ini sudah selesai; dokumen tidak dapat ditambahkan.');
      const request = DocumentRequest.parse(bodyFields(event));
      // A NIK typed into a file name is masked; the name keeps only characters safe in a key.
      const file = maskNumbers(request.fileName)
        .replace(/[^\w.*-]+/g, '_')
        .slice(-120);
      const key = claimDocumentKey(c.id, request.documentType, file);
      const upload = await deps.presigner.uploadUrl(key, {}, UPLOAD_URL_SECONDS);
      await deps.audit.append({
        entity: `claim#${c.id}`,
        action: 'CLAIM_DOCUMENT_UPLOAD_GRANTED',
        actor: actorOf(principal),
        at: deps.now().toISOString(),
        details: { documentType: request.documentType, key, userId: principal.id },
      });
      return json(201, { key, ...upload, expiresInSeconds: UPLOAD_URL_SECONDS });
    }
    case 'GET /claims/{id}/documents/{type}': {
      const c = await claimFor(event, principal, 'claim:documents');
      const type = DocumentType.safeParse(event.pathParameters?.type);
      const doc = type.success
        ? c.requiredDocuments.find((d) => d.type === type.data && d.present && d.key)
        : undefined;
      if (!doc?.key) throw new HttpError(404, 'NOT_FOUND', 'Dokumen belum diterima.');
      // A KTP or a bank book is personal data: the link lives a minute, and handing it out is recorded.
      await deps.audit.append({
        entity: `claim#${c.id}`,
        action: 'CLAIM_DOCUMENT_OPENED',
        actor: actorOf(principal),
        at: deps.now().toISOString(),
        details: { documentType: doc.type, userId: principal.id, ...requestOrigin(event) },
      });
      const url = await deps.presigner.downloadUrl(doc.key, DOCUMENT_URL_SECONDS);
      return json(200, { url, expiresInSeconds: DOCUMENT_URL_SECONDS });
    }
    case 'POST /claims/{id}/verify': {
      const form = ActionForm.parse(bodyFields(event));
      const result = await verifyClaim(deps, {
        claimId: event.pathParameters?.id ?? '',
        principal,
        note: form.note,
        expectedVersion: form.version,
      });
      return answerAction(event, principal, result, 'Klaim terverifikasi dan diteruskan ke pemberi persetujuan.');
    }
    case 'POST /claims/{id}/reject': {
      const form = ActionForm.parse(bodyFields(event));
      const result = await rejectClaim(deps, {
        claimId: event.pathParameters?.id ?? '',
        principal,
        reason: form.reason ?? form.note ?? '',
        expectedVersion: form.version,
      });
      return answerAction(
        event,
        principal,
        result,
        'Klaim ditolak. Desa akan menerima pemberitahuan beserta alasannya.',
      );
    }
    case 'POST /claims/{id}/approve': {
      const form = ActionForm.parse(bodyFields(event));
      const result = await decideClaimApproval(deps, {
        claimId: event.pathParameters?.id ?? '',
        approver: { principal },
        decision: 'APPROVED',
        note: form.note,
        origin: requestOrigin(event),
      });
      return answerAction(event, principal, result, 'Persetujuan Anda tercatat.');
    }
    case 'GET /claim-totals': {
      const programmeId = event.queryStringParameters?.programmeId ?? '';
      const programme = deps.findProgramme(programmeId);
      if (!programme || !regenciesReached(principal).includes(programme.regency.code))
        throw new HttpError(404, 'NOT_FOUND', 'Program tidak ditemukan. Sertakan programmeId dari daftar program.');
      if (authorize(principal, 'claim:read', { regency: programme.regency.code }) !== 'allow')
        throw refused('claim:read');
      const month = event.queryStringParameters?.month;
      if (month !== undefined && !CalendarMonth.safeParse(month).success)
        throw new HttpError(400, 'BAD_MONTH', 'Bulan ditulis YYYY-MM, mis. 2026-12.');
      const totals = await deps.claims.paidTotals(programme.id, month);
      if (wantsHtml(event)) return html(200, claimTotalsPage(programme.id, totals));
      return json(200, { programmeId: programme.id, totals });
    }
    default:
      throw new HttpError(404, 'NOT_FOUND', 'Alamat tidak dikenal.');
  }
});
