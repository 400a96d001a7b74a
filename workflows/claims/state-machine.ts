import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  IntegrationPattern,
  JsonPath,
  StateMachine,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { lambdaTask, workflowStateMachine, type TaskRetryPolicy } from '../../infra/constructs/workflow-state-machine';

export type ClaimsFunctions = {
  open: IFunction;
  awaitDocuments: IFunction;
  remindDocuments: IFunction;
  awaitVerification: IFunction;
  requestApproval: IFunction;
  submitToBpjs: IFunction;
  checkBpjs: IFunction;
  recordPayout: IFunction;
};

/** Errors a retry cannot mend: bad input, a claim that is not there or not in the step's status, a setting to fix. */
const RETRY_POLICY: TaskRetryPolicy = {
  permanentErrors: [
    'ZodError',
    'ClaimNotFoundError',
    'ClaimStatusConflictError',
    'ClaimTransitionError',
    'BpjsRequestRejectedError',
    'ClaimNotSubmittableError',
    'NotEnoughApproversError',
    'BpjsClaimMissingError',
    'MissingSettingError',
  ],
  otherwise: { errors: ['States.ALL'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 3 },
};
/** BPJS outages and rate limits pass: wait longer between tries than for our own faults. */
const BPJS_RETRY: RetryProps = {
  errors: ['BpjsUnavailableError'],
  interval: Duration.seconds(10),
  backoffRate: 2,
  maxAttempts: 6,
};

/**
 * The claims workflow (issue 10), defined once for AWS and the local stack. Started with `{claimId}`
 * by the filing (POST /claims), or again by the document that completes a claim whose wait was parked.
 *
 *   Open -> AwaitDocuments (reminder on timeout, parked after the last) -> AwaitVerification
 *        -> AwaitApproval (until enough different approvers) -> SubmitToBpjs
 *        -> [Wait -> CheckBpjs]* -> RecordPayout
 *
 * The three waits on people park a task token on the claim (use-cases/claim-workflow.ts). BPJS is
 * polled: an outage that outlasts the retries goes back to waiting, never fails the claim; the
 * filing itself is idempotent by claim id, so BPJS gets it once. Only the claim id and timings
 * travel between states: no names, NIKs or accounts in the execution history.
 */
export function claimsStateMachine(
  scope: Construct,
  props: { functions: ClaimsFunctions; stateMachineName: string },
): StateMachine {
  const fn = props.functions;
  const step = { claimId: JsonPath.stringAt('$.claimId'), executionArn: JsonPath.executionId };
  const task = (id: string, lambdaFunction: IFunction, resultPath: string, retries: RetryProps[] = []) =>
    lambdaTask(scope, id, lambdaFunction, step, RETRY_POLICY, { resultPath, retries });
  const wait = (id: string, lambdaFunction: IFunction, resultPath: string, timeoutPath?: string) => {
    const t = new LambdaInvoke(scope, id, {
      lambdaFunction,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ ...step, taskToken: JsonPath.taskToken }),
      resultPath,
      ...(timeoutPath && { taskTimeout: Timeout.at(timeoutPath) }),
    });
    t.addRetry({ errors: [...RETRY_POLICY.permanentErrors], maxAttempts: 0 });
    t.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3 });
    return t;
  };
  const decided = (path: string, decision: string) => Condition.stringEquals(`${path}.decision`, decision);

  const open = task('OpenClaim', fn.open, '$.opened');
  const awaitDocuments = wait('AwaitDocuments', fn.awaitDocuments, '$.documents', '$.opened.documentReminderSeconds');
  const remind = task('RemindDocuments', fn.remindDocuments, '$.reminded');
  awaitDocuments.addCatch(remind, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
  remind.next(
    new Choice(scope, 'Stop waiting for documents?')
      .when(Condition.booleanEquals('$.reminded.park', true), new Succeed(scope, 'ParkedForDocuments'))
      .otherwise(awaitDocuments),
  );

  const awaitVerification = wait('AwaitVerification', fn.awaitVerification, '$.verification');
  const awaitApproval = wait('AwaitApproval', fn.requestApproval, '$.approval');
  const submit = task('SubmitToBpjs', fn.submitToBpjs, '$.submitted', [BPJS_RETRY]);
  const pollWait = new Wait(scope, 'WaitForBpjs', { time: WaitTime.secondsPath('$.opened.bpjsPollSeconds') });
  const check = task('CheckBpjs', fn.checkBpjs, '$.bpjs', [BPJS_RETRY]);
  // BPJS down for longer than the retries: wait and look again; the claim stays with BPJS.
  check.addCatch(pollWait, { errors: ['BpjsUnavailableError'], resultPath: '$.bpjsError' });
  const record = task('RecordPayout', fn.recordPayout, '$.payout', [
    BPJS_RETRY,
    // BPJS said PAID to the check but not (yet) to this read: look again shortly.
    { errors: ['PayoutNotConfirmedError'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3 },
  ]);
  record.addCatch(pollWait, {
    errors: ['PayoutNotConfirmedError', 'BpjsUnavailableError'],
    resultPath: '$.payoutError',
  });
  const stopped = new Succeed(scope, 'NothingToDo');

  const definition = open.next(
    new Choice(scope, 'Anything to do?').when(Condition.booleanEquals('$.opened.final', true), stopped).otherwise(
      awaitDocuments.next(
        new Choice(scope, 'Documents complete?').when(decided('$.documents', 'STOPPED'), stopped).otherwise(
          awaitVerification.next(
            new Choice(scope, 'Verified?')
              .when(
                decided('$.verification', 'VERIFIED'),
                awaitApproval.next(
                  new Choice(scope, 'Approved?')
                    .when(
                      decided('$.approval', 'APPROVALS_COMPLETE'),
                      submit
                        .next(pollWait)
                        .next(check)
                        .next(
                          new Choice(scope, 'BPJS decided?')
                            .when(
                              Condition.stringEquals('$.bpjs.state', 'PAID'),
                              record.next(new Succeed(scope, 'Paid')),
                            )
                            .when(
                              Condition.stringEquals('$.bpjs.state', 'REFUSED'),
                              new Succeed(scope, 'RefusedByBpjs'),
                            )
                            .otherwise(pollWait),
                        ),
                    )
                    // One approver of two approved: ask again (the next approver, or the answer at once).
                    .when(decided('$.approval', 'APPROVED'), awaitApproval)
                    .otherwise(new Succeed(scope, 'RejectedByApprover')),
                ),
              )
              .otherwise(new Succeed(scope, 'RejectedByVerifier')),
          ),
        ),
      ),
    ),
  );

  return workflowStateMachine(scope, {
    stateMachineName: props.stateMachineName,
    definition,
    // The longest the local engine can time (24.8 days): a claim waiting longer on documents is parked
    // (remind-documents.ts) and started again by its last document; one waiting longer on people or on
    // BPJS times out and shows as an execution alarm, to be looked at.
    timeout: Duration.days(24),
  });
}

/** The ARN from the name, for functions that answer its task tokens or start it (no dependency cycle). */
export const claimsStateMachineArnFor = (stack: Stack, name: string) =>
  stack.formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });

/** A second, small state machine: S3 -> EventBridge -> this -> document-arrived, as enrollment's upload rule. */
export function claimDocumentsStateMachine(
  scope: Construct,
  props: { documentArrived: IFunction; stateMachineName: string },
): StateMachine {
  const arrived = lambdaTask(
    scope,
    'DocumentArrived',
    props.documentArrived,
    { 'detail.$': '$.detail', 'time.$': '$.time' },
    RETRY_POLICY,
    { timeout: Duration.minutes(1) },
  );
  return workflowStateMachine(scope, {
    stateMachineName: props.stateMachineName,
    definition: arrived.next(new Succeed(scope, 'Recorded')),
    timeout: Duration.minutes(30),
  });
}
