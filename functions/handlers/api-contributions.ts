import { authorize, type Action } from '../core/access/policy';
import { actorOf, type Principal } from '../core/access/principal';
import { participantEntity } from '../core/audit/audit-event';
import { CalendarMonth } from '../core/contributions/calendar';
import {
  billDetail,
  billSummary,
  coverageHistory,
  coverageSummary,
  participantRow,
} from '../core/contributions/contribution-views';
import type { Coverage } from '../core/contributions/coverage';
import { contributionTermsFor } from '../core/contributions/terms';
import { PaymentRequest, recordFinancePayment } from '../core/contributions/use-cases/record-finance-payment';
import { ParticipantsQuery } from '../core/openapi/queries';
import type { Programme } from '../core/programmes/programme';
import { UPLOAD_URL_SECONDS } from '../core/proposals/upload-grant';
import { auditLog } from '../wiring/audit-log';
import { billStore } from '../wiring/bill-store';
import { coverageStore } from '../wiring/coverage-store';
import { presigner } from '../wiring/presigner';
import { now, once } from '../wiring/settings';
import { billPage, billsPage, participantsPage } from '../pages/contribution-pages';
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
  coverages: coverageStore(),
  bills: billStore(),
  audit: auditLog(),
  presigner: presigner(),
  now,
}));

const NIK = /^\d{16}$/;

const participantNotFound = () => new HttpError(404, 'NOT_FOUND', 'Peserta tidak ditemukan.');
const billNotFound = () => new HttpError(404, 'NOT_FOUND', 'Tagihan tidak ditemukan.');
const programmeNotFound = () => new HttpError(404, 'NOT_FOUND', 'Program tidak ditemukan.');
const REFUSED: Partial<Record<Action, string>> = {
  'participant:read': 'Anda tidak berwenang melihat peserta desa/kelurahan tersebut.',
  'bill:read': 'Anda tidak berwenang melihat tagihan iuran.',
  'bill:pay': 'Hanya bagian keuangan yang dapat mencatat pembayaran tagihan iuran.',
};
const refused = (action: Action) =>
  new HttpError(403, 'FORBIDDEN', REFUSED[action] ?? 'Anda tidak berwenang melakukan ini.');

const termsOf = (programme: Programme | undefined) => programme && contributionTermsFor(programme);
const billPath = (id: string) => `/bills/${encodeURIComponent(id)}`;

/** The programme a bill belongs to and its month, from the id in the path (`<programmeId>#<YYYY-MM>`, `#` as %23). */
function billOf(event: HttpEvent, findProgramme: ProgrammeLookup['findProgramme']) {
  let raw = event.pathParameters?.billId ?? '';
  try {
    if (raw.includes('%')) raw = decodeURIComponent(raw);
  } catch {
    throw billNotFound();
  }
  const at = raw.lastIndexOf('#');
  const month = CalendarMonth.safeParse(raw.slice(at + 1));
  const programme = at > 0 && month.success ? findProgramme(raw.slice(0, at)) : undefined;
  if (!programme || !month.success) throw billNotFound();
  return { programme, month: month.data };
}

/** A programme's bills are the regency's: `action` is decided on the programme's regency. */
function mayOnBills(principal: Principal, action: Action, programme: Programme) {
  if (authorize(principal, action, { regency: programme.regency.code }) !== 'allow') throw refused(action);
}

/**
 * One person's coverages the user may see (an operator: those of their villages). None at all is
 * 404: whether a NIK is a participant elsewhere is not theirs to learn. Each one shown whole is
 * recorded on the participant's trail first, as a report download is on a proposal's.
 */
async function openParticipant(event: HttpEvent, principal: Principal, view: 'record' | 'coverage') {
  const { coverages, audit } = wiring();
  const nik = event.pathParameters?.nik ?? '';
  if (!NIK.test(nik)) throw participantNotFound();
  const programmeId = event.queryStringParameters?.programmeId;
  const visible = (await coverages.byNik(nik)).filter(
    (c) =>
      (!programmeId || c.programmeId === programmeId) &&
      authorize(principal, 'participant:read', { villageCode: c.villageCode }) === 'allow',
  );
  if (!visible.length) throw participantNotFound();
  const at = new Date().toISOString();
  for (const c of visible) {
    await audit.append({
      entity: participantEntity(c.nik, c.programmeId),
      action: 'PARTICIPANT_OPENED',
      actor: actorOf(principal),
      at,
      details: { view, userId: principal.id, ...requestOrigin(event) },
    });
  }
  return { nik, coverages: visible };
}

const rows = (page: Coverage[]) => page.map(participantRow);

/**
 * Participants and bills for signed-in people, each route asking the access policy first:
 * participants by village (NIKs masked) and one at a time (whole, audited); bills by programme with
 * their villages and payments; and finance's payments, with a presigned PUT for the transfer slip.
 */
export const handler = httpHandler(async (event) => {
  const deps = wiring();
  const { findProgramme, allProgrammes } = await programmesNow();
  const principal = principalOf(event);
  switch (event.routeKey) {
    case 'GET /participants': {
      const query = ParticipantsQuery.safeParse(event.queryStringParameters ?? {});
      if (!query.success) {
        throw new HttpError(
          400,
          'QUERY_REQUIRED',
          'Sertakan programmeId dan villageCode (kode desa/kelurahan, mis. 62.03.01.2011).',
        );
      }
      const { programmeId, villageCode, cursor, limit } = query.data;
      const programme = findProgramme(programmeId);
      if (!programme || authorize(principal, 'programme:read', { regency: programme.regency.code }) !== 'allow') {
        throw programmeNotFound();
      }
      // Asking for a village by name: out of scope is a plain 403, as for proposals.
      if (authorize(principal, 'participant:read', { villageCode }) !== 'allow') throw refused('participant:read');
      const page = await deps.coverages
        .byVillage(programmeId, villageCode, { limit, cursor })
        .catch((error: unknown) => {
          if (error instanceof Error && error.name === 'InvalidCursorError') {
            throw new HttpError(
              400,
              'BAD_CURSOR',
              'Penanda halaman tidak berlaku untuk daftar ini; muat daftar dari awal.',
            );
          }
          throw error;
        });
      if (wantsHtml(event)) {
        const next = page.cursor && new URLSearchParams({ programmeId, villageCode, cursor: page.cursor });
        return html(
          200,
          participantsPage({
            programmeId,
            villageCode,
            rows: rows(page.items),
            nextPage: next ? `/app/participants?${next.toString()}` : undefined,
          }),
        );
      }
      return json(200, { programmeId, villageCode, participants: rows(page.items), cursor: page.cursor });
    }
    case 'GET /participants/{nik}': {
      const { nik, coverages } = await openParticipant(event, principal, 'record');
      return json(200, {
        nik,
        coverages: coverages.map((c) =>
          coverageSummary(c, findProgramme(c.programmeId), termsOf(findProgramme(c.programmeId))),
        ),
        links: { coverage: `/participants/${nik}/coverage` },
      });
    }
    case 'GET /participants/{nik}/coverage': {
      const { nik, coverages } = await openParticipant(event, principal, 'coverage');
      return json(200, { nik, programmes: coverages.map(coverageHistory) });
    }
    case 'GET /bills': {
      const programmeId = event.queryStringParameters?.programmeId;
      const programmes = programmeId ? [findProgramme(programmeId)].filter((p) => p !== undefined) : allProgrammes();
      if (!programmes.length) throw programmeNotFound();
      const readable = programmes.filter(
        (p) => authorize(principal, 'bill:read', { regency: p.regency.code }) === 'allow',
      );
      if (!readable.length) throw refused('bill:read');
      const bills = (await Promise.all(readable.map((p) => deps.bills.byProgramme(p.id)))).flat();
      const views = bills.map((b) => ({ ...billSummary(b), links: { self: billPath(b.id) } }));
      if (wantsHtml(event)) return html(200, billsPage(views));
      return json(200, { bills: views });
    }
    case 'GET /bills/{billId}': {
      const { programme, month } = billOf(event, findProgramme);
      mayOnBills(principal, 'bill:read', programme);
      const bill = await deps.bills.get(programme.id, month);
      if (!bill) throw billNotFound();
      const payments = `${billPath(bill.id)}/payments`;
      if (wantsHtml(event)) {
        const mayPay = authorize(principal, 'bill:pay', { regency: programme.regency.code }) === 'allow';
        return html(200, billPage(billDetail(bill), mayPay ? payments : undefined));
      }
      return json(200, { ...billDetail(bill), links: { self: billPath(bill.id), payments } });
    }
    case 'POST /bills/{billId}/payments': {
      const { programme, month } = billOf(event, findProgramme);
      mayOnBills(principal, 'bill:pay', programme);
      const request = PaymentRequest.parse(bodyFields(event));
      const result = await recordFinancePayment(deps, {
        programmeId: programme.id,
        month,
        request,
        recordedBy: `finance:${principal.username}`,
      });
      if (!result.ok) throw new HttpError(result.refusal.status, result.refusal.code, result.refusal.message);
      const { bill, proofKey } = result;
      // The slip goes straight from the browser to S3, to exactly this key, as proposals do.
      const proofUpload = proofKey && {
        key: proofKey,
        ...(await deps.presigner.uploadUrl(proofKey, {}, UPLOAD_URL_SECONDS)),
        expiresInSeconds: UPLOAD_URL_SECONDS,
      };
      const view = billDetail(bill);
      const rupiah = (n: number) => `Rp${new Intl.NumberFormat('id-ID').format(n)}`;
      const message =
        view.outstanding > 0
          ? `Pembayaran dicatat; sisa tagihan ${rupiah(view.outstanding)}.`
          : 'Pembayaran dicatat; tagihan lunas. Bulan iuran peserta dicatat lunas pada pemeriksaan harian berikutnya.' +
            (view.overpaid > 0 ? ` Kelebihan bayar ${rupiah(view.overpaid)} tercatat pada tagihan ini.` : '');
      return json(201, { ...view, links: { self: billPath(bill.id) }, proofUpload, message });
    }
    default:
      throw new HttpError(404, 'NOT_FOUND', 'Alamat tidak dikenal.');
  }
});
