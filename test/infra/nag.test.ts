import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { SynthesisMessage } from 'aws-cdk-lib/cx-api';
import type { Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { resourcesOfType, synthesizeApp, tokensToText, type CfnTemplate } from './synthesized-app';

const app = synthesizeApp({ bundling: false });
afterAll(app.cleanUp);

const stacks: [string, Stack, CfnTemplate][] = [
  ['stateful', app.stateful, app.templates.stateful],
  ['stateless', app.stateless, app.templates.stateless],
];

type Suppression = { id: string; reason: string; applies_to?: unknown[] };
const suppressionsIn = (template: CfnTemplate) => [
  ...((template.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Suppression[]).map((s) => ({ where: 'stack', ...s })),
  ...Object.entries(template.Resources).flatMap(([id, r]) =>
    ((r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Suppression[]).map((s) => ({ where: id, ...s })),
  ),
];

const show = (messages: SynthesisMessage[]) => messages.map((m) => `${m.id}: ${m.entry.data}`).join('\n');

describe.each(stacks)('cdk-nag AwsSolutions, %s stack', (_, stack, template) => {
  it('reports no unsuppressed error', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors, show(errors)).toEqual([]);
  });

  it('reports no unsuppressed warning', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(warnings, show(warnings)).toEqual([]);
  });

  it('says why for every suppression, in a sentence', () => {
    const suppressions = suppressionsIn(template);
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) {
      expect(s.id, s.where).toMatch(/^AwsSolutions-[A-Z0-9]+$/);
      expect(s.reason.trim().length, `${s.where} ${s.id}: "${s.reason}"`).toBeGreaterThanOrEqual(40);
    }
  });

  it('suppresses nothing that no longer needs it', () => {
    // cdk-nag's compliance report lists every finding a suppression hid.
    const report = readFileSync(join(app.outdir, `AwsSolutions-${stack.stackName}-NagReport.csv`), 'utf8');
    const suppressedRules = new Set(
      [...report.matchAll(/^"(AwsSolutions-[A-Z0-9]+)","[^"]*","Suppressed"/gm)].map((m) => m[1]),
    );
    for (const s of suppressionsIn(template))
      expect(suppressedRules, `${s.where} ${s.id} suppresses nothing`).toContain(s.id);
  });
});

describe('the stateless stack-wide IAM5 suppression', () => {
  it('covers only the wildcards its reason names: object keys, table indexes, function versions, services without resource ARNs', () => {
    const allowed = [
      /^\$\{Import:[^}]+Bucket[^}]+\}\/\*$/, // objects of one bucket
      /^\$\{Import:[^}]+Bucket[^}]+\}\/(proposals|reports|work|bills|renewals|claims|events|executions|digests)\/\*$/, // objects under one prefix of one bucket
      /^\$\{Import:[^}]+Bucket[^}]+\}\/bills\/\*\/\*\/payments\/\*$/, // payment proofs under each bill's payments/
      /^\$\{Import:[^}]+Table[^}]+\}\/index\/\*$/, // indexes of one table
      /^\$\{[A-Za-z0-9]+Function[A-Za-z0-9]+\.Arn\}:\*$/, // versions of one of our functions
      /^arn:aws:states:region:123456789012:execution:\$\{[A-Za-z0-9]+StateMachine[A-Za-z0-9]+\.Name\}:\*$/, // executions of one of our state machines
    ];
    // Services whose actions take no resource ARN.
    const resourceLess =
      /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|DeleteLogDelivery|DescribeLogGroups|DescribeResourcePolicies|GetLogDelivery|ListLogDeliveries|PutResourcePolicy|UpdateLogDelivery))$/;
    const unexplained: string[] = [];
    for (const [id, policy] of resourcesOfType(app.templates.stateless, 'AWS::IAM::Policy')) {
      for (const statement of policy.Properties?.PolicyDocument.Statement ?? []) {
        const actions = [statement.Action].flat() as string[];
        for (const resource of [statement.Resource].flat().map(tokensToText)) {
          if (!resource.includes('*')) continue;
          if (
            resource === '*' ? actions.every((a) => resourceLess.test(a)) : allowed.some((form) => form.test(resource))
          )
            continue;
          unexplained.push(`${id}: ${actions.join(',')} on ${resource}`);
        }
        for (const action of actions.filter((a) => a.includes('*'))) {
          // CDK's bucket grants use s3:GetObject*, s3:List* and the like; nothing broader than one verb family.
          if (!/^s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*$/.test(action))
            unexplained.push(`${id}: action ${action}`);
        }
      }
    }
    expect(unexplained, unexplained.join('\n')).toEqual([]);
  });
});
