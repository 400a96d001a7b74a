import { authorize } from '../core/access/policy';
import { uploadPage } from '../pages/console-pages';
import { requestUpload, UploadRequest } from '../core/proposals/upload-grant';
import { findVillage } from '../core/regions/villages';
import { html, HttpError, httpHandler, json, principalOf, readFields } from './http';
import { programmesNow } from './programme-lookup';
import { presigner } from '../wiring/presigner';
import { now, once } from '../wiring/settings';
import { uploadGrants } from '../wiring/upload-grants';

export const wiring = once(() => ({ grants: uploadGrants(), presigner: presigner(), findVillage, now }));

/** Uploads by signed-in operators: the form, and a presigned PUT for one of their own villages. */
export const handler = httpHandler(async (event) => {
  const deps = { ...wiring(), ...(await programmesNow()) };
  const principal = principalOf(event);
  switch (event.routeKey) {
    case 'GET /uploads/new': {
      const programmes = deps
        .allProgrammes()
        .filter((p) => authorize(principal, 'programme:read', { regency: p.regency.code }) === 'allow');
      const villages = principal.villages
        .filter((code) => authorize(principal, 'proposal:upload', { villageCode: code }) === 'allow')
        .map((code) => findVillage(code))
        .filter((v) => v !== undefined);
      return html(200, uploadPage(principal, programmes, villages));
    }
    case 'POST /uploads': {
      const request = UploadRequest.parse(readFields(event));
      const result = await requestUpload(deps, principal, request);
      if (!result.ok) throw new HttpError(result.status, result.reason.code, result.reason.message);
      return json(201, result);
    }
    default:
      throw new HttpError(404, 'NOT_FOUND', 'Alamat tidak dikenal.');
  }
});
