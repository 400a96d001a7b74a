import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Presigner } from '../ports/presigner';

export class S3Presigner implements Presigner {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async uploadUrl(key: string, metadata: Record<string, string>, expiresIn: number) {
    const headers = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));
    const url = await getSignedUrl(
      this.s3,
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Metadata: metadata }),
      {
        expiresIn,
        // Kept as signed headers rather than hoisted into the query: the browser must send them, and
        // S3 stores them as the object's metadata, which a query parameter would not guarantee.
        unhoistableHeaders: new Set(Object.keys(headers)),
      },
    );
    return { url, headers };
  }

  async downloadUrl(key: string, expiresIn: number, fileName?: string) {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: fileName
          ? `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`
          : undefined,
      }),
      { expiresIn },
    );
  }
}
