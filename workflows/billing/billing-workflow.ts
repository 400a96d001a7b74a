import { Duration, TimeZone } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { bindMailer, type MailSender } from '../../infra/constructs/bindings';
import { JaringFunction, type JaringFunctionProps, type TableAccess } from '../../infra/constructs/jaring-function';
import { deadLetterQueue, WorkflowAlarms } from '../../infra/constructs/workflow-alarms';
import { billingStateMachine } from './state-machine';

export type BillingWorkflowProps = {
  stateMachineName: string;
  /** Schedule names (unique per account and region): the local stack fires them by name. */
  scheduleNames: { monthly: string; daily: string };
  /** Proposals are read only, by the due-date check, for each village operator's address. */
  tables: { coverage: ITableV2; bills: ITableV2; audit: ITableV2; proposals: ITableV2 };
  /** Bills' files and participants lists go under bills/ here. */
  uploads: IBucket;
  mail: MailSender;
  /** Base URL of the HTTP API, for the links in mail. */
  apiUrl: string;
  /** The Dinas Sosial team: told of every bill, and of overdue ones for villages with no operator on record. */
  opsEmail: string;
  /** Finance (BPKAD): pays the bills. */
  financeEmail: string;
  bpjsUrl: string;
  /** Days before the due date the reminder goes out. */
  reminderDays?: number;
  alarmTopic: ITopic;
};

/** Where a bill's files are: the only keys the billing functions may touch in the bucket. */
const BILLS_PREFIX = 'bills/';

/**
 * Contributions (issue 9): the monthly bill and the daily due-date check, their functions with what
 * each may touch, the state machine that runs them (./state-machine.ts), and the two schedules that
 * start it. Beside the enrollment workflow, with lists of its own.
 */
export class BillingWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly schedules: { monthly: Schedule; daily: Schedule };

  constructor(scope: Construct, id: string, props: BillingWorkflowProps) {
    super(scope, id);
    const { tables, uploads, mail } = props;
    const fn = (
      id: string,
      name: string,
      description: string,
      extra: Omit<JaringFunctionProps, 'entry' | 'description'> = {},
    ) => new JaringFunction(this, id, { entry: `functions/handlers/${name}.ts`, description, ...extra });
    // Bills are changed (payments, status, code), never deleted; their trail is appended to (after its
    // chain's end, which is read) and read back by the functions that record which steps and notices
    // were done (use-cases/bill-steps.ts).
    const withBills = (f: JaringFunction, bills: TableAccess) =>
      f
        .bindTable({ table: tables.bills, envVarName: 'BILLS_TABLE', access: bills })
        .bindTable({ table: tables.audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' });
    // Coverages change with every event, never deleted.
    const withCoverage = (f: JaringFunction) =>
      f.bindTable({ table: tables.coverage, envVarName: 'COVERAGE_TABLE', access: 'readUpdate' });
    // Files are read, and written new by the step that issues them; nothing deletes a bill's file.
    const billFiles = (f: JaringFunction, access: 'read' | 'readPut') => {
      f.bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'read', keyPrefixes: [BILLS_PREFIX] });
      if (access === 'readPut') {
        f.bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'put', keyPrefixes: [BILLS_PREFIX] });
      }
      return f;
    };
    const notices = { API_URL: props.apiUrl, OPS_EMAIL: props.opsEmail, FINANCE_EMAIL: props.financeEmail };

    const issueBills = billFiles(
      withCoverage(
        withBills(
          fn(
            'IssueBillsFunction',
            'billing-issue',
            "Issues the month's bills, writes their files, bills each participant",
            {
              timeout: Duration.minutes(15),
              memorySize: 1024,
            },
          ),
          'readUpdate',
        ),
      ),
      'readPut',
    );
    const requestPaymentCodes = withBills(
      fn('RequestPaymentCodesFunction', 'billing-payment-codes', 'Asks BPJS for a payment code per new bill', {
        environment: { BPJS_URL: props.bpjsUrl },
        timeout: Duration.minutes(5),
      }),
      'readUpdate',
    );
    const mailIssuedBills = bindMailer(
      withBills(
        fn('MailIssuedBillsFunction', 'billing-mail-issued', 'Mails finance and Dinas Sosial each new bill', {
          environment: notices,
        }),
        'read',
      ),
      mail,
    );
    const pollPayments = bindMailer(
      billFiles(
        withCoverage(
          withBills(
            fn('PollPaymentsFunction', 'billing-poll-payments', 'Records what BPJS received to each open bill', {
              environment: { ...notices, BPJS_URL: props.bpjsUrl },
              timeout: Duration.minutes(15),
            }),
            'readUpdate',
          ),
        ),
        'read',
      ),
      mail,
    );
    const checkDueDates = bindMailer(
      billFiles(
        withCoverage(
          withBills(
            fn('CheckDueDatesFunction', 'billing-check-due-dates', 'Reminders, overdue bills, arrears and lapses', {
              environment: { ...notices, BILL_REMINDER_DAYS: String(props.reminderDays ?? 3) },
              timeout: Duration.minutes(15),
            }),
            'readUpdate',
          ),
        ),
        'read',
      ),
      mail,
    );
    // The overdue notice finds each village's operator from its latest enrolled proposal: read only.
    checkDueDates.bindTable({ table: tables.proposals, envVarName: 'PROPOSALS_TABLE', access: 'read' });
    const functions = { issueBills, requestPaymentCodes, mailIssuedBills, pollPayments, checkDueDates };
    this.stateMachine = billingStateMachine(this, { stateMachineName: props.stateMachineName, functions });

    // What Scheduler could not hand the workflow after its retries waits here, and raises an alarm.
    const undelivered = deadLetterQueue(this, 'ScheduleDeadLetters');
    const start = (run: 'MONTHLY' | 'DAILY') =>
      new StepFunctionsStartExecution(this.stateMachine, {
        input: ScheduleTargetInput.fromObject({ run, scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: undelivered,
        retryAttempts: 8,
        // A run that could not start within a day is better re-fired by hand for its time.
        maxEventAge: Duration.hours(24),
      });
    this.schedules = {
      // One run bills every programme covering the month. 01:00 in Kapuas (WIB), after midnight's jobs;
      // no flexible window: the month's bill should not wait.
      monthly: new Schedule(this, 'MonthlyBillSchedule', {
        scheduleName: props.scheduleNames.monthly,
        description: "Issues every programme's bill for the month (1st, 01:00 WIB)",
        schedule: ScheduleExpression.cron({ minute: '0', hour: '1', day: '1', timeZone: TimeZone.ASIA_JAKARTA }),
        target: start('MONTHLY'),
        timeWindow: TimeWindow.off(),
      }),
      // Daily at 06:00 WIB: payments of the day before are known, and notices arrive at the start of work.
      daily: new Schedule(this, 'DailyDueDateSchedule', {
        scheduleName: props.scheduleNames.daily,
        description: 'Polls BPJS for payments, sends reminders, marks overdue bills, arrears and lapses (06:00 WIB)',
        schedule: ScheduleExpression.cron({ minute: '0', hour: '6', timeZone: TimeZone.ASIA_JAKARTA }),
        target: start('DAILY'),
        timeWindow: TimeWindow.off(),
      }),
    };

    new WorkflowAlarms(this, 'Alarms', {
      stateMachine: this.stateMachine,
      functions: Object.values(functions),
      deadLetterQueue: undelivered,
      topic: props.alarmTopic,
    });
  }
}
