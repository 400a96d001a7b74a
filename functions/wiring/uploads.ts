import { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../adapters/s3-object-store';
import { traced } from './observability';
import { setting } from './settings';

/**
 * One client per container, traced. The endpoint comes from the SDK's own AWS_ENDPOINT_URL_S3
 * setting; for the local stack's loopback IP the SDK addresses buckets path-style by itself.
 */
const s3 = traced(new S3Client({}));

/** The uploads bucket: proposals, their reports and work files. */
export const uploadsStore = () => new S3ObjectStore(s3, setting('UPLOADS_BUCKET'));
