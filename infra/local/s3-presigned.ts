import { getCanonicalHeaders, SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** An S3 error response: the status, the `<Code>`, the `<Message>` and any further elements. */
export type S3Refusal = { status: number; code: string; message: string; detail?: Record<string, string> };

type SignableRequest = Parameters<SignatureV4['presign']>[0];

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_EXPIRES = 604_800;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * Verifies a query-string (presigned) SigV4 request the way S3 does: the signature is recomputed
 * over the request as it arrives (method, path, query, the signed headers) with the secret of the
 * access key it names, so a URL signed for one key, bucket, method, metadata or signed header
 * value is good for that and nothing else, and only until it expires. Returns the refusal S3
 * would send, or undefined when the request verifies.
 *
 * `rawUrl` is the request target as sent (path and query, before any rewriting), `headers` as
 * Node parsed them (lower-case names).
 */
export async function verifyPresigned(
  request: { method: string; rawUrl: string; headers: IncomingHttpHeaders },
  options: { credentials: Record<string, string>; region?: string; now?: Date },
): Promise<S3Refusal | undefined> {
  const [rawPath = '/', rawQuery = ''] = splitOnce(request.rawUrl, '?');
  const query = parseQuery(rawQuery);
  const one = (name: string) => {
    const v = query[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const malformed = (message: string): S3Refusal => ({
    status: 400,
    code: 'AuthorizationQueryParametersError',
    message,
  });

  const [algorithm, credential, signature, date, signedHeaderList, expires] = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Signature',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
    'X-Amz-Expires',
  ].map(one);
  if (!algorithm || !credential || !signature || !date || !signedHeaderList || expires === undefined)
    return malformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  if (algorithm !== ALGORITHM) return malformed(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const scope = credential.split('/');
  const [accessKeyId, shortDate, region, service, terminator] = scope;
  if (scope.length !== 5 || !accessKeyId || terminator !== 'aws4_request')
    return malformed(
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  const signedAt = parseAmzDate(date);
  if (!signedAt) return malformed(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (shortDate !== date.slice(0, 8)) return malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  if (options.region && region !== options.region)
    return malformed(
      `Error parsing the X-Amz-Credential parameter; the region '${region}' is wrong; expecting '${options.region}'`,
    );
  if (service !== 's3')
    return malformed(
      `Error parsing the X-Amz-Credential parameter; incorrect service "${service}". This endpoint belongs to "s3".`,
    );
  if (!/^\d+$/.test(expires)) return malformed('X-Amz-Expires should be a number');
  if (Number(expires) > MAX_EXPIRES)
    return malformed('X-Amz-Expires must be less than a week (in seconds) that is; 604800');

  const secretAccessKey = options.credentials[accessKeyId];
  if (secretAccessKey === undefined)
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
      detail: { AWSAccessKeyId: accessKeyId },
    };

  const now = options.now ?? new Date();
  const expiresAt = new Date(signedAt.getTime() + Number(expires) * 1000);
  if (now > expiresAt)
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
      detail: { 'X-Amz-Expires': expires, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) },
    };

  const signedHeaders = signedHeaderList.split(';');
  // S3 refuses x-amz-* headers the signature does not cover: they would change the request (metadata,
  // ACLs, checksums) without the signer's consent.
  const notSigned = Object.keys(request.headers).filter((h) => h.startsWith('x-amz-') && !signedHeaders.includes(h));
  if (notSigned.length)
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'There were headers present in the request which were not signed',
      detail: { HeadersNotSigned: notSigned.join(', ') },
    };

  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const toSign: SignableRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: String(request.headers.host ?? ''),
    path: canonicalPath(rawPath),
    // getCanonicalQuery leaves X-Amz-Signature out itself.
    query,
    headers,
  };
  const verifier = new PresignedRequestVerifier({ accessKeyId, secretAccessKey }, region!);
  const { canonicalRequest, stringToSign, expected } = await verifier.signatureOf(toSign, {
    signedAt,
    scope: scope.slice(1).join('/'),
    // Presigned URLs sign UNSIGNED-PAYLOAD; a client that signs a payload hash instead gets it
    // checked as part of the signature, not against the body (no SDK presigns that way).
    payloadHash: one('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD,
  });
  if (sameHex(expected, signature)) return undefined;
  return {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    detail: {
      AWSAccessKeyId: accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: signature,
      CanonicalRequest: canonicalRequest,
    },
  };
}

/** SignatureV4 with its canonical request and string to sign reused for checking instead of signing. */
class PresignedRequestVerifier extends SignatureV4 {
  constructor(credentials: { accessKeyId: string; secretAccessKey: string }, region: string) {
    // S3 signs the path as sent, without the double encoding other services use.
    super({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  }

  async signatureOf(request: SignableRequest, at: { signedAt: Date; scope: string; payloadHash: string }) {
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(Object.keys(request.headers)));
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, at.payloadHash);
    const stringToSign = await this.createStringToSign(
      this.formatDate(at.signedAt).longDate,
      at.scope,
      canonicalRequest,
      ALGORITHM,
    );
    const expected = await this.sign(stringToSign, { signingDate: at.signedAt });
    return { canonicalRequest, stringToSign, expected };
  }
}

/** The hash SignatureV4 wants (a `@smithy/types` Checksum), from node:crypto. */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset() {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * The canonical URI S3 signs: each segment URI-encoded once (RFC 3986 unreserved characters kept),
 * so a path a browser sent with different but equivalent escapes verifies the same.
 */
export function canonicalPath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => uriEscape(safeDecode(segment)))
    .join('/');
}

const uriEscape = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Query parameters, decoded; `+` is a plus sign, as SigV4 signs it (SDKs send a space as %20). */
function parseQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const [k = '', v = ''] = splitOnce(pair, '=');
    const key = safeDecode(k);
    const value = safeDecode(v);
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function splitOnce(s: string, separator: string): [string, string | undefined] {
  const i = s.indexOf(separator);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
