import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaRuntime } from './lambda-runtime';
import { readBody } from './read-body';
import type { LocalResources } from './resources';

/**
 * Runs the template's custom resources that a Jaring function serves (the programme seed), as
 * CloudFormation does at a deployment: the function is invoked with a Create request and answers on
 * the request's ResponseURL, here a one-off local endpoint. Run at every start (an Update would do the
 * same: the seed puts only what is absent). CDK's own helpers (bucket notifications) have no place
 * locally and are skipped. A FAILED answer stops the start, as it would fail a deployment.
 */
export async function runCustomResources(
  resources: LocalResources,
  lambdas: LambdaRuntime,
  log: (line: string) => void,
) {
  const served = resources.stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources)
      .filter(([, r]) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource')
      .map(([logicalId, r]) => ({
        logicalId,
        type: r.Type,
        stack,
        props: resources.resolve(stack, r.Properties ?? {}),
      }))
      .filter(({ props }) => typeof props.ServiceToken === 'string' && isLocal(lambdas, props.ServiceToken as string)),
  );
  for (const { logicalId, type, stack, props } of served) {
    const answers: unknown[] = [];
    const server = createServer((req, res) => {
      void readBody(req).then((body) => {
        answers.push(JSON.parse(body.toString()));
        res.end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      await lambdas.invoke(props.ServiceToken as string, {
        RequestType: 'Create',
        ServiceToken: props.ServiceToken,
        ResponseURL: `http://127.0.0.1:${port}/${logicalId}`,
        StackId: `arn:aws:cloudformation:${resources.region}:${resources.account}:stack/${stack.stackName}/local`,
        RequestId: randomUUID(),
        LogicalResourceId: logicalId,
        ResourceType: type,
        ResourceProperties: props,
      });
    } finally {
      await new Promise((done) => server.close(done));
    }
    const answer = answers[0] as { Status?: string; Reason?: string; Data?: Record<string, string> } | undefined;
    if (answer?.Status !== 'SUCCESS')
      throw new Error(`Custom resource ${logicalId} (${type}): ${answer?.Reason ?? 'no answer on its ResponseURL'}`);
    log(`custom resource ${logicalId} (${type}): ${JSON.stringify(answer.Data ?? {})}`);
  }
}

function isLocal(lambdas: LambdaRuntime, arn: string) {
  try {
    lambdas.lookup(arn);
    return true;
  } catch {
    return false;
  }
}
