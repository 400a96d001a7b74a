import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '../config';
import { s3Client } from '../adapters/s3-object-store';
import { proposalUrl } from '../core/proposals/approval';
import { redrive } from '../core/proposals/outcome';
import { proposalView } from '../core/proposals/proposal-view';
import { proposalPage } from '../core/proposals/approval-page';
import { allProgrammes, findProgramme } from '../core/programmes/catalogue';
import { impliedBudget } from '../core/programmes/programme';
import { html, HttpError, httpHandler, json, redirect, wantsHtml, type HttpEvent } from './http';
import { proposals, workflow } from './wiring';

const notFound = () => new HttpError(404, 'NOT_FOUND', 'Usulan tidak ditemukan.');

async function getProposal(event: HttpEvent) {
  const id = event.pathParameters?.id ?? '';
  const p = await proposals().get(id);
  if (!p) throw notFound();
  return p;
}

/** Read access to proposals (and re-drive of a failed one). Thin: every rule lives in the core. */
export const handler = httpHandler(async (event) => {
  const api = config().API_URL;
  switch (event.routeKey) {
    case 'GET /proposals': {
      const { uploadKey, programmeId, villageCode } = event.queryStringParameters ?? {};
      if (!uploadKey && !(programmeId && villageCode)) {
        throw new HttpError(400, 'QUERY_REQUIRED', 'Sertakan uploadKey (kunci S3 berkas yang diunggah), atau programmeId dan villageCode.');
      }
      if (uploadKey) {
        // The proposal of an upload is the newest one for its key (each re-upload of the same key is a
        // new object version and a new proposal); all of them, newest first, come along as `proposals`.
        const views = (await proposals().findByUploadKey(uploadKey)).map((p) => proposalView(p, { self: proposalUrl(api, p.id) }));
        if (!views.length) throw new HttpError(404, 'NOT_FOUND', 'Belum ada usulan untuk berkas ini. Jika baru diunggah, tunggu sebentar lalu coba lagi.');
        return json(200, { ...views[0], proposals: views });
      }
      const found = await proposals().findByProgrammeVillage(programmeId!, villageCode!);
      return json(200, { proposals: found.map((p) => proposalView(p, { self: proposalUrl(api, p.id) })) });
    }
    case 'GET /proposals/{id}': {
      const p = await getProposal(event);
      const view = proposalView(p, { self: proposalUrl(api, p.id) });
      // A person following the link in a mail gets a page; scripts get JSON.
      if (wantsHtml(event))
        return html(200, proposalPage(p, findProgramme(p.programmeId), { reportXlsx: view.report?.download.xlsx, reportJson: view.report?.download.json }));
      return json(200, view);
    }
    case 'GET /proposals/{id}/report': {
      const p = await getProposal(event);
      const format = event.queryStringParameters?.format ?? 'xlsx';
      const key = format === 'json' ? p.report?.json : p.report?.xlsx;
      if (!key) throw new HttpError(404, 'NO_REPORT', 'Laporan validasi untuk usulan ini belum tersedia.');
      const url = await getSignedUrl(s3Client, new GetObjectCommand({ Bucket: config().UPLOADS_BUCKET, Key: key }), { expiresIn: 900 });
      return redirect(url);
    }
    case 'GET /proposals/{id}/history': {
      const p = await getProposal(event);
      return json(200, { proposalId: p.id, events: await proposals().history(p.id) });
    }
    case 'POST /proposals/{id}/redrive': {
      const result = await redrive({ proposals: proposals(), workflow: workflow() }, { proposalId: event.pathParameters?.id ?? '', actor: 'operator:api' });
      if (!result.ok && result.reason === 'NOT_FOUND') throw notFound();
      if (!result.ok) throw new HttpError(409, 'FINISHED', 'Usulan ini sudah selesai dan tidak perlu dijalankan ulang.');
      return json(202, { executionArn: result.executionArn });
    }
    case 'GET /programmes':
      return json(200, { programmes: allProgrammes().map((p) => ({ ...p, approverEmail: undefined, budget: impliedBudget(p) })) });
    case 'GET /programmes/{id}/template': {
      const programme = findProgramme(event.pathParameters?.id ?? '');
      if (!programme) throw new HttpError(404, 'NOT_FOUND', 'Program tidak ditemukan.');
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
