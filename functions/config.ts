import { z } from 'zod';

/**
 * Everything a function learns from its environment, read once. CDK sets these on each function
 * (infra/constructs/jaring-function.ts); the local stack sets the same names.
 */
const Env = z.object({
  PROPOSALS_TABLE: z.string().default(''),
  PARTICIPANTS_TABLE: z.string().default(''),
  AUDIT_TABLE: z.string().default(''),
  QUOTAS_TABLE: z.string().default(''),
  UPLOADS_BUCKET: z.string().default(''),
  UPLOAD_GRANTS_TABLE: z.string().default(''),
  /** The user pool's app client the sign-in page signs in through. */
  USER_POOL_CLIENT_ID: z.string().default(''),
  /** Base URL of the HTTP API, for links in mail. */
  API_URL: z.string().default(''),
  STATE_MACHINE_ARN: z.string().default(''),
  MAIL_FROM: z.string().default('Jaring Dinas Sosial <jaring@localhost>'),
  /** Where notices with no known operator go (the Dinas Sosial team). */
  OPS_EMAIL: z.string().default('dinsos@localhost'),
  /** `ses` in AWS; `smtp` with SMTP_URL on the local stack. */
  MAIL_TRANSPORT: z.enum(['ses', 'smtp']).default('ses'),
  SMTP_URL: z.string().optional(),
  BPJS_URL: z.string().default(''),
});
export type Config = z.infer<typeof Env>;

let cached: Config | undefined;

export function config(): Config {
  cached ??= Env.parse(process.env);
  return cached;
}

/** Only for the local stack and tests, which set the environment after modules load. */
export function resetConfig(): void {
  cached = undefined;
}
