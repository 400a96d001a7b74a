import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA, OBSERVABILITY } from '../../infra/constructs/jaring-function';
import { resourceIn, resourcesOfType, synthesizeApp } from './synthesized-app';

const app = synthesizeApp({ bundling: false });
afterAll(app.cleanUp);

const template = app.templates.stateless;
const assertions = Template.fromJSON(template);
const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Record<string, any>);
const topics = resourcesOfType(template, 'AWS::SNS::Topic').map(([id]) => id);

/** The alarms on one metric whose dimension is the given reference (a Ref or a GetAtt, as CloudFormation writes it). */
const alarmsOn = (namespace: string, metricName: string, dimension: unknown) =>
  alarms.filter(
    (a) =>
      a.Namespace === namespace &&
      a.MetricName === metricName &&
      JSON.stringify(a.Dimensions ?? []).includes(JSON.stringify(dimension)),
  );
/** An alarm tells somebody: its action is the alarm topic. */
const toldToTopic = (alarm: Record<string, any>) =>
  (alarm.AlarmActions as unknown[]).some((a) => topics.includes((a as { Ref?: string }).Ref ?? ''));

const functions = resourcesOfType(template, 'AWS::Lambda::Function').filter(([, fn]) => fn.Metadata?.[ENTRY_METADATA]);
const [stateMachineId] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[0] ?? [];

describe('alarms', () => {
  it('has a topic the ops address subscribes to, encrypted and TLS-only', () => {
    assertions.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: app.config.opsEmail });
    assertions.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    assertions.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it.each(functions.map(([id, fn]) => [fn.Metadata?.[ENTRY_METADATA] as string, id]))(
    '%s has an Errors and a Throttles alarm',
    (_, id) => {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmsOn('AWS/Lambda', metric, { Name: 'FunctionName', Value: { Ref: id } });
        expect(found, `${metric} of ${id}`).toHaveLength(1);
        expect(toldToTopic(found[0]!)).toBe(true);
      }
    },
  );

  it('watches the state machine for failed, timed-out and aborted executions', () => {
    expect(stateMachineId).toBeDefined();
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      const found = alarmsOn('AWS/States', metric, { Name: 'StateMachineArn', Value: { Ref: stateMachineId } });
      expect(found, metric).toHaveLength(1);
      expect(found[0]!.Threshold).toBe(1);
      expect(toldToTopic(found[0]!)).toBe(true);
    }
  });

  it('watches the failures mark-failed counts (a failing BPJS run shows up here)', () => {
    const found = alarmsOn(OBSERVABILITY.metricsNamespace, 'ExecutionsFailed', {
      Name: 'service',
      Value: OBSERVABILITY.serviceName,
    });
    expect(found).toHaveLength(1);
    expect(toldToTopic(found[0]!)).toBe(true);
    // The functions publish under the namespace and service the alarm watches.
    for (const [, fn] of functions) {
      expect(fn.Properties?.Environment?.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: OBSERVABILITY.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: OBSERVABILITY.metricsNamespace,
      });
    }
  });

  it('gives the rule that starts the workflow a retry policy and an encrypted dead-letter queue with an alarm', () => {
    const targets = resourcesOfType(template, 'AWS::Events::Rule').flatMap(
      ([, r]) => (r.Properties?.Targets ?? []) as Record<string, any>[],
    );
    const toWorkflow = targets.filter((t) => JSON.stringify(t.Arn) === JSON.stringify({ Ref: stateMachineId }));
    expect(toWorkflow).toHaveLength(1);
    const target = toWorkflow[0]!;
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    const queueId = (target.DeadLetterConfig?.Arn?.['Fn::GetAtt'] as string[] | undefined)?.[0];
    expect(queueId).toBeDefined();
    const queue = resourceIn(template, queueId!);
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    const found = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', {
      Name: 'QueueName',
      Value: { 'Fn::GetAtt': [queueId, 'QueueName'] },
    });
    expect(found).toHaveLength(1);
    expect(toldToTopic(found[0]!)).toBe(true);
  });
});
