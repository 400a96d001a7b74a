import * as z from 'zod';

/**
 * Per-deployment settings, from CDK context (`cdk deploy -c stage=prod -c mailDomain=...`) or
 * cdk.json. One typed place, read once by the app.
 */
export const DeploymentConfig = z.object({
  stage: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('dev'),
  /** Domain Jaring sends mail from; SES must verify it (the stack creates the identity). */
  mailDomain: z.string().default('jaring.example.go.id'),
  /** Where notices without a known operator go: the Dinas Sosial team. */
  opsEmail: z.string().email().default('dinsos@jaring.example.go.id'),
  /** Finance (BPKAD), who pays the monthly contribution bills: told of each bill, reminded before it falls due. */
  financeEmail: z.string().email().default('keuangan@jaring.example.go.id'),
  /** The BPJS registration endpoint (the sandbox until a partner agreement gives a real one). */
  bpjsUrl: z.string().url().default('https://bpjs-sandbox.jaring.example.go.id'),
  /**
   * Years each object in the audit archive is locked (S3 Object Lock, compliance mode: nobody, the
   * account's root included, can delete or overwrite it before then). BPK audits a budget year years later.
   */
  archiveRetentionYears: z.coerce.number().int().min(1).max(100).default(10),
});
export type DeploymentConfig = z.infer<typeof DeploymentConfig>;

export function readDeploymentConfig(context: (key: string) => unknown): DeploymentConfig {
  return DeploymentConfig.parse({
    stage: context('stage'),
    mailDomain: context('mailDomain'),
    opsEmail: context('opsEmail'),
    financeEmail: context('financeEmail'),
    bpjsUrl: context('bpjsUrl'),
    archiveRetentionYears: context('archiveRetentionYears'),
  });
}
