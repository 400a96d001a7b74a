import { App, Aspects, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { readDeploymentConfig } from './config';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

/** Builds the Jaring app: the same construct tree `cdk deploy`, the tests and the local stack use. */
export function buildApp(props: AppProps = {}) {
  // Set here rather than in cdk.json, so tests and the local stack build exactly what deploys:
  // the stateful stack keeps its exports for as long as the stateless one uses them.
  const app = new App({ ...props, context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...props.context } });
  const config = readDeploymentConfig((key) => app.node.tryGetContext(key));
  const prefix = `Jaring-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, { description: 'Jaring: uploads bucket and tables (kept across deployments)' });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, { stateful, config, description: 'Jaring: functions, enrollment workflow, API, mail' });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stateful, stateless, config };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildApp().app.synth();
}
