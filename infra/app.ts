import { App, Aspects, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from './constructs/jaring-function';
import { readDeploymentConfig } from './config';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

/** Builds the Jaring app: the same construct tree `cdk deploy`, the tests and the local stack use. */
export function buildApp(props: AppProps = {}) {
  // The CDK CLI passes cdk.json's context (feature flags, stage); tests and the local stack call
  // this directly, so it reads the same file to build exactly what deploys.
  const cdkJson = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'cdk.json'), 'utf-8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({ ...props, context: { ...cdkJson.context, ...props.context } });
  const config = readDeploymentConfig((key) => app.node.tryGetContext(key));
  const prefix = `Jaring-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    description: 'Jaring: uploads bucket and tables (kept across deployments)',
    archiveRetentionYears: config.archiveRetentionYears,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    stateful,
    config,
    description: 'Jaring: functions, enrollment workflow, API, mail',
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stateful, stateless, config };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildApp().app.synth();
}
