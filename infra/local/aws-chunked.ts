import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Decodes an `aws-chunked` request body, which current AWS SDKs and the CLI send for uploads by
 * default (streaming, with a trailing checksum): `<hex size>[;chunk-signature=..]\r\n<data>\r\n`
 * ... `0\r\n<trailer>:<value>\r\n\r\n`. Returns the payload and its trailers.
 */
export function decodeAwsChunked(body: Buffer): { payload: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('aws-chunked: missing chunk header');
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size)) throw new Error('aws-chunked: bad chunk size');
    offset = lineEnd + 2;
    if (size === 0) break;
    chunks.push(body.subarray(offset, offset + size));
    offset += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(offset).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { payload: Buffer.concat(chunks), trailers };
}

const CHECKSUMS: Record<string, (data: Buffer) => string> = {
  'x-amz-checksum-crc32': (d) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(crc32(d));
    return b.toString('base64');
  },
  'x-amz-checksum-sha256': (d) => createHash('sha256').update(d).digest('base64'),
  'x-amz-checksum-sha1': (d) => createHash('sha1').update(d).digest('base64'),
};

/**
 * Checks a trailing or header checksum the way S3 does, for the algorithms Node computes natively.
 * Returns the name of a checksum that does not match, or undefined. (CRC32C and CRC64NVME are
 * accepted unchecked; see the README's table of local differences.)
 */
export function mismatchedChecksum(payload: Buffer, values: Record<string, string | undefined>): string | undefined {
  for (const [name, compute] of Object.entries(CHECKSUMS)) {
    const expected = values[name];
    if (expected && compute(payload) !== expected) return name;
  }
  return undefined;
}
