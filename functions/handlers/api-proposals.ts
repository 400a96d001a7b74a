import * as z from 'zod';
import { authorize, type Action, type Resource } from '../core/access/policy';
import { actorOf, type Principal } from '../core/access/principal';
import { redactDeep } from '../core/privacy/mask';
import { proposalUrl } from '../core/proposals/links';
import { proposalHistory, recordProposalEvent } from '../core/proposals/proposal-trail';
import { cancelProposal } from '../core/proposals/use-cases/cancel-proposal';
import { redrive } from '../core/proposals/use-cases/redrive';
import type { FindProgramme, Proposal } from '../core/proposals/proposal';
import { proposalView } from '../core/proposals/proposal-view';
import { VILLAGE_CODE } from '../core/proposals/upload-key';
import { proposalPage } from '../pages/proposal-pages';
import {
  html,
  HttpError,
  httpHandler,
  json,
  principalOf,
  readFields,
  redirect,
  requestOrigin,
  wantsHtml,
  type HttpEvent,
} from './http';
import { programmesNow } from './programme-lookup';
import { auditLog } from '../wiring/audit-log';
import { presigner } from '../wiring/presigner';
import { proposalStore } from '../wiring/proposal-store';
import { quotaLedger } from '../wiring/quota-ledger';
import { once, setting } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { workflowCallbacks } from '../wiring/workflow';

/**
 * A signed report link is for now: it carries every row whole, and whoever holds it can use it
 * until it expires, so it lives a minute. Each link handed out is the audited event.
 */
export const REPORT_URL_SECONDS = 60;

export const wiring = once(() => ({
  proposals: proposalStore(),
  audit: auditLog(),
  presigner: presigner(),
  ledger: quotaLedger(),
  objects: uploadsStore(),
  workflow: workflowCallbacks(),
  apiUrl: setting('API_URL'),
}));

const PROPOSAL_ID = /^prp-[0-9a-f]{20}$/;
const notFound = () => new HttpError(404, 'NOT_FOUND', 'Usulan tidak ditemukan.');
const forbidden = () => new HttpError(403, 'FORBIDDEN', 'Anda tidak berwenang melakukan ini pada usulan tersebut.');

/** The proposal in the path, if the user may know it exists; `action` decides the rest (403). */
async function proposalFor(
  event: HttpEvent,
  principal: Principal,
  action: Action,
  resourceOf: (p: Proposal) => Resource,
): Promise<Proposal> {
  const id = event.pathParameters?.id ?? '';
  const p = PROPOSAL_ID.test(id) ? await wiring().proposals.get(id) : undefined;
  if (!p) throw notFound();
  const decision = authorize(principal, action, resourceOf(p));
  if (decision === 'hide') throw notFound();
  if (decision === 'deny') throw forbidden();
  return p;
}

/**
 * What a proposal is about, for the policy: its village; or, for an upload put in the wrong place,
 * the regency of its programme (regency-wide roles see those, operators cannot).
 */
function resourceIn(findProgramme: FindProgramme) {
  return (p: Proposal): Resource =>
    VILLAGE_CODE.test(p.villageCode)
      ? { villageCode: p.villageCode }
      : { regency: findProgramme(p.programmeId)?.regency.code ?? 'unknown' };
}

const CancelForm = z.object({ note: z.string().max(2000).optional() });
const CANCEL_REFUSALS = {
  NOT_FOUND: [404, 'Usulan tidak ditemukan.'],
  NOTE_REQUIRED: [400, 'Tuliskan alasan pembatalan; alasan ini tercatat dalam riwayat usulan.'],
  NOT_FAILED: [409, 'Hanya usulan yang gagal karena gangguan sistem (FAILED) yang dapat dibatalkan.'],
  ALREADY_APPROVED: [
    409,
    'Usulan ini gagal setelah disetujui; BPJS mungkin sudah mendaftarkan pekerjanya. Jalankan ulang, jangan dibatalkan.',
  ],
} as const;

const view = (p: Proposal) => proposalView(p, { self: proposalUrl(wiring().apiUrl, p.id) });

/**
 * Proposals for signed-in people: each route asks the access policy (functions/core/access) first.
 * Personal data leaves only through the report, and each report opened is an audit event.
 */
export const handler = httpHandler(async (event) => {
  const { proposals, audit, presigner, ledger, objects, workflow } = wiring();
  const { findProgramme } = await programmesNow();
  const resourceOf = resourceIn(findProgramme);
  const principal = principalOf(event);
  switch (event.routeKey) {
    case 'GET /proposals': {
      const { uploadKey, programmeId, villageCode } = event.queryStringParameters ?? {};
      if (uploadKey) {
        // The proposal of an upload is the newest one for its key; all of them, newest first, come
        // along as `proposals`. A village the user may not see has no proposals as far as they know.
        const visible = (await proposals.findByUploadKey(uploadKey)).filter(
          (p) => authorize(principal, 'proposal:read', resourceOf(p)) === 'allow',
        );
        // Every proposal of a key is of the key's village, so what the user may read of them decides.
        if (!visible.length) {
          throw new HttpError(
            404,
            'NOT_FOUND',
            'Belum ada usulan untuk berkas ini. Jika baru diunggah, tunggu sebentar lalu coba lagi.',
          );
        }
        const views = visible.map(view);
        return json(200, { ...views[0], proposals: views });
      }
      if (!(programmeId && villageCode)) {
        throw new HttpError(
          400,
          'QUERY_REQUIRED',
          'Sertakan uploadKey (kunci S3 berkas yang diunggah), atau programmeId dan villageCode.',
        );
      }
      // Asking for a village by name: out of scope is a plain 403, the village itself is no secret.
      if (authorize(principal, 'proposal:read', { villageCode }) !== 'allow') throw forbidden();
      const found = await proposals.findByProgrammeVillage(programmeId, villageCode);
      return json(200, { proposals: found.map(view) });
    }
    case 'GET /proposals/{id}': {
      const p = await proposalFor(event, principal, 'proposal:read', resourceOf);
      const v = view(p);
      if (wantsHtml(event)) {
        const mayDownload = authorize(principal, 'proposal:report', resourceOf(p)) === 'allow';
        return html(
          200,
          proposalPage(
            p,
            findProgramme(p.programmeId, p.programmeVersion),
            {
              reportXlsx: mayDownload ? v.report?.download.xlsx : undefined,
              reportJson: mayDownload ? v.report?.download.json : undefined,
              redrive:
                p.status === 'FAILED' && authorize(principal, 'proposal:redrive', resourceOf(p)) === 'allow'
                  ? `${v.links.self}/redrive`
                  : undefined,
              cancel:
                p.status === 'FAILED' && authorize(principal, 'proposal:cancel', resourceOf(p)) === 'allow'
                  ? `${v.links.self}/cancel`
                  : undefined,
            },
            authorize(principal, 'proposal:upload', { villageCode: p.villageCode }) === 'allow',
          ),
        );
      }
      return json(200, v);
    }
    case 'GET /proposals/{id}/report': {
      const p = await proposalFor(event, principal, 'proposal:report', resourceOf);
      const format = event.queryStringParameters?.format === 'json' ? 'json' : 'xlsx';
      const key = format === 'json' ? p.report?.json : p.report?.xlsx;
      if (!key) throw new HttpError(404, 'NO_REPORT', 'Laporan validasi untuk usulan ini belum tersedia.');
      // Recorded before the link is handed out: a download nobody can account for must not exist.
      await recordProposalEvent(audit, p.id, {
        action: 'REPORT_DOWNLOADED',
        actor: actorOf(principal),
        details: { format, userId: principal.id, ...requestOrigin(event), linkSeconds: REPORT_URL_SECONDS },
      });
      const url = await presigner.downloadUrl(
        key,
        REPORT_URL_SECONDS,
        `laporan-${p.fileName.replace(/\.[^.]+$/, '')}.${format}`,
      );
      // Pages fetch the link as JSON (a browser cannot read a cross-origin redirect); scripts follow the 302.
      if ((event.headers.accept ?? '').includes('application/json'))
        return json(200, { url, expiresInSeconds: REPORT_URL_SECONDS });
      return redirect(url);
    }
    case 'GET /proposals/{id}/history': {
      const p = await proposalFor(event, principal, 'proposal:history', resourceOf);
      const events = (await proposalHistory(audit, p.id)).map((e) => redactDeep(e));
      return json(200, { proposalId: p.id, events });
    }
    case 'POST /proposals/{id}/redrive': {
      const p = await proposalFor(event, principal, 'proposal:redrive', resourceOf);
      if (p.status !== 'FAILED') {
        throw new HttpError(
          409,
          'NOT_FAILED',
          'Hanya usulan yang gagal karena gangguan sistem (FAILED) yang dapat dijalankan ulang.',
        );
      }
      const result = await redrive({ proposals, workflow }, { proposalId: p.id, actor: actorOf(principal) });
      if (!result.ok && result.reason === 'NOT_FOUND') throw notFound();
      if (!result.ok)
        throw new HttpError(
          409,
          'NOT_FAILED',
          'Hanya usulan yang gagal karena gangguan sistem (FAILED) yang dapat dijalankan ulang.',
        );
      return json(202, {
        executionArn: result.executionArn,
        message: 'Usulan dijalankan ulang dari tahap terakhirnya.',
      });
    }
    case 'POST /proposals/{id}/cancel': {
      const p = await proposalFor(event, principal, 'proposal:cancel', resourceOf);
      const { note } = CancelForm.parse(readFields(event));
      const result = await cancelProposal(
        { proposals, audit, ledger, objects, findProgramme },
        { proposalId: p.id, actor: actorOf(principal), note: note ?? '' },
      );
      if (!result.ok) {
        const [status, message] = CANCEL_REFUSALS[result.reason];
        throw new HttpError(status, result.reason, message);
      }
      return json(200, { ...view(result.proposal), message: 'Usulan dibatalkan; kuota dan NIK pekerjanya dilepas.' });
    }
    case 'GET /programmes/{id}/template': {
      const programme = findProgramme(event.pathParameters?.id ?? '');
      if (!programme || authorize(principal, 'programme:read', { regency: programme.regency.code }) !== 'allow') {
        throw new HttpError(404, 'NOT_FOUND', 'Program tidak ditemukan.');
      }
      const { buildProposalTemplate } = await import('../core/spreadsheet/template');
      const file = await buildProposalTemplate(programme);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="templat-usulan-${programme.id}.xlsx"`,
        },
        body: file.toString('base64'),
        isBase64Encoded: true,
      };
    }
    default:
      throw new HttpError(404, 'NOT_FOUND', 'Alamat tidak dikenal.');
  }
});
