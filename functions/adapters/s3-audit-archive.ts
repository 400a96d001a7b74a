import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  paginateListObjectsV2,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ArchiveStore } from '../ports/execution-archive';

const absent = (error: unknown) =>
  error instanceof NoSuchKey || error instanceof NotFound || ['NoSuchKey', 'NotFound'].includes((error as Error)?.name);

/** S3 refused the write because the key has an object already (or a write to it is under way). */
const taken = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.$metadata.httpStatusCode === 412 ||
    error.name === 'PreconditionFailed' ||
    error.name === 'ConditionalRequestConflict');

/**
 * The archive bucket. In AWS its objects are locked (Object Lock, compliance mode) for the retention
 * the stack sets; a write never replaces one, so `create` checks first (HeadObject) and then writes
 * with `If-None-Match: *`, which S3 refuses (412) when another writer got there in between. The
 * local S3 (s3rver) ignores If-None-Match on PUT: there the HeadObject alone keeps a day or an
 * execution from being written twice, and two writers racing for one key would both write.
 * The SDK sends a CRC32 checksum with each PUT, which S3 requires for objects under Object Lock.
 */
export class S3AuditArchive implements ArchiveStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async list(prefix: string) {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: prefix }))
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    return keys;
  }

  async read(key: string) {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
    } catch (error) {
      if (absent(error)) return undefined;
      throw error;
    }
  }

  async writtenAt(key: string) {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.LastModified;
    } catch (error) {
      if (absent(error)) return undefined;
      throw error;
    }
  }

  async create(key: string, body: Buffer, contentType: string): Promise<'created' | 'exists'> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return 'exists';
    } catch (error) {
      if (!absent(error)) throw error;
    }
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, IfNoneMatch: '*' }),
      );
      return 'created';
    } catch (error) {
      if (taken(error)) return 'exists';
      throw error;
    }
  }
}
