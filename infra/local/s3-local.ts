import { mkdirSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';
import S3rver from 's3rver';
import { decodeAwsChunked, mismatchedChecksum } from './aws-chunked';

export type S3ObjectCreated = { bucket: string; key: string; size?: number; etag?: string; sequencer: string; eventName: string; sourceIp?: string };

/**
 * S3 on loopback: s3rver stores objects on disk; in front of it a small proxy decodes what s3rver
 * does not understand: `aws-chunked` bodies with trailing checksums, which current SDKs and the
 * CLI send by default. Without it, uploads made with default clients would be stored with the
 * chunk framing inside the file.
 */
export async function startS3Local(options: { port: number; dataDir: string; buckets: string[]; onObjectCreated: (e: S3ObjectCreated) => void }) {
  mkdirSync(options.dataDir, { recursive: true });
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.dataDir,
    // The proxy rewrites the body framing, so the signature no longer covers what s3rver sees.
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
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
  const inner = (await s3rver.run()) as AddressInfo;

  const proxy: Server = createServer((req, res) => {
    forward(req, res, inner.port).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>${error.message}</Message></Error>`);
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

/** s3rver knows one account; the local stack accepts any credentials, as the README says. */
const S3RVER_KEY = 'S3RVER';

async function forward(req: IncomingMessage, res: ServerResponse, innerPort: number) {
  const headers = { ...req.headers };
  // Hop-by-hop headers belong to the client's connection, not to the one to s3rver.
  delete headers.connection;
  delete headers['keep-alive'];
  if (typeof headers.authorization === 'string') {
    headers.authorization = headers.authorization.replace(/Credential=[^/]+\//, `Credential=${S3RVER_KEY}/`).replace(/^AWS [^:]+:/, `AWS ${S3RVER_KEY}:`);
  }
  // Virtual-hosted style (`<bucket>.localhost:<port>`, what SDKs do for a `localhost` endpoint where that
  // name resolves): s3rver knows only path style, so the bucket moves into the path.
  let url = req.url ?? '/';
  const host = String(headers.host ?? '');
  const vhost = host.match(/^([a-z0-9][a-z0-9.-]*)\.localhost(:\d+)?$/);
  if (vhost) {
    url = `/${vhost[1]}${url}`;
    headers.host = `localhost${vhost[2] ?? ''}`;
  }
  const path = url
    .replace(/X-Amz-Credential=[^%&]+(%2F|\/)/, `X-Amz-Credential=${S3RVER_KEY}$1`)
    .replace(/AWSAccessKeyId=[^&]+/, `AWSAccessKeyId=${S3RVER_KEY}`);
  let body: Buffer | undefined;
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  if (encoding.includes('aws-chunked') || sha.startsWith('STREAMING-')) {
    const raw = await readBody(req);
    const { payload, trailers } = decodeAwsChunked(raw);
    const bad = mismatchedChecksum(payload, { ...pick(headers), ...trailers });
    if (bad) return s3Error(res, 400, 'BadDigest', `The ${bad} you specified did not match the calculated checksum.`);
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
  } else if (req.method === 'PUT' && (headers['x-amz-checksum-crc32'] || headers['x-amz-checksum-sha256'] || headers['x-amz-checksum-sha1'])) {
    body = await readBody(req);
    const bad = mismatchedChecksum(body, pick(headers));
    if (bad) return s3Error(res, 400, 'BadDigest', `The ${bad} you specified did not match the calculated checksum.`);
  }
  await new Promise<void>((resolve, reject) => {
    const upstream = request({ host: '127.0.0.1', port: innerPort, method: req.method, path, headers, agent: upstreamAgent }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.on('error', reject);
    if (body) upstream.end(body);
    else req.pipe(upstream);
  });
}

function pick(headers: IncomingMessage['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k, v]) => k.startsWith('x-amz-checksum-') && typeof v === 'string')) as Record<string, string>;
}

function s3Error(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
