import type { S3Refusal } from './s3-presigned';
import { byteCompare, commonPrefix, type KeySafeFilesystemStore } from './s3-store';

/**
 * ListObjectsV2, served by the proxy from s3rver's store. s3rver's own fails on every truncated
 * page (its continuation token is DES-encrypted, which Node 22's OpenSSL no longer offers), and
 * ignores `encoding-type=url`, which the AWS CLI asks for and then decodes.
 *
 * As in S3: keys in UTF-8 byte order; with a delimiter, keys sharing a prefix up to it come back
 * once, as a common prefix; MaxKeys (at most 1000) counts keys and common prefixes; the
 * continuation token resumes after the last of them (after every key under a common prefix).
 */
export async function listObjectsV2(
  store: KeySafeFilesystemStore,
  bucket: string,
  query: URLSearchParams,
): Promise<{ status: 200; xml: string } | { refusal: S3Refusal }> {
  if (!(await store.getBucket(bucket)))
    return {
      refusal: {
        status: 404,
        code: 'NoSuchBucket',
        message: 'The specified bucket does not exist',
        detail: { BucketName: bucket },
      },
    };
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const encodingType = query.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url')
    return {
      refusal: {
        status: 400,
        code: 'InvalidArgument',
        message: 'Invalid Encoding Method specified in Request',
        detail: { ArgumentName: 'encoding-type' },
      },
    };
  const maxKeysParam = query.get('max-keys');
  if (maxKeysParam !== null && !/^\d+$/.test(maxKeysParam))
    return {
      refusal: {
        status: 400,
        code: 'InvalidArgument',
        message: 'Provided max-keys not an integer or within integer range',
        detail: { ArgumentName: 'max-keys' },
      },
    };
  const maxKeys = Math.min(1000, maxKeysParam === null ? 1000 : Number(maxKeysParam));
  const continuationToken = query.get('continuation-token') ?? undefined;
  const resume = continuationToken === undefined ? undefined : readToken(continuationToken);
  if (continuationToken !== undefined && !resume)
    return {
      refusal: {
        status: 400,
        code: 'InvalidArgument',
        message: 'The continuation token provided is incorrect',
        detail: { ArgumentName: 'continuation-token' },
      },
    };
  const startAfter = query.get('start-after') ?? '';
  const owner = query.get('fetch-owner') === 'true' ? OWNER : '';

  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let last: Token | undefined;
  let isTruncated = false;
  for (const key of store.keys(bucket, prefix)) {
    if (resume ? !isAfter(key, resume) : byteCompare(key, startAfter) <= 0) continue;
    const common = commonPrefix(key, prefix, delimiter);
    if (common !== undefined && commonPrefixes.at(-1) === common) continue;
    if (keys.length + commonPrefixes.length >= maxKeys) {
      isTruncated = true;
      break;
    }
    if (common !== undefined) commonPrefixes.push(common);
    else keys.push(key);
    last = common !== undefined ? { after: common, prefix: true } : { after: key, prefix: false };
  }
  const objects = await store.objects(bucket, keys);

  const out = (s: string) => escapeXml(encodingType === 'url' ? encodeURIComponent(s) : s);
  const element = (name: string, value: string | number | undefined) =>
    value === undefined ? '' : `<${name}>${value}</${name}>`;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    element('Name', escapeXml(bucket)),
    element('Prefix', out(prefix)),
    element('Delimiter', delimiter ? out(delimiter) : undefined),
    element('MaxKeys', maxKeys),
    element('EncodingType', encodingType),
    element('KeyCount', objects.length + commonPrefixes.length),
    element('IsTruncated', String(isTruncated)),
    element('ContinuationToken', continuationToken === undefined ? undefined : escapeXml(continuationToken)),
    element('NextContinuationToken', isTruncated && last ? writeToken(last) : undefined),
    element('StartAfter', startAfter ? out(startAfter) : undefined),
    ...objects.map(
      (o) =>
        `<Contents><Key>${out(o.key)}</Key><LastModified>${o.lastModifiedDate.toISOString()}</LastModified>` +
        `<ETag>${escapeXml(o.metadata.etag ?? '')}</ETag><Size>${o.size}</Size>${owner}<StorageClass>STANDARD</StorageClass></Contents>`,
    ),
    ...commonPrefixes.map((p) => `<CommonPrefixes><Prefix>${out(p)}</Prefix></CommonPrefixes>`),
    '</ListBucketResult>',
  ].join('');
  return { status: 200, xml };
}

/** s3rver's one account, as its other answers name it. */
const OWNER = '<Owner><ID>123456789000</ID><DisplayName>S3rver</DisplayName></Owner>';

type Token = { after: string; prefix: boolean };

const isAfter = (key: string, token: Token) =>
  byteCompare(key, token.after) > 0 && !(token.prefix && key.startsWith(token.after));

/** Opaque to clients, as S3's is. */
const writeToken = (token: Token) => Buffer.from(JSON.stringify(token)).toString('base64');

function readToken(token: string): Token | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Partial<Token>;
    return typeof parsed.after === 'string' && typeof parsed.prefix === 'boolean'
      ? { after: parsed.after, prefix: parsed.prefix }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Text for XML: markup escaped, and CR as a reference (a parser would read a raw one as LF). */
export const escapeXml = (s: string) => s.replace(/[&<>"'\r]/g, (c) => `&#${c.charCodeAt(0)};`);
