import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { OBSERVABILITY } from './jaring-function';

/** How long a window an alarm counts over: a failure pages once within five minutes, not once a minute. */
const PERIOD = Duration.minutes(5);

/**
 * Where alarms go: an encrypted topic the on-call team's address subscribes to. CloudWatch may
 * publish to it (the key lets the service encrypt for it; an AWS-managed key would not).
 */
export class AlarmTopic extends Construct {
  readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: { email?: string }) {
    super(scope, id);
    const key = new Key(this, 'Key', { description: 'Encrypts Jaring alarm notices', enableKeyRotation: true });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'Topic', { displayName: 'Jaring alarms', masterKey: key, enforceSSL: true });
    if (props.email) topic.addSubscription(new EmailSubscription(props.email));
    this.topic = topic;
  }
}

/** A dead-letter queue for what a rule could not deliver: encrypted, reachable over TLS only, kept 14 days. */
export function deadLetterQueue(scope: Construct, id: string): IQueue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  NagSuppressions.addResourceSuppressions(queue, [
    {
      id: 'AwsSolutions-SQS3',
      reason:
        'It is a dead-letter queue itself, of an EventBridge rule target, which cdk-nag cannot see; ' +
        'its own alarm watches it.',
    },
  ]);
  return queue;
}

/** The custom metric mark-failed counts (functions/wiring/observability.ts), over the whole service. */
export const executionsFailedMetric = () =>
  new Metric({
    namespace: OBSERVABILITY.metricsNamespace,
    metricName: 'ExecutionsFailed',
    dimensionsMap: { service: OBSERVABILITY.serviceName },
    statistic: 'Sum',
    period: PERIOD,
  });

/** Alarms on functions: any error or throttle in a window. */
export class FunctionAlarms extends Construct {
  constructor(scope: Construct, id: string, props: { functions: IFunction[]; topic: ITopic }) {
    super(scope, id);
    for (const fn of props.functions) {
      const name = fn.node.id;
      raise(this, `${name}Errors`, fn.metricErrors({ period: PERIOD }), `${name} threw an error`, props.topic);
      raise(this, `${name}Throttles`, fn.metricThrottles({ period: PERIOD }), `${name} was throttled`, props.topic);
    }
  }
}

export type WorkflowAlarmsProps = {
  stateMachine: IStateMachine;
  /** The workflow's functions: each gets an error and a throttle alarm. */
  functions: IFunction[];
  /** Where the rule that starts the workflow leaves what it could not deliver. */
  deadLetterQueue: IQueue;
  /** A failure the workflow counts itself (mark-failed's ExecutionsFailed), beside the state machine's own. */
  failures?: IMetric;
  topic: ITopic;
};

/**
 * What an on-call engineer is told about a workflow: executions that failed, timed out or were
 * aborted, a function's errors or throttles, an event that never started it (dead letters), and
 * the failures the workflow counts itself. The next workflow gets the same with one call.
 */
export class WorkflowAlarms extends Construct {
  constructor(scope: Construct, id: string, props: WorkflowAlarmsProps) {
    super(scope, id);
    const { stateMachine, topic } = props;
    raise(this, 'ExecutionsFailed', stateMachine.metricFailed({ period: PERIOD }), 'An execution failed', topic);
    raise(this, 'ExecutionsTimedOut', stateMachine.metricTimedOut({ period: PERIOD }), 'An execution timed out', topic);
    raise(this, 'ExecutionsAborted', stateMachine.metricAborted({ period: PERIOD }), 'An execution was aborted', topic);
    new FunctionAlarms(this, 'Functions', { functions: props.functions, topic });
    raise(
      this,
      'DeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      'An event that should have started the workflow is in its dead-letter queue',
      topic,
    );
    if (props.failures)
      raise(this, 'FailuresCounted', props.failures, 'A stage failed after its retries (mark-failed)', topic);
  }
}

/** One alarm: at least one in a window, no data is no trouble, and the topic hears of it. */
function raise(scope: Construct, id: string, metric: IMetric, description: string, topic: ITopic) {
  const alarm = new Alarm(scope, id, {
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  return alarm;
}
