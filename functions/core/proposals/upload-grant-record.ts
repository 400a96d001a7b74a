import * as z from 'zod';

/**
 * What the API granted: one signed-in user may put one key until it expires. Its own module, so the
 * UploadGrants port can name it without importing the use cases that call that port.
 */
export const UploadGrant = z.object({
  uploadKey: z.string(),
  grantId: z.string(),
  programmeId: z.string(),
  villageCode: z.string(),
  fileName: z.string(),
  /** The signed-in user (Cognito sub), their username and mail address. */
  userId: z.string(),
  username: z.string(),
  email: z.string().email().optional(),
  actor: z.string(),
  grantedAt: z.string(),
  expiresAt: z.string(),
});
export type UploadGrant = z.infer<typeof UploadGrant>;
