import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { deadLetterQueue } from './workflow-alarms';

/**
 * S3 -> EventBridge -> a state machine, for the objects under one prefix of the bucket (proposals,
 * claim documents; reports and work files live under other prefixes). What EventBridge could not hand
 * the state machine after its retries waits in a dead-letter queue (returned, for its alarm). An
 * upload nobody started within a day is better re-driven by hand than started late.
 */
export function objectCreatedRule(
  scope: Construct,
  ids: { rule: string; deadLetters: string },
  props: { description: string; bucket: IBucket; prefix: string; stateMachine: IStateMachine },
) {
  const undelivered = deadLetterQueue(scope, ids.deadLetters);
  new Rule(scope, ids.rule, {
    description: props.description,
    eventPattern: {
      source: ['aws.s3'],
      detailType: ['Object Created'],
      detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: [{ prefix: props.prefix }] } },
    },
    targets: [
      new SfnStateMachine(props.stateMachine, {
        deadLetterQueue: undelivered,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    ],
  });
  return undelivered;
}
