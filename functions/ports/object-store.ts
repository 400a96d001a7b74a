import type { Readable } from 'node:stream';

export type StoredObject = { body: Readable; contentType?: string; metadata: Record<string, string>; size?: number };

export interface ObjectStore {
  get(ref: { key: string; versionId?: string }): Promise<StoredObject>;
  getText(key: string): Promise<string>;
  /** `metadata` is the object's user metadata (S3 `x-amz-meta-*`), e.g. the upload grant a proposal came with. */
  put(
    key: string,
    body: string | Buffer | Readable,
    contentType: string,
    metadata?: Record<string, string>,
  ): Promise<void>;
  head(ref: {
    key: string;
    versionId?: string;
  }): Promise<{ metadata: Record<string, string>; size?: number } | undefined>;
}
