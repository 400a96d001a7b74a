import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import type { LocalResources } from './resources';
import type { S3ObjectCreated } from './s3-local';

type Rule = { name: string; pattern: Record<string, unknown>; targets: { arn: string; input?: string; inputPath?: string }[] };

/**
 * Stands in for EventBridge: turns the local S3's object-created notices into the "Object Created"
 * events S3 sends to EventBridge (only for buckets whose template enables EventBridge), matches
 * them against the rules in the template, and starts the target state machines through the
 * Step Functions API, as the rule's target would.
 */
export class LocalEventRouter {
  private readonly rules: Rule[] = [];
  private readonly eventBridgeBuckets = new Set<string>();

  constructor(
    private readonly resources: LocalResources,
    private readonly sfn: SFNClient,
    private readonly log: (line: string) => void,
  ) {
    for (const { stack, logicalId, resource } of resources.resourcesOfType('AWS::Events::Rule')) {
      const props = resources.resolve(stack, resource.Properties ?? {});
      if (props.State === 'DISABLED' || !props.EventPattern) continue;
      this.rules.push({
        name: logicalId,
        pattern: props.EventPattern,
        targets: (props.Targets ?? []).map((t: any) => ({ arn: t.Arn, input: t.Input, inputPath: t.InputPath })),
      });
    }
    // CDK's `eventBridgeEnabled` becomes a bucket-notifications custom resource in the template.
    for (const { stack, resource } of resources.resourcesOfType('Custom::S3BucketNotifications')) {
      const props = resources.resolve(stack, resource.Properties ?? {});
      if (props.NotificationConfiguration?.EventBridgeConfiguration) this.eventBridgeBuckets.add(props.BucketName);
    }
    for (const { stack, resource } of resources.resourcesOfType('AWS::S3::Bucket')) {
      const props = resources.resolve(stack, resource.Properties ?? {});
      if (props.NotificationConfiguration?.EventBridgeConfiguration?.EventBridgeEnabled) this.eventBridgeBuckets.add(props.BucketName);
    }
  }

  /** Builds the event S3 would put on the default bus for a new object. */
  objectCreatedEvent(e: S3ObjectCreated) {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: this.resources.account,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.resources.region,
      resources: [`arn:aws:s3:::${e.bucket}`],
      detail: {
        version: '0',
        bucket: { name: e.bucket },
        object: { key: e.key, size: e.size, etag: e.etag, sequencer: e.sequencer },
        'request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
        requester: this.resources.account,
        'source-ip-address': e.sourceIp ?? '127.0.0.1',
        reason: e.eventName === 'ObjectCreated:Copy' ? 'CopyObject' : e.eventName === 'ObjectCreated:Post' ? 'CompleteMultipartUpload' : 'PutObject',
      },
    };
  }

  async onObjectCreated(e: S3ObjectCreated) {
    if (!this.eventBridgeBuckets.has(e.bucket)) return;
    await this.publish(this.objectCreatedEvent(e));
  }

  /** Delivers an event to every matching rule's targets (PutEvents, in AWS terms). */
  async publish(event: Record<string, unknown>) {
    for (const rule of this.rules) {
      if (!matches(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        if (!target.arn.includes(':states:')) continue;
        const input = target.input ?? JSON.stringify(target.inputPath ? pick(event, target.inputPath) : event);
        const out = await this.sfn.send(new StartExecutionCommand({ stateMachineArn: target.arn, input }));
        this.log(`rule ${rule.name} started ${out.executionArn}`);
      }
    }
  }
}

/** EventBridge pattern matching for the forms our rules use: exact values, prefix, suffix, exists, anything-but. */
export function matches(pattern: Record<string, unknown>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = (event as Record<string, unknown> | undefined)?.[key];
    if (Array.isArray(expected)) return expected.some((candidate) => matchesValue(candidate, actual));
    if (expected && typeof expected === 'object') return actual !== undefined && matches(expected as Record<string, unknown>, actual);
    return false;
  });
}

function matchesValue(candidate: unknown, actual: unknown): boolean {
  if (candidate && typeof candidate === 'object') {
    const [op, arg] = Object.entries(candidate)[0] as [string, any];
    if (op === 'prefix') return typeof actual === 'string' && actual.startsWith(arg);
    if (op === 'suffix') return typeof actual === 'string' && actual.endsWith(arg);
    if (op === 'exists') return arg ? actual !== undefined : actual === undefined;
    // Like every operator but `exists: false`, anything-but needs the field to be there.
    if (op === 'anything-but') return actual !== undefined && !(Array.isArray(arg) ? arg : [arg]).includes(actual);
    return false;
  }
  return Array.isArray(actual) ? actual.includes(candidate) : candidate === actual;
}

function pick(event: Record<string, unknown>, path: string): unknown {
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], event);
}
