import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { canonicalPath, verifyPresigned } from '../../../infra/local/s3-presigned';

const region = 'ap-southeast-3';
const credentials = { local: 'local' };
const signedAt = new Date('2026-03-01T08:00:00Z');

const client = (endpoint = 'http://127.0.0.1:4569', forcePathStyle = true, sessionToken?: string) =>
  new S3Client({
    endpoint,
    region,
    forcePathStyle,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local', sessionToken },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });

/** What the proxy sees of a presigned URL used as is: the request target and the Host header. */
function asSent(url: string, method = 'PUT', headers: Record<string, string> = {}) {
  const u = new URL(url);
  return { method, rawUrl: u.pathname + u.search, headers: { host: u.host, ...headers } };
}

const verify = (request: ReturnType<typeof asSent>, now = new Date(signedAt.getTime() + 1000)) =>
  verifyPresigned(request, { credentials, region, now });

describe('verifyPresigned', () => {
  it('accepts what the SDK presigns, for keys with spaces, plus signs, brackets and unicode', async () => {
    const key = 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan (revisi) + 1! ü 100%.xlsx';
    const url = await getSignedUrl(client(), new PutObjectCommand({ Bucket: 'uploads', Key: key }), {
      expiresIn: 300,
      signingDate: signedAt,
    });
    expect(await verify(asSent(url))).toBeUndefined();
  });

  it('accepts the same path escaped differently (as a browser may send it), not another path', async () => {
    const url = await getSignedUrl(client(), new PutObjectCommand({ Bucket: 'uploads', Key: "it's (1).csv" }), {
      expiresIn: 300,
      signingDate: signedAt,
    });
    expect(url).toContain('%27s%20%281%29.csv');
    expect(await verify(asSent(url.replace('%27s%20%281%29', "'s%20(1)")))).toBeUndefined();
    expect(await verify(asSent(url.replace('%281%29', '%282%29')))).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('binds a virtual-hosted URL to its bucket through the Host header', async () => {
    const url = await getSignedUrl(
      client('http://localhost:4569', false),
      new PutObjectCommand({ Bucket: 'uploads', Key: 'k.csv' }),
      {
        expiresIn: 300,
        signingDate: signedAt,
      },
    );
    expect(new URL(url).host).toBe('uploads.localhost:4569');
    expect(await verify(asSent(url))).toBeUndefined();
    const other = asSent(url);
    other.headers.host = 'reports.localhost:4569';
    expect(await verify(other)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('covers a session token and the method', async () => {
    const url = await getSignedUrl(
      client(undefined, true, 'token-1'),
      new GetObjectCommand({ Bucket: 'uploads', Key: 'r.json' }),
      {
        expiresIn: 60,
        signingDate: signedAt,
      },
    );
    expect(url).toContain('X-Amz-Security-Token=token-1');
    expect(await verify(asSent(url, 'GET'))).toBeUndefined();
    expect(await verify(asSent(url.replace('token-1', 'token-2'), 'GET'))).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    expect(await verify(asSent(url, 'DELETE'))).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('holds until X-Amz-Date + X-Amz-Expires, not a second longer', async () => {
    const url = await getSignedUrl(client(), new PutObjectCommand({ Bucket: 'uploads', Key: 'k' }), {
      expiresIn: 60,
      signingDate: signedAt,
    });
    expect(await verify(asSent(url), new Date(signedAt.getTime() + 60_000))).toBeUndefined();
    expect(await verify(asSent(url), new Date(signedAt.getTime() + 61_000))).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
      detail: { 'X-Amz-Expires': '60', Expires: '2026-03-01T08:01:00Z', ServerTime: '2026-03-01T08:01:01Z' },
    });
  });

  it('refuses malformed query authentication as S3 does', async () => {
    const url = await getSignedUrl(client(), new PutObjectCommand({ Bucket: 'uploads', Key: 'k' }), {
      expiresIn: 60,
      signingDate: signedAt,
    });
    const refused = (u: string) => verify(asSent(u));
    expect(await refused(url.replace(/&X-Amz-Date=[^&]+/, ''))).toMatchObject({
      status: 400,
      code: 'AuthorizationQueryParametersError',
    });
    expect(
      await refused(url.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA1')),
    ).toMatchObject({ status: 400 });
    expect(await refused(url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604801'))).toMatchObject({
      status: 400,
      code: 'AuthorizationQueryParametersError',
    });
    expect(await refused(url.replace('%2Fs3%2F', '%2Fsqs%2F'))).toMatchObject({
      status: 400,
      code: 'AuthorizationQueryParametersError',
    });
  });

  it('names the unknown access key', async () => {
    const stranger = new S3Client({
      endpoint: 'http://127.0.0.1:4569',
      region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' },
    });
    const url = await getSignedUrl(stranger, new GetObjectCommand({ Bucket: 'uploads', Key: 'k' }), {
      expiresIn: 60,
      signingDate: signedAt,
    });
    expect(await verify(asSent(url, 'GET'))).toMatchObject({
      status: 403,
      code: 'InvalidAccessKeyId',
      detail: { AWSAccessKeyId: 'AKIASTRANGER' },
    });
  });
});

describe('canonicalPath', () => {
  it('encodes each segment once, RFC 3986 style, keeping slashes and escaped slashes apart', () => {
    expect(canonicalPath("/b/a b+c!(x)*'~.csv")).toBe('/b/a%20b%2Bc%21%28x%29%2A%27~.csv');
    expect(canonicalPath('/b/a%2Fb/ü')).toBe('/b/a%2Fb/%C3%BC');
  });
});
