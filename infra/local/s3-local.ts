import { mkdirSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';
import S3rver from 's3rver';
import { decodeAwsChunked, mismatchedChecksum } from './aws-chunked';
import type { LocalResources } from './resources';
import { corsHeaders, preflight, type CorsConfiguration } from './s3-cors';
import { verifyPresigned, type S3Refusal } from './s3-presigned';
import { escapeXml, listObjectsV2 } from './s3-list';
import { KeySafeFilesystemStore } from './s3-store';

export type S3ObjectCreated = {
  bucket: string;
  key: string;
  size?: number;
  etag?: string;
  sequencer: string;
  eventName: string;
  sourceIp?: string;
};

/** A bucket as the template declares it: its name and, if it has one, its CORS configuration. */
export type S3BucketConfiguration = { name: string; cors?: CorsConfiguration };

/** Every AWS::S3::Bucket in the templates, with its local name and its CorsConfiguration. */
export function bucketsFromTemplates(resources: LocalResources): S3BucketConfiguration[] {
  return resources.resourcesOfType('AWS::S3::Bucket').map(({ stack, logicalId, resource }) => ({
    name: resources.ref(logicalId),
    cors: resources.resolve(stack, resource.Properties ?? {}).CorsConfiguration,
  }));
}

export type S3LocalOptions = {
  port: number;
  dataDir: string;
  buckets: S3BucketConfiguration[];
  /** Access key id to secret: the keys presigned URLs are verified with (an unknown key is refused, as in S3). */
  credentials: Record<string, string>;
  /** The region presigned URLs must be signed for, as the bucket's region in AWS (unchecked when absent). */
  region?: string;
  onObjectCreated: (e: S3ObjectCreated) => void;
};

/**
 * S3 on loopback: s3rver stores objects on disk; in front of it a small proxy does what s3rver
 * does not, or not as S3 does:
 * - decodes `aws-chunked` bodies with trailing checksums, which current SDKs and the CLI send by
 *   default (without it, uploads would be stored with the chunk framing inside the file), and
 *   checks their checksums;
 * - verifies presigned (query-string SigV4) requests, which s3rver accepts unverified. Requests
 *   signed in the Authorization header stay unverified: locally any credentials are accepted there
 *   (the README says so), and the proxy rewrites their bodies, which their signatures cover;
 * - answers CORS from the bucket's rules. The proxy does it rather than s3rver's CORS config
 *   because s3rver answers every preflight with `*` and without Max-Age or exposed headers, and
 *   because the refusals the proxy makes itself (a bad signature, a bad checksum) must carry the
 *   CORS headers too, or a browser sees an opaque network error instead of S3's error.
 */
export async function startS3Local(options: S3LocalOptions) {
  mkdirSync(options.dataDir, { recursive: true });
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.dataDir,
    // The proxy rewrites the body framing, so the signature no longer covers what s3rver sees.
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map(({ name }) => ({ name })),
  });
  // s3rver has no option for its store; the middleware reads it from the app's context.
  const store = new KeySafeFilesystemStore(options.dataDir);
  Object.assign(s3rver, { store });
  Object.assign((s3rver as unknown as { context: object }).context, { store });
  s3rver.on(
    'event',
    (event: {
      Records: {
        eventName: string;
        requestParameters?: { sourceIPAddress?: string };
        s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer: string } };
      }[];
    }) => {
      for (const record of event.Records) {
        if (!record.eventName.startsWith('ObjectCreated')) continue;
        const { bucket, object } = record.s3;
        options.onObjectCreated({
          bucket: bucket.name,
          key: object.key,
          size: object.size,
          etag: object.eTag,
          // s3rver's sequencer is the time in ms; two puts in one ms would collide, so add a counter.
          sequencer: `${object.sequencer}${String(nextSequence()).padStart(6, '0')}`,
          eventName: record.eventName,
          sourceIp: record.requestParameters?.sourceIPAddress,
        });
      }
    },
  );
  const inner = await s3rver.run();

  const cors = new Map(options.buckets.map((b) => [b.name, b.cors]));
  const proxy: Server = createServer((req, res) => {
    handle(req, res, {
      innerPort: inner.port,
      store,
      cors,
      credentials: options.credentials,
      region: options.region,
    }).catch((error: Error) => {
      if (res.headersSent) return void res.end();
      s3Error(res, { status: 500, code: 'InternalError', message: error.message });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(options.port, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      proxy.closeAllConnections();
      await closed;
      const inner = s3rver.close();
      s3rver.httpServer?.closeAllConnections();
      await inner;
    },
  };
}

/** No keep-alive to s3rver: an idle pooled connection would hold its server open at shutdown. */
const upstreamAgent = new Agent({ keepAlive: false });

let sequence = 0;
const nextSequence = () => (sequence = (sequence + 1) % 1_000_000);

/** s3rver knows one account; header-signed requests may use any credentials, as the README says. */
const S3RVER_KEY = 'S3RVER';

type ProxyContext = {
  innerPort: number;
  store: KeySafeFilesystemStore;
  cors: Map<string, CorsConfiguration | undefined>;
  credentials: Record<string, string>;
  region?: string;
};

async function handle(req: IncomingMessage, res: ServerResponse, context: ProxyContext) {
  const method = req.method ?? 'GET';
  const { url, host } = pathStyle(req.url ?? '/', String(req.headers.host ?? ''));
  const { bucket, key } = addressOf(url);
  const rules = bucket ? context.cors.get(bucket) : undefined;
  // What S3 refuses by name, refused before it reaches s3rver's filesystem.
  if (bucket !== undefined && !BUCKET_NAME.test(bucket))
    return s3Error(res, {
      status: 400,
      code: 'InvalidBucketName',
      message: 'The specified bucket is not valid.',
      detail: { BucketName: bucket },
    });
  if (key !== undefined && Buffer.byteLength(key) > MAX_KEY_BYTES)
    return s3Error(res, {
      status: 400,
      code: 'KeyTooLongError',
      message: 'Your key is too long',
      detail: { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: String(MAX_KEY_BYTES) },
    });
  if (method === 'OPTIONS') {
    const answer = preflight(rules, req.headers);
    if ('refusal' in answer) return s3Error(res, answer.refusal);
    res.writeHead(200, answer.headers);
    return void res.end();
  }
  const cors = corsHeaders(rules, req.headers, method);
  if (
    ['X-Amz-Signature', 'X-Amz-Algorithm', 'X-Amz-Credential'].some((name) => hasQueryParameter(req.url ?? '', name))
  ) {
    const refusal = await verifyPresigned({ method, rawUrl: req.url ?? '/', headers: req.headers }, context);
    if (refusal) return s3Error(res, refusal, cors);
  }
  if (method === 'GET' && bucket !== undefined && key === undefined && isListObjectsV2(url)) {
    const listed = await listObjectsV2(context.store, bucket, new URLSearchParams(url.split('?')[1]));
    if ('refusal' in listed) return s3Error(res, listed.refusal, cors);
    res.writeHead(200, { ...cors, 'content-type': 'application/xml' });
    return void res.end(listed.xml);
  }
  // A successful GET or HEAD of an object is the user's bytes; every other XML answer is S3's own, and may name keys.
  const objectBytes =
    (method === 'GET' || method === 'HEAD') && key !== undefined && !hasQueryParameter(url, 'uploadId');
  await forward(req, res, { innerPort: context.innerPort, url: routable(url, bucket, key), host, cors, objectBytes });
}

/**
 * Virtual-hosted style (`<bucket>.localhost:<port>`, what SDKs do for a `localhost` endpoint where that
 * name resolves): s3rver knows only path style, so the bucket moves into the path.
 */
function pathStyle(url: string, host: string): { url: string; host: string } {
  const vhost = host.match(/^([a-z0-9][a-z0-9.-]*)\.localhost(:\d+)?$/);
  return vhost ? { url: `/${vhost[1]}${url}`, host: `localhost${vhost[2] ?? ''}` } : { url, host };
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_KEY_BYTES = 1024;

/** The bucket and key a path-style request addresses, decoded as s3rver's router decodes them. */
function addressOf(pathStyleUrl: string): { bucket?: string; key?: string } {
  const path = pathStyleUrl.split('?')[0]!;
  const slash = path.indexOf('/', 1);
  const bucket = decode(slash < 0 ? path.slice(1) : path.slice(1, slash));
  const key = slash < 0 ? undefined : decode(path.slice(slash + 1));
  return { bucket: bucket || undefined, key: key || undefined };
}

/**
 * s3rver's router matches the key as slash-separated segments and finds no route for an empty one
 * (`a//b`, 404); with its slashes escaped the key is one segment, which the router decodes back.
 */
function routable(pathStyleUrl: string, bucket?: string, key?: string): string {
  if (bucket === undefined || key === undefined) return pathStyleUrl;
  const query = pathStyleUrl.indexOf('?');
  return `/${bucket}/${encodeURIComponent(key)}${query < 0 ? '' : pathStyleUrl.slice(query)}`;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const LIST_V2_PARAMETERS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
  'x-id',
]);

/** GET /<bucket>?list-type=2 with nothing but its own parameters (and a presigned URL's). */
function isListObjectsV2(url: string): boolean {
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  return (
    query.get('list-type') === '2' &&
    [...query.keys()].every((name) => LIST_V2_PARAMETERS.has(name) || name.startsWith('X-Amz-'))
  );
}

function hasQueryParameter(url: string, name: string): boolean {
  const query = url.split('?')[1] ?? '';
  return query.split('&').some((pair) => pair.split('=')[0] === name);
}

async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: { innerPort: number; url: string; host: string; cors: Record<string, string>; objectBytes: boolean },
) {
  const { innerPort, cors } = target;
  const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
  const copySource = headers['x-amz-copy-source'];
  // S3 URL-decodes the copy source; s3rver applies decodeURI, which leaves %2F, %2B, %3F ... encoded.
  // (No versions locally, so a `?versionId=` goes.)
  if (typeof copySource === 'string')
    headers['x-amz-copy-source'] = encodeURI(decode(copySource.split('?')[0]!).replace(/^\//, ''));
  // Hop-by-hop headers belong to the client's connection, not to the one to s3rver.
  delete headers.connection;
  delete headers['keep-alive'];
  if (typeof headers.authorization === 'string') {
    headers.authorization = headers.authorization
      .replace(/Credential=[^/]+\//, `Credential=${S3RVER_KEY}/`)
      .replace(/^AWS [^:]+:/, `AWS ${S3RVER_KEY}:`);
  }
  const path = target.url
    .replace(/X-Amz-Credential=[^%&]+(%2F|\/)/, `X-Amz-Credential=${S3RVER_KEY}$1`)
    .replace(/AWSAccessKeyId=[^&]+/, `AWSAccessKeyId=${S3RVER_KEY}`);
  let body: Buffer | undefined;
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  if (encoding.includes('aws-chunked') || sha.startsWith('STREAMING-')) {
    const raw = await readBody(req);
    const { payload, trailers } = decodeAwsChunked(raw);
    const bad = mismatchedChecksum(payload, { ...checksums(headers, target.url), ...trailers });
    if (bad) return s3Error(res, badDigest(bad), cors);
    body = payload;
    const rest = encoding
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && s !== 'aws-chunked');
    if (rest.length) headers['content-encoding'] = rest.join(',');
    else delete headers['content-encoding'];
    for (const h of ['x-amz-decoded-content-length', 'x-amz-trailer', 'transfer-encoding']) delete headers[h];
    headers['content-length'] = String(payload.length);
    headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  } else if (req.method === 'PUT' && Object.keys(checksums(headers, target.url)).length) {
    body = await readBody(req);
    const bad = mismatchedChecksum(body, checksums(headers, target.url));
    if (bad) return s3Error(res, badDigest(bad), cors);
  }
  await new Promise<void>((resolve, reject) => {
    const upstream = request(
      { host: '127.0.0.1', port: innerPort, method: req.method, path, headers, agent: upstreamAgent },
      (answer) => {
        const status = answer.statusCode ?? 500;
        if (
          req.method !== 'HEAD' &&
          String(answer.headers['content-type']).includes('xml') &&
          !(target.objectBytes && status < 300)
        ) {
          // XML parsers turn a raw CR into LF, so a key with a CR would come back changed (and, listed at
          // start-up, look like an upload nobody made). S3 sends it as a character reference.
          readBody(answer).then((xml) => {
            const text = Buffer.from(xml.toString('utf8').replaceAll('\r', '&#13;'));
            res.writeHead(status, { ...answer.headers, ...cors, 'content-length': String(text.length) });
            res.end(text, resolve);
          }, reject);
          return;
        }
        res.writeHead(status, { ...answer.headers, ...cors });
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      },
    );
    upstream.on('error', reject);
    if (body) upstream.end(body);
    else req.pipe(upstream);
  });
}

/**
 * The checksums a request declares: in headers, or (presigned URLs, where S3 reads `x-amz-*` query
 * parameters as headers) in the query. Current SDKs presign PutObject with the CRC32 of an empty
 * body unless the client says `requestChecksumCalculation: 'WHEN_REQUIRED'`; S3 then refuses the
 * upload, and so does this.
 */
function checksums(headers: IncomingMessage['headers'], url: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (k.startsWith('x-amz-checksum-') && typeof v === 'string') found[k] = v;
  for (const [k, v] of new URLSearchParams(url.split('?')[1] ?? ''))
    if (k.toLowerCase().startsWith('x-amz-checksum-')) found[k.toLowerCase()] = v;
  return found;
}

const badDigest = (name: string): S3Refusal => ({
  status: 400,
  code: 'BadDigest',
  message: `The ${name} you specified did not match the calculated checksum.`,
});

function s3Error(res: ServerResponse, refusal: S3Refusal, headers: Record<string, string> = {}) {
  const elements = Object.entries({ Code: refusal.code, Message: refusal.message, ...refusal.detail })
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  res.writeHead(refusal.status, { ...headers, 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error>${elements}</Error>`);
}
