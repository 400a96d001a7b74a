import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventRouter } from '../../../infra/local/event-router';
import type { LambdaRuntime } from '../../../infra/local/lambda-runtime';
import { LocalResources } from '../../../infra/local/resources';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions-local';

/** A state machine that passes, one that fails, and the archive's rule (as the construct writes it) to a function. */
const template = {
  Resources: {
    Passes: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'jaring-dev-passes',
        DefinitionString: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
      },
    },
    Fails: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'jaring-dev-fails',
        DefinitionString: JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'c' } } }),
      },
    },
    ArchiveFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
    ClosedRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: 'Passes' }] },
        },
        Targets: [{ Arn: { 'Fn::GetAtt': ['ArchiveFunction', 'Arn'] }, Id: 'Target0' }],
      },
    },
  },
};

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function localStack() {
  dir = mkdtempSync(join(tmpdir(), 'jaring-archive-events-'));
  const resources = new LocalResources([{ stackName: 'stateless', template }], 'ap-southeast-3');
  const invoked: { arn: string; event: any }[] = [];
  const lambdas = {
    invoke: async (arn: string, event: unknown) => {
      invoked.push({ arn, event });
      return null;
    },
  } as unknown as LambdaRuntime;
  const sfn = new LocalStepFunctions(resources, lambdas, dir, () => undefined);
  const router = new LocalEventRouter(resources, {} as SFNClient, () => undefined, undefined, lambdas);
  const published: any[] = [];
  sfn.onStatusChange = (event) => {
    published.push(event);
    return router.publish(event);
  };
  return { sfn, invoked, published, arn: (id: string) => resources.stateMachineArn(id) };
}

describe('the local status-change events the archive listens to', () => {
  it("are published in AWS's shape when an execution starts and closes, and reach the rule's Lambda target", async () => {
    const { sfn, invoked, published, arn } = localStack();
    const { executionArn } = sfn.startExecution(arn('Passes'), '{"proposalId":"p1"}', 'run-1');
    await sfn.settled(executionArn);
    await new Promise((r) => setTimeout(r, 0));

    expect(published.map((e) => e.detail.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    const closed = published[1];
    expect(closed).toMatchObject({
      version: '0',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      region: 'ap-southeast-3',
      resources: [executionArn],
      detail: {
        executionArn,
        stateMachineArn: arn('Passes'),
        name: 'run-1',
        status: 'SUCCEEDED',
        input: '{"proposalId":"p1"}',
        output: '{"proposalId":"p1"}',
        inputDetails: { included: true },
        outputDetails: { included: true },
        error: null,
        cause: null,
        redriveCount: 0,
      },
    });
    expect(closed.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // Epoch milliseconds, as EventBridge carries them.
    expect(closed.detail.stopDate).toBeGreaterThanOrEqual(closed.detail.startDate);
    expect(closed.detail.startDate).toBeGreaterThan(1.7e12);
    expect(published[0].detail).toMatchObject({ status: 'RUNNING', stopDate: null, output: null, outputDetails: null });

    // Only the closed status matches the rule; the function gets the event whole.
    expect(invoked).toEqual([{ arn: expect.stringMatching(/:function:ArchiveFunction$/), event: closed }]);
  });

  it("carry a failure's error and cause, and reach no rule whose state machines do not include theirs", async () => {
    const { sfn, invoked, published, arn } = localStack();
    const { executionArn } = sfn.startExecution(arn('Fails'), '{}', 'run-2');
    await sfn.settled(executionArn);
    // (The local engine names a Fail state's error ExecutionError and wraps its cause; AWS gives Boom and c.)
    expect(published.at(-1).detail).toMatchObject({
      status: 'FAILED',
      error: expect.any(String),
      cause: expect.stringContaining('c'),
      output: null,
      outputDetails: null,
      redriveStatus: 'REDRIVABLE',
    });
    expect(invoked).toEqual([]);
  });
});
