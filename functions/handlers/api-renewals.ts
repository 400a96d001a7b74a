import { RenewalRequest, renewVillage } from '../core/proposals/use-cases/renew-village';
import { findVillage } from '../core/regions/villages';
import { auditLog } from '../wiring/audit-log';
import { coverageStore } from '../wiring/coverage-store';
import { participantStore } from '../wiring/participant-store';
import { now, once } from '../wiring/settings';
import { uploadGrants } from '../wiring/upload-grants';
import { uploadsStore } from '../wiring/uploads';
import { bodyFields, HttpError, httpHandler, json, principalOf } from './http';
import { programmesNow } from './programme-lookup';

export const wiring = once(() => ({
  coverages: coverageStore(),
  participants: participantStore(),
  objects: uploadsStore(),
  grants: uploadGrants(),
  audit: auditLog(),
  findVillage,
  now,
}));

/**
 * `POST /renewals`: a village's participants carried into the next programme's proposal. 202: the
 * proposal is written where uploads go and the enrollment workflow takes it from there (validation,
 * quota, approval); the answer names its key and who was left out, NIKs masked.
 */
export const handler = httpHandler(async (event) => {
  if (event.routeKey !== 'POST /renewals') throw new HttpError(404, 'NOT_FOUND', 'Alamat tidak dikenal.');
  const request = RenewalRequest.parse(bodyFields(event));
  const result = await renewVillage({ ...wiring(), ...(await programmesNow()) }, principalOf(event), request);
  if (!result.ok) {
    // Nobody to carry still says why each one was left out.
    const { code, message } = result.reason;
    if (result.leftOut) return json(result.status, { error: code, message, leftOut: result.leftOut });
    throw new HttpError(result.status, code, message);
  }
  const { uploadKey, leftOutKey, carried, warnings, leftOut, gap } = result.summary;
  return json(202, { uploadKey, leftOutKey, carried, warnings, leftOut, ...(gap && { gap }) });
});
