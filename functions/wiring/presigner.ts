import { S3Client } from '@aws-sdk/client-s3';
import { S3Presigner } from '../adapters/s3-presigner';
import { setting } from './settings';

// Presigned URLs must not carry the SDK's default checksum of an empty body (S3 would refuse the real
// file), so presigning uses a client that adds checksums only where S3 requires them. It is not traced:
// presigning calls nothing, and a trace header signed into the URL would be one the browser never sends.
export const presigner = () =>
  new S3Presigner(new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' }), setting('UPLOADS_BUCKET'));
