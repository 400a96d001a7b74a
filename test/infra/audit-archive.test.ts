import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { resourceIn, resourcesOfType, synthesizeApp, tokensToText } from './synthesized-app';

const app = synthesizeApp({ bundling: false });
afterAll(app.cleanUp);

const { stateful, stateless, templates } = app;
const archiveId = stateful.getLogicalId(stateful.auditArchive.node.defaultChild as CfnElement);
const archive = resourceIn(templates.stateful, archiveId);

/** Every IAM statement of both stacks, with the resources as text (`${Import:...}` for the bucket). */
const statements = [
  ...resourcesOfType(templates.stateless, 'AWS::IAM::Policy'),
  ...resourcesOfType(templates.stateful, 'AWS::IAM::Policy'),
].flatMap(([id, policy]) =>
  (policy.Properties?.PolicyDocument.Statement as Record<string, any>[]).map((s) => ({
    id,
    effect: s.Effect as string,
    actions: [s.Action].flat() as string[],
    resources: [s.Resource].flat().map(tokensToText),
  })),
);
const onArchive = (resource: string) => resource.includes('AuditArchiveBucket');

describe('audit archive bucket', () => {
  it('locks every object in compliance mode for archiveRetentionYears (10 by default)', () => {
    expect(archive.Properties?.ObjectLockEnabled).toBe(true);
    expect(archive.Properties?.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 10 } },
    });
    expect(archive.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('takes its retention from the setting', () => {
    const other = buildApp({ context: { 'aws:cdk:bundling-stacks': [], archiveRetentionYears: '12' } });
    const bucket = other.stateful.auditArchive.node.defaultChild as { objectLockConfiguration?: unknown };
    expect(bucket.objectLockConfiguration).toEqual({
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: 12 } },
    });
  });

  it('is private, encrypted, reachable over TLS only, kept when the stack goes', () => {
    expect(archive.Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(archive.Properties?.BucketEncryption).toBeDefined();
    expect(archive.DeletionPolicy).toBe('Retain');
    const policy = resourcesOfType(templates.stateful, 'AWS::S3::BucketPolicy').find(
      ([, p]) => p.Properties?.Bucket?.Ref === archiveId,
    )?.[1];
    const denies = (policy?.Properties?.PolicyDocument.Statement as Record<string, any>[]).filter(
      (s) => s.Effect === 'Deny',
    );
    expect(denies.some((s) => s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    expect(denies.some((s) => [s.Action].flat().includes('s3:DeleteObjectVersion'))).toBe(true);
  });

  it('grants nobody a delete, and only the archive functions a put', () => {
    const allowed = statements.filter((s) => s.effect === 'Allow' && s.resources.some(onArchive));
    expect(allowed.length).toBeGreaterThan(0);
    for (const s of allowed) {
      for (const action of s.actions)
        expect(action, `${s.id} ${action}`).not.toMatch(/^s3:(Delete|\*|PutBucket|PutLifecycle)/);
      if (s.actions.some((a) => a.startsWith('s3:Put')))
        expect(s.id, s.actions.join()).toMatch(/^AuditArchiveArchive(Execution|Day)Function/);
    }
    // The execution archiver writes executions only; the day archiver events and digests only.
    const puts = (prefix: string) =>
      allowed
        .filter((s) => s.id.startsWith(prefix) && s.actions.includes('s3:PutObject'))
        .flatMap((s) => s.resources.map((r) => r.replace(/^.*\}\//, '')));
    expect(puts('AuditArchiveArchiveExecutionFunction').sort()).toEqual(['executions/*']);
    expect(puts('AuditArchiveArchiveDayFunction').sort()).toEqual(['digests/*', 'events/*']);
  });
});

describe('archive functions', () => {
  const rule = resourcesOfType(templates.stateless, 'AWS::Events::Rule').find(
    ([, r]) => r.Properties?.EventPattern?.source?.[0] === 'aws.states',
  )?.[1];

  it("archive each closed execution of every one of the project's state machines", () => {
    const pattern = rule?.Properties?.EventPattern;
    expect(pattern).toMatchObject({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
    });
    const machines = resourcesOfType(templates.stateless, 'AWS::StepFunctions::StateMachine').map(
      ([id]) => `\${${id}}`,
    );
    expect((pattern.detail.stateMachineArn as unknown[]).map(tokensToText).sort()).toEqual(machines.sort());
    const target = (rule?.Properties?.Targets as Record<string, any>[])[0]!;
    expect(tokensToText(target.Arn)).toMatch(/^\$\{AuditArchiveArchiveExecutionFunction[A-Z0-9]+\.Arn\}$/);
    expect(target.DeadLetterConfig).toBeDefined();
  });

  it('read histories of those executions only (and nothing else reads any other)', () => {
    const reads = statements.filter((s) => s.actions.includes('states:GetExecutionHistory'));
    expect(reads.map((s) => s.id)).toContainEqual(expect.stringMatching(/^AuditArchiveArchiveExecutionFunction/));
    const machines = resourcesOfType(templates.stateless, 'AWS::StepFunctions::StateMachine').map(([id]) => id);
    const executions = machines.map((id) => `arn:aws:states:region:123456789012:execution:\${${id}.Name}:*`).sort();
    const archiver = reads.find((s) => s.id.startsWith('AuditArchiveArchiveExecutionFunction'))!;
    expect(archiver.resources.sort()).toEqual(executions);
    for (const s of reads) for (const r of s.resources) expect(executions, s.id).toContain(r);
  });

  it('archive the day before, daily at 01:00 UTC, by the schedule', () => {
    const [, schedule] = resourcesOfType(templates.stateless, 'AWS::Scheduler::Schedule').find(
      ([, s]) => s.Properties?.Name === 'jaring-dev-audit-archive-daily',
    )!;
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
    });
    expect(JSON.parse(schedule.Properties?.Target.Input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
    expect(tokensToText(schedule.Properties?.Target.Arn)).toMatch(/AuditArchiveArchiveDayFunction/);
    expect(schedule.Properties?.Target.DeadLetterConfig).toBeDefined();
  });

  it('raise alarms on errors and dead letters', () => {
    const alarms = resourcesOfType(templates.stateless, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarms.filter((id) => id.startsWith('AuditArchive'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ArchiveExecutionFunctionErrors/),
        expect.stringMatching(/ArchiveDayFunctionErrors/),
        expect.stringMatching(/DeadLettersAlarm/),
      ]),
    );
    expect(stateless.node.tryFindChild('AuditArchive')).toBeDefined();
  });
});
