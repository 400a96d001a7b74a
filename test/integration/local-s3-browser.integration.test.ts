import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Local } from '../../infra/local/s3-local';

/**
 * What a browser does with the local S3: presigned uploads (query-string SigV4, verified like S3
 * does) and CORS from the bucket's rules (preflight and the actual request).
 */
const region = 'ap-southeast-3';
const APP = 'http://localhost:5173';
const CORS = {
  CorsRules: [
    {
      AllowedOrigins: [APP],
      AllowedMethods: ['PUT', 'POST'],
      AllowedHeaders: ['content-type', 'x-amz-meta-*'],
      ExposedHeaders: ['ETag'],
      MaxAge: 600,
    },
    { AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'] },
  ],
};

let s3: Awaited<ReturnType<typeof startS3Local>>;
/**
 * A client that presigns uploads a browser can use: without it, current SDKs sign the CRC32 of an empty body into
 * the URL.
 */
const client = (accessKeyId = 'local', secretAccessKey = 'local') =>
  new S3Client({
    endpoint: s3.endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });

beforeAll(async () => {
  s3 = await startS3Local({
    port: 0,
    dataDir: join(mkdtempSync(join(tmpdir(), 'jaring-s3-')), 's3'),
    buckets: [{ name: 'uploads', cors: CORS }, { name: 'plain' }],
    credentials: { local: 'local' },
    region,
    onObjectCreated: () => undefined,
  });
});
afterAll(() => s3?.stop());

const putUrl = (
  key: string,
  options: { metadata?: Record<string, string>; contentType?: string; signContentType?: boolean } = {},
  signer = client(),
) =>
  getSignedUrl(
    signer,
    new PutObjectCommand({ Bucket: 'uploads', Key: key, Metadata: options.metadata, ContentType: options.contentType }),
    {
      expiresIn: 300,
      ...(options.signContentType ? { signableHeaders: new Set(['content-type']) } : {}),
    },
  );

async function errorOf(res: Response) {
  const xml = await res.text();
  return {
    status: res.status,
    code: xml.match(/<Code>([^<]*)<\/Code>/)?.[1],
    message: xml.match(/<Message>([^<]*)<\/Message>/)?.[1],
  };
}

const exists = (key: string) =>
  client()
    .send(new HeadObjectCommand({ Bucket: 'uploads', Key: key }))
    .then(
      () => true,
      () => false,
    );

describe('presigned URLs', () => {
  it('a presigned PUT stores the object with the metadata it was signed with', async () => {
    const url = await putUrl('proposals/p/62.03.01.2011/usulan.csv', {
      metadata: { 'operator-email': 'op@desa.example' },
    });
    const res = await fetch(url, { method: 'PUT', body: 'NIK;Nama\n' });
    expect(res.status).toBe(200);
    const got = await client().send(
      new GetObjectCommand({ Bucket: 'uploads', Key: 'proposals/p/62.03.01.2011/usulan.csv' }),
    );
    expect(await got.Body!.transformToString()).toBe('NIK;Nama\n');
    expect(got.Metadata).toEqual({ 'operator-email': 'op@desa.example' });
  });

  it('a presigned GET reads, and the same URL cannot PUT', async () => {
    await client().send(new PutObjectCommand({ Bucket: 'uploads', Key: 'reports/r.json', Body: '{}' }));
    const url = await getSignedUrl(client(), new GetObjectCommand({ Bucket: 'uploads', Key: 'reports/r.json' }), {
      expiresIn: 60,
    });
    expect(await (await fetch(url)).text()).toBe('{}');
    expect(await errorOf(await fetch(url, { method: 'PUT', body: 'overwritten' }))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('a URL signed for one key cannot write another', async () => {
    const url = await putUrl('proposals/p/62.03.01.2011/a.csv');
    const other = url.replace('/a.csv?', '/b.csv?');
    expect(await errorOf(await fetch(other, { method: 'PUT', body: 'x' }))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    expect(await exists('proposals/p/62.03.01.2011/b.csv')).toBe(false);
  });

  it('a URL signed for one bucket cannot write another', async () => {
    const url = await putUrl('k.csv');
    const res = await fetch(url.replace('/uploads/', '/plain/'), { method: 'PUT', body: 'x' });
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('signed metadata cannot be changed, in the query or by an extra header', async () => {
    const url = await putUrl('m.csv', { metadata: { 'operator-email': 'op@desa.example' } });
    expect(url).toContain('x-amz-meta-operator-email=');
    const changed = url.replace(/x-amz-meta-operator-email=[^&]*/, 'x-amz-meta-operator-email=attacker%40evil.example');
    expect(await errorOf(await fetch(changed, { method: 'PUT', body: 'x' }))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });

    const plain = await putUrl('n.csv');
    const res = await fetch(plain, {
      method: 'PUT',
      body: 'x',
      headers: { 'x-amz-meta-operator-email': 'attacker@evil.example' },
    });
    expect(await errorOf(res)).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'There were headers present in the request which were not signed',
    });
    expect(await exists('m.csv')).toBe(false);
    expect(await exists('n.csv')).toBe(false);
  });

  it('a signed content-type must be sent as signed; an unsigned one may be anything, as in S3', async () => {
    const signed = await putUrl('t.csv', { contentType: 'text/csv', signContentType: true });
    expect(
      await errorOf(await fetch(signed, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/html' } })),
    ).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    expect((await fetch(signed, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/csv' } })).status).toBe(
      200,
    );

    const unsigned = await putUrl('u.csv', { contentType: 'text/csv' });
    expect(
      (await fetch(unsigned, { method: 'PUT', body: 'x', headers: { 'content-type': 'application/octet-stream' } }))
        .status,
    ).toBe(200);
  });

  it('an expired URL is refused', async () => {
    const url = await getSignedUrl(client(), new PutObjectCommand({ Bucket: 'uploads', Key: 'late.csv' }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 120_000),
    });
    expect(await errorOf(await fetch(url, { method: 'PUT', body: 'x' }))).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
    expect(await exists('late.csv')).toBe(false);
  });

  it('an unknown access key or a wrong secret is refused', async () => {
    const unknown = await putUrl('who.csv', {}, client('someone', 'local'));
    expect(await errorOf(await fetch(unknown, { method: 'PUT', body: 'x' }))).toMatchObject({
      status: 403,
      code: 'InvalidAccessKeyId',
    });
    const wrongSecret = await putUrl('who.csv', {}, client('local', 'guess'));
    expect(await errorOf(await fetch(wrongSecret, { method: 'PUT', body: 'x' }))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    expect(await exists('who.csv')).toBe(false);
  });

  it('a tampered signature or expiry is refused', async () => {
    const url = await putUrl('sig.csv');
    const flipped = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    expect(await errorOf(await fetch(flipped, { method: 'PUT', body: 'x' }))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    const longer = url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800');
    expect(await errorOf(await fetch(longer, { method: 'PUT', body: 'x' }))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
  });

  it("a URL presigned with the SDK's default checksum (CRC32 of no body) refuses a real body, as S3 does", async () => {
    const defaults = new S3Client({
      endpoint: s3.endpoint,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const url = await getSignedUrl(defaults, new PutObjectCommand({ Bucket: 'uploads', Key: 'crc.csv' }), {
      expiresIn: 60,
    });
    expect(url).toContain('x-amz-checksum-crc32=');
    expect(await errorOf(await fetch(url, { method: 'PUT', body: 'NIK;Nama\n' }))).toMatchObject({
      status: 400,
      code: 'BadDigest',
    });
    expect(await exists('crc.csv')).toBe(false);
  });

  it('a URL signed for another region is refused', async () => {
    const elsewhere = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const url = await getSignedUrl(elsewhere, new PutObjectCommand({ Bucket: 'uploads', Key: 'region.csv' }), {
      expiresIn: 60,
    });
    expect(await errorOf(await fetch(url, { method: 'PUT', body: 'x' }))).toMatchObject({
      status: 400,
      code: 'AuthorizationQueryParametersError',
    });
  });

  it('header-signed requests keep accepting any credentials (README: gap)', async () => {
    await client('test', 'test').send(new PutObjectCommand({ Bucket: 'uploads', Key: 'sdk.csv', Body: 'x' }));
    expect(await exists('sdk.csv')).toBe(true);
  });
});

describe('CORS from the bucket configuration', () => {
  const preflight = (path: string, headers: Record<string, string>) =>
    fetch(`${s3.endpoint}${path}`, { method: 'OPTIONS', headers });

  it('answers an allowed preflight with the rule, for a presigned URL too', async () => {
    const url = new URL(await putUrl('pre.csv'));
    const res = await preflight(url.pathname + url.search, {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'Content-Type, X-Amz-Meta-Operator-Email',
    });
    expect(res.status).toBe(200);
    expect(
      Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('access-control-') || k === 'vary')),
    ).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'PUT, POST',
      'access-control-allow-headers': 'content-type, x-amz-meta-operator-email',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '600',
      'access-control-allow-credentials': 'true',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });

  it('refuses a preflight whose origin, method or headers no rule allows', async () => {
    const refused = { status: 403, code: 'AccessForbidden' };
    expect(
      await errorOf(
        await preflight('/uploads/k', { origin: 'https://evil.example', 'access-control-request-method': 'PUT' }),
      ),
    ).toMatchObject(refused);
    expect(
      await errorOf(await preflight('/uploads/k', { origin: APP, 'access-control-request-method': 'DELETE' })),
    ).toMatchObject(refused);
    expect(
      await errorOf(
        await preflight('/uploads/k', {
          origin: APP,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'x-amz-acl',
        }),
      ),
    ).toMatchObject(refused);
  });

  it('refuses a preflight without an origin or method (400), and on a bucket without CORS (403)', async () => {
    expect(await errorOf(await preflight('/uploads/k', { 'access-control-request-method': 'PUT' }))).toMatchObject({
      status: 400,
      code: 'BadRequest',
    });
    expect(await errorOf(await preflight('/uploads/k', { origin: APP }))).toMatchObject({
      status: 400,
      code: 'BadRequest',
    });
    expect(
      await errorOf(await preflight('/plain/k', { origin: APP, 'access-control-request-method': 'GET' })),
    ).toMatchObject({
      status: 403,
      code: 'AccessForbidden',
      message: 'CORSResponse: CORS is not enabled for this bucket.',
    });
  });

  it('adds the matching rule to the actual request, also when it is refused', async () => {
    const url = await putUrl('cors.csv');
    const ok = await fetch(url, { method: 'PUT', body: 'x', headers: { origin: APP } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ok.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(ok.headers.get('etag')).toBeTruthy();

    const refused = await fetch(url.replace('/cors.csv?', '/other.csv?'), {
      method: 'PUT',
      body: 'x',
      headers: { origin: APP },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('a wildcard origin answers *, without credentials; no rule, no CORS headers', async () => {
    await client().send(new PutObjectCommand({ Bucket: 'uploads', Key: 'public.json', Body: '{}' }));
    const get = await fetch(`${s3.endpoint}/uploads/public.json`, { headers: { origin: 'https://anyone.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    expect(get.headers.get('access-control-allow-credentials')).toBeNull();

    const put = await fetch(await putUrl('x.csv'), {
      method: 'PUT',
      body: 'x',
      headers: { origin: 'https://anyone.example' },
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('access-control-allow-origin')).toBeNull();
  });
});
