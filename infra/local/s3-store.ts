import { createHash } from 'node:crypto';
import { createWriteStream, readdirSync } from 'node:fs';
import { mkdir, readdir, rmdir, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * s3rver's filesystem store, with object keys mapped to paths so that every key S3 accepts is
 * stored inside the bucket's directory and comes back exactly:
 * - s3rver turns a key into a path as is, so `..` segments (raw, or `%2e%2e` decoded) leave the
 *   data directory, a segment over 255 bytes fails with ENAMETOOLONG on an unhandled stream error
 *   (which ended the whole process), and `a//b` is stored as `a/b`;
 * - it lists in directory order, not S3's UTF-8 byte order, and pages by comparing keys with that
 *   order, which loses keys.
 *
 * Each key segment (between slashes) becomes path components: `%` is escaped as `%25`; a leading
 * `.` and any `._S3rver_` (s3rver's file suffix) as `%2E`; an empty segment is `%`; a segment over
 * PIECE_BYTES is cut into pieces, each but the last ending in `%~`. None of these can come from a
 * key, so the mapping is one to one. (Data stored by s3rver itself before this, under keys with
 * `%` or a leading `.`, reads back under the decoded name.)
 */
const require = createRequire(import.meta.url);

type Metadata = Record<string, string>;
type StoredObject = { bucket: string; key: string; content: Buffer | Readable; metadata: Metadata };
type ListOptions = { delimiter?: string; startAfter?: string; prefix?: string; maxKeys?: number };
export type ListedObject = { key: string; size: number; lastModifiedDate: Date; metadata: Metadata };
interface FilesystemStore {
  rootDirectory: string;
  getBucket(bucket: string): Promise<object | null>;
  getMetadata(bucket: string, key: string): Promise<Metadata>;
  putMetadata(bucket: string, key: string, metadata: Metadata, md5?: string): Promise<void>;
}
const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (rootDirectory: string) => FilesystemStore;
const S3Object = require('s3rver/lib/models/object') as new (
  bucket: string,
  key: string,
  content: null,
  metadata: Metadata,
) => unknown;

const SUFFIX = '._S3rver_';
const OBJECT_SUFFIX = `${SUFFIX}object`;
/** Room for the longest suffix s3rver adds (`._S3rver_metadata.json`) and the escapes within 255 bytes. */
const PIECE_BYTES = 200;
const CONTINUED = '%~';

export class KeySafeFilesystemStore extends FilesystemStore {
  getBucketPath(bucket: string): string {
    if (!bucket || bucket === '.' || bucket === '..' || /[/\\]/.test(bucket))
      throw new Error(`Not a bucket name: ${JSON.stringify(bucket)}`);
    return inside(this.rootDirectory, join(this.rootDirectory, bucket));
  }

  getResourcePath(bucket: string, key = '', resource: string): string {
    const components = keyToComponents(key);
    const last = components.pop()!;
    const bucketPath = this.getBucketPath(bucket);
    return inside(bucketPath, join(bucketPath, ...components, `${last}${SUFFIX}${resource}`));
  }

  async putObject(object: StoredObject): Promise<{ size: number; md5: string }> {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    // pipeline settles on the file's errors too; s3rver left them unhandled.
    await pipeline(
      Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content,
      count,
      createWriteStream(objectPath),
    );
    const digest = md5.digest('hex');
    await this.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        unlink(this.getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
    // Empty directories the key made go with it, up to (not including) the bucket's.
    const bucketPath = this.getBucketPath(bucket);
    let dir = dirname(this.getResourcePath(bucket, key, 'object'));
    while (dir !== bucketPath && dir.startsWith(bucketPath + sep) && (await readdir(dir)).length === 0) {
      await rmdir(dir);
      dir = dirname(dir);
    }
  }

  /** Every key under `prefix`, in S3's order (UTF-8 bytes). */
  keys(bucket: string, prefix = ''): string[] {
    const bucketPath = this.getBucketPath(bucket);
    return [...objectFiles(bucketPath)]
      .map((file) => componentsToKey(relative(bucketPath, file).slice(0, -OBJECT_SUFFIX.length).split(sep)))
      .filter((key) => key.startsWith(prefix))
      .sort(byteCompare);
  }

  /** The objects (metadata, no content) under these keys; a key deleted meanwhile is left out. */
  async objects(bucket: string, keys: string[]): Promise<ListedObject[]> {
    const found = await Promise.all(
      keys.map(async (key) => {
        const metadata = await this.getMetadata(bucket, key).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        });
        return metadata && (new S3Object(bucket, key, null, metadata) as ListedObject);
      }),
    );
    return found.filter((o) => o !== undefined);
  }

  /**
   * ListObjects (V1, which s3rver serves; the proxy serves V2) as S3 does: keys in UTF-8 byte
   * order after `startAfter`; with a delimiter, keys sharing a prefix up to it come back once, as a
   * common prefix. A page holds up to `maxKeys` objects and ends before the next key of any kind,
   * so the next page (after the page's last object, s3rver's NextMarker) repeats no common prefix.
   */
  async listObjects(bucket: string, options: ListOptions) {
    const { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity } = options;
    const found: string[] = [];
    const commonPrefixes: string[] = [];
    let isTruncated = false;
    for (const key of this.keys(bucket, prefix).filter((k) => byteCompare(k, startAfter) > 0)) {
      const common = commonPrefix(key, prefix, delimiter);
      if (common !== undefined && commonPrefixes.at(-1) === common) continue;
      if (found.length >= maxKeys) {
        isTruncated = true;
        break;
      }
      if (common !== undefined) commonPrefixes.push(common);
      else found.push(key);
    }
    return { objects: await this.objects(bucket, found), commonPrefixes, isTruncated };
  }
}

/** The common prefix a key is listed under: up to and including the first delimiter after the prefix. */
export function commonPrefix(key: string, prefix: string, delimiter: string): string | undefined {
  const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
  return at >= 0 ? key.slice(0, at + delimiter.length) : undefined;
}

export const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The path components a key is stored under (the last one gets s3rver's resource suffix). */
export function keyToComponents(key: string): string[] {
  // The empty key is the bucket itself (s3rver keeps multipart uploads and bucket settings there).
  if (key === '') return [''];
  return key.split('/').flatMap((segment) => {
    if (segment === '') return ['%'];
    const escaped = segment.replaceAll('%', '%25').replaceAll(SUFFIX, `%2E${SUFFIX.slice(1)}`);
    const pieces = cut(escaped).map((piece) => (piece.startsWith('.') ? `%2E${piece.slice(1)}` : piece));
    return pieces.map((piece, i) => (i < pieces.length - 1 ? `${piece}${CONTINUED}` : piece));
  });
}

export function componentsToKey(components: string[]): string {
  const segments: string[] = [];
  let pending = '';
  for (const component of components) {
    if (component.endsWith(CONTINUED)) {
      pending += component.slice(0, -CONTINUED.length);
      continue;
    }
    const segment = pending + component;
    pending = '';
    segments.push(
      segment === '%'
        ? ''
        : segment.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    );
  }
  return segments.join('/');
}

/** Cuts an escaped segment into pieces of at most PIECE_BYTES, never inside an escape or a character. */
function cut(escaped: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  let bytes = 0;
  const tokens = escaped.match(/%[0-9A-F]{2}|[\s\S]/gu) ?? [];
  for (const token of tokens) {
    const size = Buffer.byteLength(token);
    if (bytes + size > PIECE_BYTES) {
      pieces.push(piece);
      piece = '';
      bytes = 0;
    }
    piece += token;
    bytes += size;
  }
  pieces.push(piece);
  return pieces;
}

function* objectFiles(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* objectFiles(path);
    else if (entry.name.endsWith(OBJECT_SUFFIX)) yield path;
  }
}

function inside(root: string, path: string): string {
  const resolved = resolve(path);
  if (!resolved.startsWith(resolve(root) + sep)) throw new Error(`Refusing a path outside ${root}: ${path}`);
  return resolved;
}
