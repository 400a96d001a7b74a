import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../infra/app';
import { PROJECT_ROOT } from '../../infra/constructs/jaring-function';

export type CfnResource = {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
export type CfnTemplate = {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
  Metadata?: Record<string, any>;
};

/**
 * Synthesizes the app once per test file, into a directory of its own, with the context
 * `cdk deploy` gives it: cdk.json's feature flags change what CDK writes (bucket policies
 * instead of ACLs, merged IAM statements), so the tests must read the same templates AWS gets.
 * Bundling (esbuild per function) is what makes synth slow; only the file testing the bundles asks for it.
 */
export function synthesizeApp({ bundling }: { bundling: boolean }) {
  const cdkJsonContext = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context as Record<
    string,
    unknown
  >;
  const outdir = mkdtempSync(join(tmpdir(), 'jaring-infra-test-'));
  const cleanUp = () => rmSync(outdir, { recursive: true, force: true });
  try {
    const built = buildApp({
      outdir,
      context: { ...cdkJsonContext, ...(bundling ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    });
    const assembly = built.app.synth();
    const template = (stackName: string) => assembly.getStackByName(stackName).template as CfnTemplate;
    return {
      ...built,
      assembly,
      outdir,
      templates: { stateful: template(built.stateful.stackName), stateless: template(built.stateless.stackName) },
      cleanUp,
    };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** One resource by logical id; a missing one fails the test that asked, naming it. */
export function resourceIn(template: CfnTemplate, id: string): CfnResource {
  const found = template.Resources[id];
  if (!found) throw new Error(`No resource ${id} in the template`);
  return found;
}

/** Resources of one type, as [logicalId, resource] pairs. */
export const resourcesOfType = (template: CfnTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/**
 * Turns CloudFormation intrinsics into readable placeholders, so a document built with Fn::Join
 * (a state machine definition, an ARN) can be parsed and compared: a function's ARN becomes
 * `${LogicalId.Arn}`, the partition `aws`, an import `${Import:<export name>}`.
 */
export function tokensToText(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(tokensToText).join(separator);
  }
  if (v.Ref === 'AWS::Partition') return 'aws';
  if (v.Ref === 'AWS::Region') return 'region';
  if (v.Ref === 'AWS::AccountId') return '123456789012';
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  if (v['Fn::ImportValue']) return `\${Import:${v['Fn::ImportValue']}}`;
  throw new Error(`No placeholder for ${JSON.stringify(value)}`);
}
