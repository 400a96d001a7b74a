import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { Presigner } from '../../ports/presigner';
import type { UploadGrants } from '../../ports/upload-grants';
import { authorize } from '../access/policy';
import { actorOf, type Principal } from '../access/principal';
import type { Issue } from '../issues';
import type { Programme } from '../programmes/programme';
import type { UploadGrant } from './upload-grant-record';
import { checkUploadKey, PROPOSALS_PREFIX, type VillageInfo } from './upload-key';

/** S3 object metadata that ties an upload to the grant the API issued for it. */
export const UPLOAD_GRANT_METADATA = 'upload-grant';
/** The headers a presigned upload signs (and so the bucket's CORS rule must let a browser send). */
export const PRESIGNED_UPLOAD_HEADERS = [`x-amz-meta-${UPLOAD_GRANT_METADATA}`] as const;
/** A presigned upload is for now, not for later: long enough for a slow village connection to start. */
export const UPLOAD_URL_SECONDS = 600;

/** Who an upload came from: a signed-in person (through a grant) or an AWS principal writing to the bucket. */
export const Uploader = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    userId: z.string(),
    username: z.string(),
    email: z.string().optional(),
    grantId: z.string(),
  }),
  z.object({ kind: z.literal('aws'), principal: z.string() }),
]);
export type Uploader = z.infer<typeof Uploader>;

export const UploadRequest = z.object({
  programmeId: z.string().min(1).max(100),
  villageCode: z.string().min(1).max(20),
  fileName: z.string().min(1).max(200),
});
export type UploadRequest = z.infer<typeof UploadRequest>;

export type UploadRequestDeps = {
  grants: UploadGrants;
  presigner: Presigner;
  findProgramme: (id: string) => Programme | undefined;
  findVillage: (code: string) => VillageInfo | undefined;
  now: () => Date;
};

export type UploadRequestResult =
  | { ok: true; uploadKey: string; url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string }
  | { ok: false; status: 400 | 403 | 404; reason: Issue };

/**
 * A place in the bucket is a file name an operator may read back: letters, digits, spaces and a
 * few signs. Anything else (slashes, control characters, `..`) is replaced, so the key is the one
 * the grant names and nothing else.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[ .]+|[ .]+$/g, '')
    // A NIK typed into a file name would travel into mails and lists: keep its region and serial only.
    .replace(/\d{12,}/g, (digits) => `${digits.slice(0, 4)}x${digits.slice(-4)}`)
    .slice(-150);
  return cleaned || 'usulan';
}

/**
 * A signed-in operator asks to upload a proposal for one of their villages: the answer is a
 * presigned PUT for exactly `proposals/<programme>/<village>/<file>`. Refused before anything
 * reaches S3 when the village is not theirs or the key would be refused on arrival anyway.
 */
export async function requestUpload(
  deps: UploadRequestDeps,
  principal: Principal,
  request: UploadRequest,
): Promise<UploadRequestResult> {
  const fileName = safeFileName(request.fileName);
  const uploadKey = `${PROPOSALS_PREFIX}${request.programmeId}/${request.villageCode}/${fileName}`;
  const decision = authorize(principal, 'proposal:upload', { villageCode: request.villageCode });
  if (decision !== 'allow') {
    return {
      ok: false,
      status: 403,
      reason: {
        code: 'VILLAGE_NOT_YOURS',
        message: `Akun Anda tidak terdaftar sebagai operator desa/kelurahan ${request.villageCode}. Hubungi admin Dinas Sosial bila ini keliru.`,
      },
    };
  }
  const check = checkUploadKey(uploadKey, deps);
  // The village ties the programme to the user's regency: `authorize` held it to theirs, the key check to the
  // programme's.
  if (!check.ok)
    return { ok: false, status: check.reason.code === 'UPLOAD_UNKNOWN_PROGRAMME' ? 404 : 400, reason: check.reason };
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString();
  const grant: UploadGrant = {
    uploadKey,
    grantId: randomBytes(16).toString('base64url'),
    programmeId: request.programmeId,
    villageCode: request.villageCode,
    fileName,
    userId: principal.id,
    username: principal.username,
    email: principal.email,
    actor: actorOf(principal),
    grantedAt: now.toISOString(),
    expiresAt,
  };
  await deps.grants.put(grant);
  const { url, headers } = await deps.presigner.uploadUrl(
    uploadKey,
    { [UPLOAD_GRANT_METADATA]: grant.grantId },
    UPLOAD_URL_SECONDS,
  );
  return { ok: true, uploadKey, url, method: 'PUT', headers, expiresAt };
}

/**
 * Who an arriving upload is from. A grant id in the object's metadata counts only if the grant
 * exists for this very key: metadata alone is whatever the uploader wrote.
 */
export async function uploaderOf(
  grants: UploadGrants,
  upload: { key: string; metadata: Record<string, string> | undefined; requester?: string },
): Promise<{ uploader: Uploader; grant?: UploadGrant }> {
  const grantId = upload.metadata?.[UPLOAD_GRANT_METADATA];
  const grant = grantId ? await grants.get(upload.key, grantId) : undefined;
  if (grant)
    return {
      uploader: {
        kind: 'user',
        userId: grant.userId,
        username: grant.username,
        email: grant.email,
        grantId: grant.grantId,
      },
      grant,
    };
  return { uploader: { kind: 'aws', principal: upload.requester ?? 'unknown' } };
}
