import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Fail,
  IntegrationPattern,
  JsonPath,
  Pass,
  StateMachine,
  Succeed,
  TaskInput,
  Timeout,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { lambdaTask, workflowStateMachine, type TaskRetryPolicy } from '../../infra/constructs/workflow-state-machine';

export type EnrollmentFunctions = {
  registerUpload: IFunction;
  validateProposal: IFunction;
  requestApproval: IFunction;
  resolveApprovalTimeout: IFunction;
  submitToBpjs: IFunction;
  recordParticipants: IFunction;
  notify: IFunction;
  markFailed: IFunction;
};

/** Errors a retry cannot mend: bad input and broken invariants. Everything else gets retried. */
const RETRY_POLICY: TaskRetryPolicy = {
  permanentErrors: ['ZodError', 'BpjsRequestRejectedError', 'ProposalStatusConflictError', 'ProposalNotFoundError'],
  otherwise: { errors: ['States.TaskFailed'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 2 },
};

/**
 * The enrollment workflow, defined once: AWS runs what this synthesizes, and so does the local
 * stack (infra/local reads the same definition out of the synthesized template).
 *
 * Only ids and counts travel between states; rows live in S3 and DynamoDB (the 256 KB payload
 * limit would not hold a regency's list). Every task is idempotent, so S3 delivering an event
 * twice, a retry, or a re-drive of a FAILED proposal repeats nothing that was done.
 */
export function enrollmentStateMachine(
  scope: Construct,
  props: { functions: EnrollmentFunctions; stateMachineName: string },
): StateMachine {
  const fn = props.functions;
  const stage = { proposalId: JsonPath.stringAt('$.proposalId'), executionArn: JsonPath.executionId };

  const task = (
    id: string,
    lambdaFunction: IFunction,
    payload: Record<string, unknown>,
    extra: { timeout?: Duration; resultPath?: string; retries?: RetryProps[] } = {},
  ) => lambdaTask(scope, id, lambdaFunction, payload, RETRY_POLICY, extra);

  // Failures: record where the proposal stopped, then fail the execution so it shows as FAILED.
  const markFailed = task(
    'MarkFailed',
    fn.markFailed,
    { 'failure.$': '$', executionArn: JsonPath.executionId },
    { resultPath: '$.marked' },
  );
  markFailed.next(new Fail(scope, 'ProposalFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' }));
  const onFailure = (stageName: string, state: LambdaInvoke, fromEvent = false) => {
    const failure = new Pass(scope, `${state.id}Failed`, {
      parameters: fromEvent
        ? { 'event.$': '$', stage: stageName, 'error.$': '$.error' }
        : { 'proposalId.$': '$.proposalId', stage: stageName, 'error.$': '$.error' },
    });
    state.addCatch(failure.next(markFailed), { errors: ['States.ALL'], resultPath: '$.error' });
  };

  const register = task('RegisterUpload', fn.registerUpload, { 'event.$': '$', executionArn: JsonPath.executionId });
  const validate = task('ValidateProposal', fn.validateProposal, stage, { timeout: Duration.minutes(15) });
  const awaitApproval = new LambdaInvoke(scope, 'AwaitApproval', {
    lambdaFunction: fn.requestApproval,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({ ...stage, taskToken: JsonPath.taskToken }),
    // How long the approver has is the programme's setting, handed on by validation.
    taskTimeout: Timeout.at('$.approvalTimeoutSeconds'),
  });
  awaitApproval.addRetry({ errors: [...RETRY_POLICY.permanentErrors], maxAttempts: 0 });
  awaitApproval.addRetry({
    errors: ['States.TaskFailed'],
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxAttempts: 3,
  });
  const resolveTimeout = task('ResolveApprovalTimeout', fn.resolveApprovalTimeout, stage);
  awaitApproval.addCatch(resolveTimeout, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
  const submit = task('SubmitToBpjs', fn.submitToBpjs, stage, {
    timeout: Duration.minutes(15),
    retries: [
      // BPJS outages and rate limits pass; wait longer between tries than for our own faults.
      { errors: ['BpjsUnavailableError'], interval: Duration.seconds(10), backoffRate: 2, maxAttempts: 5 },
      // A run that stopped with batches left (the Lambda's time, or BPJS failing after some got through)
      // kept its progress: come straight back. Each such run answered a batch, so 100 covers a
      // 10,000-worker proposal even one batch at a time.
      { errors: ['BpjsSubmissionPausedError'], interval: Duration.seconds(1), backoffRate: 1, maxAttempts: 100 },
    ],
  });
  const record = task('RecordParticipants', fn.recordParticipants, stage, {
    retries: [
      // A run that stopped before its Lambda's end saved how many it recorded: come straight back for the rest.
      // A run records for ~8 minutes, a chunk of 1,000 people at least; 100 runs is far past a 200,000-row file.
      { errors: ['RecordingPausedError'], interval: Duration.seconds(1), backoffRate: 1, maxAttempts: 100 },
    ],
  });
  const notify = task('NotifyOutcome', fn.notify, stage);
  const done = new Succeed(scope, 'Done');

  // A notice that cannot be sent is recorded, but never turns an enrolled proposal into a failed one.
  const notifyFailed = task('RecordNotifyFailure', fn.markFailed, {
    failure: { 'proposalId.$': '$.proposalId', stage: 'notify', 'error.$': '$.error' },
    executionArn: JsonPath.executionId,
  });
  const doneWithoutNotice = new Succeed(scope, 'DoneWithoutNotice');
  notify.addCatch(notifyFailed.next(doneWithoutNotice), { errors: ['States.ALL'], resultPath: '$.error' });
  // Even failing to record the lost notice leaves the proposal as it was: the execution still succeeds.
  notifyFailed.addCatch(doneWithoutNotice, { errors: ['States.ALL'], resultPath: '$.recordError' });

  onFailure('register', register, true);
  onFailure('validate', validate);
  onFailure('approval', awaitApproval);
  onFailure('approval', resolveTimeout);
  onFailure('submit', submit);
  onFailure('record', record);

  const afterDecision = new Choice(scope, 'Approved?')
    .when(Condition.stringEquals('$.decision', 'APPROVED'), submit.next(record).next(notify))
    .otherwise(notify);
  resolveTimeout.next(afterDecision);
  notify.next(done);

  const definition = register.next(
    new Choice(scope, 'Upload accepted?')
      // S3 delivered the event again: the first execution carries the proposal, this one stops.
      .when(Condition.booleanEquals('$.duplicate', true), new Succeed(scope, 'RepeatedDelivery'))
      .when(
        Condition.booleanEquals('$.accepted', true),
        validate.next(
          new Choice(scope, 'Any valid rows?')
            .when(Condition.numberGreaterThan('$.valid', 0), awaitApproval.next(afterDecision))
            .otherwise(notify),
        ),
      )
      .otherwise(notify),
  );

  return workflowStateMachine(scope, {
    stateMachineName: props.stateMachineName,
    definition,
    // The approval wait may last the programme's whole approval window (at most 20 days).
    timeout: Duration.days(24),
  });
}

/**
 * The state machine's ARN built from its name. Functions the workflow calls back (task tokens)
 * are granted on this, not on the state machine's own token, which would make a dependency cycle.
 */
export const stateMachineArnFor = (stack: Stack, name: string) =>
  stack.formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
