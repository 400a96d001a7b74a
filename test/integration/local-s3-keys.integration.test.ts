import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Local, type S3ObjectCreated } from '../../infra/local/s3-local';

/**
 * Keys are the user's file names: whatever S3 stores, the local S3 must store inside its home and
 * give back exactly, and what S3 refuses it must refuse the same way, without falling over.
 */
const region = 'ap-southeast-3';
let root: string;
let s3: Awaited<ReturnType<typeof startS3Local>>;
const events: S3ObjectCreated[] = [];
let client: S3Client;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'jaring-keys-'));
  s3 = await startS3Local({
    port: 0,
    dataDir: join(root, 'home', 's3'),
    buckets: [{ name: 'uploads' }],
    credentials: { local: 'local' },
    region,
    onObjectCreated: (e) => events.push(e),
  });
  client = new S3Client({
    endpoint: s3.endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(() => s3?.stop());

async function roundTrip(key: string, body = `body of ${key}`) {
  await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: body }));
  const got = await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: key }));
  expect(await got.Body!.transformToString()).toBe(body);
  const listed = await client.send(new ListObjectsV2Command({ Bucket: 'uploads', Prefix: key }));
  expect(listed.Contents?.map((o) => o.Key)).toContain(key);
  expect(events.map((e) => e.key)).toContain(key);
}

/** A raw request, as no SDK would send it (no path normalisation, no signature). */
function raw(method: string, path: string, body = ''): Promise<{ status: number; body: string }> {
  const { port } = new URL(s3.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('keys the local S3 stores and gives back exactly', () => {
  it('a 950-character file name (S3 allows 1024 bytes)', async () => {
    await roundTrip(`proposals/kapuas-2026-apbd/62.03.01.2011/${'n'.repeat(950)}.csv`);
  });

  it('a key of 1024 bytes of multi-byte characters', async () => {
    await roundTrip('ü'.repeat(512));
  });

  it('keys with control characters (CR, LF, tab)', async () => {
    for (const key of [
      'proposals/p/v/usulan\r.csv',
      'proposals/p/v/us\r\nulan.csv',
      'proposals/p/v/us\nulan.csv',
      'proposals/p/v/\tusulan.csv',
      'k/\u0001\u001f\u007f',
    ])
      await roundTrip(key);
  });

  it('keys with %, +, spaces, unicode, trailing dots and spaces', async () => {
    for (const key of [
      'a/100%.csv',
      'a/%41.csv',
      'a/c++ (1).csv',
      'a/Désa Ñ 日本 🚀.csv',
      'a/trailing.',
      'a/trailing ',
      'a/./b',
      'a/../b',
      'a//b',
      '.hidden',
      '..',
    ])
      await roundTrip(key);
  });

  it('an object at a, another at a/b, and a "folder" object a/', async () => {
    for (const key of ['x', 'x/y', 'x/']) await roundTrip(key);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'uploads', Prefix: 'x' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['x', 'x/', 'x/y']);
    const grouped = await client.send(new ListObjectsV2Command({ Bucket: 'uploads', Prefix: 'x', Delimiter: '/' }));
    expect(grouped.Contents?.map((o) => o.Key)).toEqual(['x']);
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['x/']);
  });

  it('lists in UTF-8 byte order and pages without losing a key', async () => {
    const keys = ['o/a', 'o/a.b', 'o/a/b', 'o/a-b', 'o/B', 'o/\u{1F680}', 'o/\uFF21', 'o/a b'];
    for (const key of keys) await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: key }));
    const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const paged: string[] = [];
    for await (const page of paginateListObjectsV2({ client, pageSize: 2 }, { Bucket: 'uploads', Prefix: 'o/' }))
      paged.push(...(page.Contents ?? []).map((o) => o.Key!));
    expect(paged).toEqual(sorted);
  });

  it('pages common prefixes and keys together, each once (MaxKeys counts both, as in S3)', async () => {
    for (const key of ['g/1', 'g/a/1', 'g/a/2', 'g/b', 'g/c/1', 'g/d'])
      await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'x' }));
    const pages: { keys: string[]; prefixes: string[] }[] = [];
    for await (const page of paginateListObjectsV2(
      { client, pageSize: 2 },
      { Bucket: 'uploads', Prefix: 'g/', Delimiter: '/' },
    ))
      pages.push({
        keys: (page.Contents ?? []).map((o) => o.Key!),
        prefixes: (page.CommonPrefixes ?? []).map((p) => p.Prefix!),
      });
    expect(pages).toEqual([
      { keys: ['g/1'], prefixes: ['g/a/'] },
      { keys: ['g/b'], prefixes: ['g/c/'] },
      { keys: ['g/d'], prefixes: [] },
    ]);
  });

  it('encodes keys in a listing when asked to (encoding-type=url, as the AWS CLI asks)', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'e/a+b c%\r.csv', Body: 'x' }));
    const xml = await (await fetch(`${s3.endpoint}/uploads?list-type=2&prefix=e%2F&encoding-type=url`)).text();
    expect(xml).toContain('<Key>e%2Fa%2Bb%20c%25%0D.csv</Key>');
    expect(xml).toContain('<EncodingType>url</EncodingType>');
  });

  it('a multipart upload under a long key with a CR', async () => {
    const key = `m/${'p'.repeat(600)}\r.xlsx`;
    const body = Buffer.alloc(6 * 1024 * 1024, 7);
    await new Upload({ client, params: { Bucket: 'uploads', Key: key, Body: body }, partSize: 5 * 1024 * 1024 }).done();
    const head = await client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: key }));
    expect(head.ContentLength).toBe(body.length);
    expect(events.filter((e) => e.key === key)).toHaveLength(1);
  });

  it("an XML object's bytes are the object's (only S3's own XML answers carry CR as a reference)", async () => {
    const body = '<?xml version="1.0"?>\r\n<a>\r</a>';
    await client.send(
      new PutObjectCommand({ Bucket: 'uploads', Key: 'doc.xml', Body: body, ContentType: 'application/xml' }),
    );
    expect((await client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'doc.xml' }))).ContentLength).toBe(
      body.length,
    );
    expect(
      await (await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'doc.xml' }))).Body!.transformToString(),
    ).toBe(body);
  });

  it('copies and deletes odd keys without touching their neighbours', async () => {
    const long = `c/${'l'.repeat(900)}`;
    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: long, Body: 'long' }));
    await client.send(
      new CopyObjectCommand({ Bucket: 'uploads', Key: 'c/..', CopySource: `uploads/${encodeURIComponent(long)}` }),
    );
    expect(
      await (await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'c/..' }))).Body!.transformToString(),
    ).toBe('long');
    await client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: long }));
    await client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'c/..' }));
    const gone = await client
      .send(new HeadObjectCommand({ Bucket: 'uploads', Key: long }))
      .catch((e: { name: string }) => e.name);
    expect(gone).toBe('NotFound');
    expect(
      await (await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'x/y' }))).Body!.transformToString(),
    ).toBe('body of x/y');
  });
});

describe('what S3 refuses, refused the same way', () => {
  it('a key over 1024 bytes: 400 KeyTooLongError, and the server stays up', async () => {
    const error = await client
      .send(new PutObjectCommand({ Bucket: 'uploads', Key: 'k'.repeat(1025), Body: 'x' }))
      .catch((e: { name: string; $metadata: { httpStatusCode: number } }) => e);
    expect(error).toMatchObject({ name: 'KeyTooLongError', $metadata: { httpStatusCode: 400 } });
    await roundTrip('still-up');
  });
});

describe('nothing is written outside the home', () => {
  it('raw ../ and encoded dot segments stay keys inside the bucket, or are refused', async () => {
    const attempts = [
      '/uploads/../../escape-1',
      '/uploads/%2e%2e/%2E%2E/escape-2',
      '/../escape-3',
      '/%2e%2e/escape-4',
      '/uploads/..%2f..%2fescape-5',
      '/uploads/a/../../../../escape-6',
    ];
    for (const path of attempts) {
      const res = await raw('PUT', path, 'owned');
      expect(res.status, path).not.toBe(500);
    }
    const outside = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('escape'));
    expect(outside(root)).toEqual([]);
    expect(outside(join(root, 'home'))).toEqual([]);
    expect(outside(join(root, 'home', 's3'))).toEqual([]);
    expect(existsSync(join(root, '..', 'escape-1'))).toBe(false);
    expect(existsSync(join(root, '..', 'escape-3'))).toBe(false);
  });
});
