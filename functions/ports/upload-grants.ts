import type { UploadGrant } from '../core/proposals/upload-grant-record';

/** Who was allowed to upload which key, kept so the arriving upload can name its uploader. */
export interface UploadGrants {
  put(grant: UploadGrant): Promise<void>;
  get(uploadKey: string, grantId: string): Promise<UploadGrant | undefined>;
}
