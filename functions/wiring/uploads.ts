import { s3Client, S3ObjectStore } from '../adapters/s3-object-store';
import { setting } from './settings';

/** The uploads bucket: proposals, their reports and work files. */
export const uploadsStore = () => new S3ObjectStore(s3Client, setting('UPLOADS_BUCKET'));
