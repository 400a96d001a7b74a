import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Fail,
  type IChainable,
  JsonPath,
  StateMachine,
  Succeed,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { lambdaTask, workflowStateMachine, type TaskRetryPolicy } from '../../infra/constructs/workflow-state-machine';

export type BillingFunctions = {
  issueBills: IFunction;
  requestPaymentCodes: IFunction;
  mailIssuedBills: IFunction;
  pollPayments: IFunction;
  checkDueDates: IFunction;
};

/** Errors a retry cannot mend. Everything else gets retried. */
const RETRY_POLICY: TaskRetryPolicy = {
  permanentErrors: [
    'ZodError',
    'BpjsRequestRejectedError',
    'CoverageTransitionError',
    'PaymentConflictError',
    'MissingSettingError',
  ],
  otherwise: { errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3 },
};
/** BPJS outages and rate limits pass: wait longer between tries than for our own faults. */
const BPJS_RETRY: RetryProps = {
  errors: ['BpjsUnavailableError'],
  interval: Duration.seconds(30),
  backoffRate: 2,
  maxAttempts: 4,
};

/**
 * The billing workflow, defined once for AWS and the local stack (which reads it from the template).
 * Two runs, each started by its schedule with the time it was due (`scheduledTime`):
 *
 * - MONTHLY: issue the month's bills (one Lambda loops over the programmes and over each bill's
 *   participants, so a month is a handful of transitions whatever the count; one that runs out of
 *   time answers `more` and is run again), ask BPJS for their
 *   payment codes, mail finance and Dinas Sosial. A BPJS that stays down does not hold the mail
 *   back: the bills go out saying the code follows, and the daily run asks again.
 * - DAILY: ask BPJS what was paid to each open bill's code, then the due dates: reminders before,
 *   OVERDUE, ARREARS and LAPSED after. Polling that fails still lets the due-date check run.
 *
 * Only ids travel between states; every step is idempotent (bills once per month, coverage events
 * idempotent, each notice once per bill and kind), so a schedule that fires twice or a retry
 * repeats nothing.
 */
export function billingStateMachine(
  scope: Construct,
  props: { functions: BillingFunctions; stateMachineName: string },
): StateMachine {
  const fn = props.functions;
  const run = {
    run: JsonPath.stringAt('$.run'),
    scheduledTime: JsonPath.stringAt('$.scheduledTime'),
    executionArn: JsonPath.executionId,
  };

  const task = (
    id: string,
    lambdaFunction: IFunction,
    payload: Record<string, unknown>,
    resultPath: string,
    retries: RetryProps[] = [],
  ) => lambdaTask(scope, id, lambdaFunction, payload, RETRY_POLICY, { resultPath, retries });

  // A step that ran out of time with participants left answers `more`, and runs again (bill-steps.ts).
  const untilDone = (step: ReturnType<typeof task>, resultPath: string, then: IChainable) =>
    step.next(
      new Choice(scope, `${step.id} done?`)
        .when(Condition.booleanEquals(`${resultPath}.more`, true), step)
        .otherwise(then),
    );

  const issue = task('IssueBills', fn.issueBills, run, '$.issued');
  const withBills = { ...run, bills: JsonPath.objectAt('$.issued.bills') };
  const codes = task('RequestPaymentCodes', fn.requestPaymentCodes, withBills, '$.paymentCodes', [BPJS_RETRY]);
  const mail = task('MailIssuedBills', fn.mailIssuedBills, withBills, '$.mailed');
  codes.addCatch(mail, { errors: ['States.ALL'], resultPath: '$.paymentCodesError' });
  const monthly = untilDone(issue, '$.issued', codes.next(mail).next(new Succeed(scope, 'MonthBilled')));

  const poll = task('PollPayments', fn.pollPayments, run, '$.payments', [BPJS_RETRY]);
  const dueDates = task('CheckDueDates', fn.checkDueDates, run, '$.dueDates');
  poll.addCatch(dueDates, { errors: ['States.ALL'], resultPath: '$.paymentsError' });
  const daily = untilDone(poll, '$.payments', untilDone(dueDates, '$.dueDates', new Succeed(scope, 'DayChecked')));

  const definition = new Choice(scope, 'Which run?')
    .when(Condition.stringEquals('$.run', 'MONTHLY'), monthly)
    .when(Condition.stringEquals('$.run', 'DAILY'), daily)
    .otherwise(
      new Fail(scope, 'UnknownRun', { error: 'UnknownRun', cause: 'The input names no run this workflow has' }),
    );

  return workflowStateMachine(scope, {
    stateMachineName: props.stateMachineName,
    definition,
    // A run is minutes; BPJS's retries add a few. One still going after six hours is stuck.
    timeout: Duration.hours(6),
  });
}
