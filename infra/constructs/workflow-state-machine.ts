import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
  TaskInput,
  Timeout,
  type IChainable,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** How a workflow retries its Lambda tasks: never what a retry cannot mend, then specific, then the rest. */
export type TaskRetryPolicy = {
  /** Error names a retry cannot mend (bad input, broken invariants): not retried at all. */
  permanentErrors: readonly string[];
  /** The catch-all, after any retries the task names itself. */
  otherwise: RetryProps;
};

/**
 * A Lambda task as every workflow builds one: the payload is the function's whole input and its answer
 * the state's result, within 15 minutes (a Lambda's limit) unless the task says otherwise.
 */
export function lambdaTask(
  scope: Construct,
  id: string,
  lambdaFunction: IFunction,
  payload: Record<string, unknown>,
  policy: TaskRetryPolicy,
  extra: { timeout?: Duration; resultPath?: string; retries?: RetryProps[] } = {},
): LambdaInvoke {
  const task = new LambdaInvoke(scope, id, {
    lambdaFunction,
    payload: TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    resultPath: extra.resultPath,
    taskTimeout: Timeout.duration(extra.timeout ?? Duration.minutes(15)),
  });
  task.addRetry({ errors: [...policy.permanentErrors], maxAttempts: 0 });
  // The first matching retrier wins, so specific ones go before the catch-all.
  for (const retry of extra.retries ?? []) task.addRetry(retry);
  task.addRetry(policy.otherwise);
  return task;
}

/**
 * A workflow's state machine: standard (exactly once, a year of history), traced, and every state's
 * input and output logged for a year, so an engineer on call can see what each execution did.
 */
export function workflowStateMachine(
  scope: Construct,
  props: { stateMachineName: string; definition: IChainable; timeout: Duration },
): StateMachine {
  const logGroup = new LogGroup(scope, 'Logs', { retention: RetentionDays.ONE_YEAR });
  return new StateMachine(scope, 'StateMachine', {
    stateMachineName: props.stateMachineName,
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromChainable(props.definition),
    timeout: props.timeout,
    tracingEnabled: true,
    logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
  });
}
