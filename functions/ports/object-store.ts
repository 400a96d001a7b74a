import type { Readable } from 'node:stream';

export type StoredObject = { body: Readable; contentType?: string; metadata: Record<string, string>; size?: number };

export interface ObjectStore {
  get(ref: { key: string; versionId?: string }): Promise<StoredObject>;
  getText(key: string): Promise<string>;
  put(key: string, body: string | Buffer | Readable, contentType: string): Promise<void>;
  head(ref: { key: string; versionId?: string }): Promise<{ metadata: Record<string, string>; size?: number } | undefined>;
}
