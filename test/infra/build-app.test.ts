import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { synthesizeApp, type CfnTemplate } from './synthesized-app';

// What `cdk synth` builds: the app with cdk.json's context, as the CDK CLI passes it.
const deployed = synthesizeApp({ bundling: false });
afterAll(deployed.cleanUp);

it('buildApp on its own (as the local stack calls it) builds the templates cdk deploy builds', () => {
  const alone = buildApp({ outdir: join(deployed.outdir, 'alone'), context: { 'aws:cdk:bundling-stacks': [] } });
  const assembly = alone.app.synth();
  const differences = (name: string, expected: CfnTemplate) => {
    const actual = assembly.getStackByName(name).template as CfnTemplate;
    const ids = new Set([...Object.keys(expected.Resources), ...Object.keys(actual.Resources)]);
    return [...ids]
      .filter((id) => JSON.stringify(expected.Resources[id]) !== JSON.stringify(actual.Resources[id]))
      .map((id) => `${name}/${id}`);
  };
  const differing = [
    ...differences(deployed.stateful.stackName, deployed.templates.stateful),
    ...differences(deployed.stateless.stackName, deployed.templates.stateless),
  ];
  expect(
    differing,
    `resources that differ from what deploys (cdk.json context not applied?):\n${differing.join('\n')}`,
  ).toEqual([]);
});
