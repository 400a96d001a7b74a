import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeAwsChunked, mismatchedChecksum } from '../../../infra/local/aws-chunked';

const crc32Base64 = (data: Buffer) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data));
  return b.toString('base64');
};
const sha256Base64 = (data: Buffer) => createHash('sha256').update(data).digest('base64');
const signature = (i: number) => createHash('sha256').update(`chunk-${i}`).digest('hex');

/** Encodes a body the way the AWS SDK streams an upload with a trailing checksum. */
function awsChunked(chunks: Buffer[], trailers: Record<string, string>, signed: boolean): Buffer {
  const sig = (i: number) => (signed ? `;chunk-signature=${signature(i)}` : '');
  const parts: Buffer[] = [];
  chunks.forEach((c, i) => parts.push(Buffer.from(`${c.length.toString(16)}${sig(i)}\r\n`), c, Buffer.from('\r\n')));
  const trailerLines = Object.entries(trailers).map(([k, v]) => `${k}:${v}\r\n`);
  if (signed) trailerLines.push(`x-amz-trailer-signature:${signature(chunks.length + 1)}\r\n`);
  parts.push(Buffer.from(`0${sig(chunks.length)}\r\n${trailerLines.join('')}\r\n`));
  return Buffer.concat(parts);
}

describe('decodeAwsChunked', () => {
  const payload = Buffer.from('NIK,Nama\n6203011205850001,Budi Santoso\n');

  it('decodes a signed single-chunk body and its checksum trailer', () => {
    const body = awsChunked([payload], { 'x-amz-checksum-crc32': crc32Base64(payload) }, true);
    const decoded = decodeAwsChunked(body);
    expect(decoded.payload.equals(payload)).toBe(true);
    expect(decoded.trailers['x-amz-checksum-crc32']).toBe(crc32Base64(payload));
    expect(decoded.trailers['x-amz-trailer-signature']).toBe(signature(2));
  });

  it('decodes an unsigned body (UNSIGNED-PAYLOAD-TRAILER)', () => {
    const body = awsChunked([payload], { 'x-amz-checksum-crc32': crc32Base64(payload) }, false);
    expect(body.toString('latin1').startsWith(`${payload.length.toString(16)}\r\n`)).toBe(true);
    const decoded = decodeAwsChunked(body);
    expect(decoded.payload.equals(payload)).toBe(true);
    expect(decoded.trailers).toEqual({ 'x-amz-checksum-crc32': crc32Base64(payload) });
  });

  it('joins several chunks of different sizes in order', () => {
    const data = randomBytes(200_000);
    const chunks = [data.subarray(0, 65_536), data.subarray(65_536, 131_072), data.subarray(131_072)];
    for (const signed of [true, false]) {
      const decoded = decodeAwsChunked(awsChunked(chunks, { 'x-amz-checksum-sha256': sha256Base64(data) }, signed));
      expect(decoded.payload.equals(data)).toBe(true);
      expect(decoded.trailers['x-amz-checksum-sha256']).toBe(sha256Base64(data));
    }
  });

  it('keeps binary data intact, including CRLF and "0\\r\\n" inside a chunk', () => {
    const binary = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]),
      Buffer.from('\r\n0\r\n\r\nab\r\n'),
      Buffer.from([0xfe, 0x0d, 0x0a]),
    ]);
    const decoded = decodeAwsChunked(awsChunked([binary, binary], {}, true));
    expect(decoded.payload.equals(Buffer.concat([binary, binary]))).toBe(true);
  });

  it('decodes an empty upload', () => {
    const decoded = decodeAwsChunked(Buffer.from('0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'));
    expect(decoded.payload.length).toBe(0);
    expect(decoded.trailers['x-amz-checksum-crc32']).toBe('AAAAAA==');
  });

  it('reads chunk sizes in hex, either case', () => {
    const data = Buffer.alloc(0xab, 7);
    const decoded = decodeAwsChunked(Buffer.concat([Buffer.from('AB\r\n'), data, Buffer.from('\r\n0\r\n\r\n')]));
    expect(decoded.payload.equals(data)).toBe(true);
  });

  it('lower-cases trailer names', () => {
    const decoded = decodeAwsChunked(Buffer.from('0\r\nX-Amz-Checksum-CRC32:y/Q5Jg==\r\n\r\n'));
    expect(decoded.trailers).toEqual({ 'x-amz-checksum-crc32': 'y/Q5Jg==' });
  });

  it('throws on a body that is not aws-chunked', () => {
    expect(() => decodeAwsChunked(Buffer.from('no chunk header here'))).toThrow(/missing chunk header/);
    expect(() => decodeAwsChunked(Buffer.from('zz\r\nabc\r\n0\r\n\r\n'))).toThrow(/bad chunk size/);
  });
});

describe('mismatchedChecksum', () => {
  const data = Buffer.from('123456789');

  it('accepts the right CRC32 (the standard check value 0xCBF43926)', () => {
    expect(crc32Base64(data)).toBe(Buffer.from([0xcb, 0xf4, 0x39, 0x26]).toString('base64'));
    expect(mismatchedChecksum(data, { 'x-amz-checksum-crc32': 'y/Q5Jg==' })).toBeUndefined();
  });

  it('names a wrong CRC32', () => {
    expect(mismatchedChecksum(data, { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('123456780')) })).toBe(
      'x-amz-checksum-crc32',
    );
  });

  it('accepts the right SHA256 and names a wrong one', () => {
    const right = createHash('sha256').update(data).digest('base64');
    expect(mismatchedChecksum(data, { 'x-amz-checksum-sha256': right })).toBeUndefined();
    expect(mismatchedChecksum(Buffer.from('12345678!'), { 'x-amz-checksum-sha256': right })).toBe(
      'x-amz-checksum-sha256',
    );
  });

  it('accepts the right SHA1 and names a wrong one', () => {
    const right = createHash('sha1').update(data).digest('base64');
    expect(mismatchedChecksum(data, { 'x-amz-checksum-sha1': right })).toBeUndefined();
    expect(mismatchedChecksum(data, { 'x-amz-checksum-sha1': 'AAAA' })).toBe('x-amz-checksum-sha1');
  });

  it('checks every checksum given: one wrong among right ones is found', () => {
    const values = { 'x-amz-checksum-crc32': 'y/Q5Jg==', 'x-amz-checksum-sha256': sha256Base64(Buffer.from('other')) };
    expect(mismatchedChecksum(data, values)).toBe('x-amz-checksum-sha256');
  });

  it('accepts a body with no checksum, or only ones it cannot compute (CRC32C, CRC64NVME)', () => {
    expect(mismatchedChecksum(data, {})).toBeUndefined();
    expect(
      mismatchedChecksum(data, {
        'x-amz-checksum-crc32c': 'AAAAAA==',
        'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=',
        'x-amz-checksum-crc32': undefined,
      }),
    ).toBeUndefined();
  });

  it('verifies the trailer of a decoded upload end to end', () => {
    const payload = randomBytes(70_000);
    const good = decodeAwsChunked(
      awsChunked(
        [payload.subarray(0, 65_536), payload.subarray(65_536)],
        { 'x-amz-checksum-crc32': crc32Base64(payload) },
        true,
      ),
    );
    expect(mismatchedChecksum(good.payload, good.trailers)).toBeUndefined();
    const corrupted = Buffer.from(payload);
    corrupted[100] = corrupted[100]! ^ 0xff;
    const bad = decodeAwsChunked(awsChunked([corrupted], { 'x-amz-checksum-crc32': crc32Base64(payload) }, false));
    expect(mismatchedChecksum(bad.payload, bad.trailers)).toBe('x-amz-checksum-crc32');
  });
});
