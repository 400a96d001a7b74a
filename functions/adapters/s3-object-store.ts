import { GetObjectCommand, HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import type { ObjectStore } from '../ports/object-store';

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async get(ref: { key: string; versionId?: string }) {
    const out = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: ref.key, VersionId: ref.versionId }),
    );
    return {
      body: out.Body as Readable,
      contentType: out.ContentType,
      metadata: out.Metadata ?? {},
      size: out.ContentLength,
    };
  }

  async getText(key: string) {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return (await out.Body?.transformToString('utf-8')) ?? '';
  }

  async put(key: string, body: string | Buffer | Readable, contentType: string, metadata?: Record<string, string>) {
    // lib-storage streams bodies of unknown length in parts instead of buffering them.
    await new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, Metadata: metadata },
    }).done();
  }

  async head(ref: { key: string; versionId?: string }) {
    try {
      const out = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: ref.key, VersionId: ref.versionId }),
      );
      return { metadata: out.Metadata ?? {}, size: out.ContentLength };
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return undefined;
      throw error;
    }
  }
}
