import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { UploadRef } from './proposal';

/**
 * The EventBridge "Object Created" event S3 sends for the uploads bucket; the event that starts
 * the enrollment workflow (its input as EventBridge delivers it to StartExecution).
 */
export const ObjectCreatedEvent = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  time: z.string(),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().optional(),
      etag: z.string().optional(),
      'version-id': z.string().optional(),
      sequencer: z.string().optional(),
    }),
    'request-id': z.string().optional(),
    requester: z.string().optional(),
    reason: z.string().optional(),
  }),
});
export type ObjectCreatedEvent = z.infer<typeof ObjectCreatedEvent>;

export function uploadOf(event: ObjectCreatedEvent): UploadRef {
  const { bucket, object } = event.detail;
  return {
    bucket: bucket.name,
    key: object.key,
    versionId: object['version-id'],
    sequencer: object.sequencer,
    etag: object.etag,
    size: object.size,
  };
}

/**
 * One object version makes one proposal, however often S3 delivers its event: the id is derived
 * from the version (or, where a store keeps no versions, the event's sequencer for that put).
 */
export function proposalIdFor(upload: UploadRef): string {
  const identity = `${upload.bucket}/${upload.key}#${upload.versionId ?? upload.sequencer ?? upload.etag ?? ''}`;
  return `prp-${createHash('sha256').update(identity).digest('hex').slice(0, 20)}`;
}
