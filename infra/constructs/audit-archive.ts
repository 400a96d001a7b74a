import { ArnFormat, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ARCHIVE_PREFIXES } from '../../functions/core/audit/archive';
import { JaringFunction } from './jaring-function';
import { deadLetterQueue, FunctionAlarms } from './workflow-alarms';

/** The statuses an execution closes with: each one is archived. */
const CLOSED_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export type AuditArchiveProps = {
  /** The Object Lock bucket (stateful stack). */
  bucket: IBucket;
  audit: ITableV2;
  /** The project's state machines: each closed execution of these is archived. */
  stateMachines: StateMachine[];
  /** The daily schedule's name (unique per account and region): the local stack fires it by name. */
  scheduleName: string;
  alarmTopic: ITopic;
};

/**
 * The audit archive's writers (issue 11): a function that takes each closed execution's history into
 * the archive, started by Step Functions' status-change event, and a function that archives each UTC
 * day (events, executions, the chained digest), started daily by EventBridge Scheduler. What could not
 * be delivered or failed after Lambda's retries waits in a dead-letter queue with its alarm.
 */
export class AuditArchive extends Construct {
  readonly archiveExecution: JaringFunction;
  readonly archiveDay: JaringFunction;
  readonly rule: Rule;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: AuditArchiveProps) {
    super(scope, id);
    const { bucket, audit } = props;
    const undelivered = deadLetterQueue(this, 'DeadLetters');
    const archiveFunction = (fid: string, name: string, description: string, timeout: Duration) => {
      const fn = new JaringFunction(this, fid, { entry: `functions/handlers/${name}.ts`, description, timeout });
      // EventBridge and Scheduler invoke asynchronously: after Lambda's own retries the event waits here.
      fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(undelivered) });
      return fn;
    };

    // Writes an execution's file once (put, never delete; reads to find one already there), appends
    // EXECUTION_ARCHIVED, and reads the execution's history from Step Functions.
    this.archiveExecution = archiveFunction(
      'ArchiveExecutionFunction',
      'archive-execution',
      "Takes a closed execution's whole history into the audit archive",
      Duration.minutes(2),
    )
      .bindBucket({
        bucket,
        envVarName: 'AUDIT_ARCHIVE_BUCKET',
        access: 'put',
        keyPrefixes: [ARCHIVE_PREFIXES.executions],
      })
      .bindBucket({
        bucket,
        envVarName: 'AUDIT_ARCHIVE_BUCKET',
        access: 'read',
        keyPrefixes: [ARCHIVE_PREFIXES.executions],
      })
      // Appending reads the execution's chain end (and its 'once' guard) first.
      .bindTable({ table: audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' });
    const stack = Stack.of(this);
    this.archiveExecution.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: props.stateMachines.map((machine) =>
          stack.formatArn({
            service: 'states',
            resource: 'execution',
            resourceName: `${machine.stateMachineName}:*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ),
      }),
    );

    // Reads the day's events and the archive (digests, executions); writes the day's events and digest.
    this.archiveDay = archiveFunction(
      'ArchiveDayFunction',
      'archive-day',
      "Archives a UTC day's audit events and executions with a digest chained to the day before",
      Duration.minutes(15),
    )
      .bindBucket({ bucket, envVarName: 'AUDIT_ARCHIVE_BUCKET', access: 'read' })
      .bindBucket({
        bucket,
        envVarName: 'AUDIT_ARCHIVE_BUCKET',
        access: 'put',
        keyPrefixes: [ARCHIVE_PREFIXES.events, ARCHIVE_PREFIXES.digests],
      })
      .bindTable({ table: audit, envVarName: 'AUDIT_TABLE', access: 'read' });

    this.rule = new Rule(this, 'ExecutionClosedRule', {
      description: "Archives each closed execution of Jaring's state machines",
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: [...CLOSED_STATUSES],
          stateMachineArn: props.stateMachines.map((machine) => machine.stateMachineArn),
        },
      },
      targets: [
        new LambdaFunction(this.archiveExecution, {
          deadLetterQueue: undelivered,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    // 01:00 UTC: the day before is over everywhere Jaring runs, and its executions' events have arrived.
    this.schedule = new Schedule(this, 'DailySchedule', {
      scheduleName: props.scheduleName,
      description: 'Archives the UTC day before: its audit events, executions and chained digest (01:00 UTC)',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '1', timeZone: TimeZone.ETC_UTC }),
      target: new LambdaInvoke(this.archiveDay, {
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: undelivered,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
      timeWindow: TimeWindow.off(),
    });

    new FunctionAlarms(this, 'Alarms', {
      functions: [this.archiveExecution, this.archiveDay],
      topic: props.alarmTopic,
    });
    const deadLetters = new Alarm(this, 'DeadLettersAlarm', {
      metric: undelivered.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: 'An execution or a day that should have been archived is in the dead-letter queue',
    });
    deadLetters.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
