import { buildApp } from '../app';

export type CfnResource = {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
  DependsOn?: unknown;
};
export type CfnTemplate = {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
};

/**
 * Synthesizes the very app `cdk deploy` deploys and hands back its templates: the local stack runs
 * what is in them, never a second description of the system. Asset bundling is skipped (the
 * local stack imports each function's entry module instead of its bundle).
 */
export function synthesizeTemplates(context: Record<string, unknown> = {}) {
  const { app, stateful, stateless, config } = buildApp({
    context: { ...context, 'aws:cdk:bundling-stacks': [] },
    outdir: undefined,
  });
  const assembly = app.synth();
  const template = (name: string) => assembly.getStackByName(name).template as CfnTemplate;
  return { stateful: template(stateful.stackName), stateless: template(stateless.stackName), config };
}
