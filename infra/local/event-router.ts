import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LambdaRuntime } from './lambda-runtime';
import type { LocalResources } from './resources';
import type { S3ObjectCreated } from './s3-local';

type Rule = {
  name: string;
  bus: string;
  pattern: Record<string, unknown>;
  targets: { arn: string; input?: string; inputPath?: string }[];
};

type S3RulePattern = {
  'detail-type'?: unknown[];
  detail?: { bucket?: { name?: unknown[] }; object?: { key?: unknown[] } };
};

/** The bus a name or ARN names (`arn:aws:events:<region>:<account>:event-bus/<name>`); no name is the default bus. */
export const busName = (nameOrArn?: string) =>
  nameOrArn?.startsWith('arn:') ? nameOrArn.split('/').pop()! : (nameOrArn ?? 'default');

/**
 * Stands in for EventBridge: turns the local S3's object-created notices into the "Object Created"
 * events S3 sends to EventBridge (only for buckets whose template enables EventBridge), takes the
 * events the functions put themselves (PutEvents, eventbridge-local.ts), matches them against the
 * rules the template puts on that bus, and starts the target state machines through the Step
 * Functions API, as the rule's target would. Lambda targets are invoked through the local runtime,
 * asynchronously as EventBridge invokes them; a failed invocation is logged, not retried (AWS
 * retries it, and then leaves it in the target's dead-letter queue).
 */
export class LocalEventRouter {
  private readonly rules: Rule[] = [];
  private readonly eventBridgeBuckets = new Set<string>();
  /** Objects whose event reached a rule (bucket, key, ETag), kept in `journal` across restarts. */
  private readonly delivered = new Set<string>();

  constructor(
    private readonly resources: LocalResources,
    private readonly sfn: SFNClient,
    private readonly log: (line: string) => void,
    /** A file (JSON lines) recording which objects' events were delivered, so start-up can find those that were not. */
    private readonly journal?: string,
    /** Runs the rules' Lambda targets (without it, only state machine targets are started). */
    private readonly lambdas?: LambdaRuntime,
  ) {
    if (journal && existsSync(journal)) {
      for (const line of readFileSync(journal, 'utf8').split('\n')) if (line) this.delivered.add(line);
    }
    for (const { stack, logicalId, resource } of resources.resourcesOfType('AWS::Events::Rule')) {
      const props = resources.resolve(stack, resource.Properties ?? {});
      if (props.State === 'DISABLED' || !props.EventPattern) continue;
      this.rules.push({
        name: logicalId,
        bus: busName(props.EventBusName),
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
      if (props.NotificationConfiguration?.EventBridgeConfiguration?.EventBridgeEnabled)
        this.eventBridgeBuckets.add(props.BucketName);
    }
  }

  get account() {
    return this.resources.account;
  }

  get region() {
    return this.resources.region;
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
        reason:
          e.eventName === 'ObjectCreated:Copy'
            ? 'CopyObject'
            : e.eventName === 'ObjectCreated:Post'
              ? 'CompleteMultipartUpload'
              : 'PutObject',
      },
    };
  }

  async onObjectCreated(e: S3ObjectCreated) {
    if (!this.eventBridgeBuckets.has(e.bucket)) return;
    if ((await this.publish(this.objectCreatedEvent(e))) > 0) this.record(e);
  }

  /**
   * Objects in the EventBridge-enabled buckets whose event some rule matches but that were never
   * delivered (they reached S3 while the router was not listening); an ETag not delivered yet counts.
   * With no journal yet (a data directory from before there was one), what is there now is taken as
   * delivered, so nothing is delivered twice.
   */
  async undelivered(s3: S3Client): Promise<S3ObjectCreated[]> {
    const seeding = !!this.journal && !existsSync(this.journal);
    if (this.journal) mkdirSync(dirname(this.journal), { recursive: true });
    if (seeding) appendFileSync(this.journal, '');
    const missed: S3ObjectCreated[] = [];
    for (const bucket of this.eventBridgeBuckets) {
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
        for (const o of page.Contents ?? []) {
          const at = (o.LastModified ?? new Date()).getTime();
          const e: S3ObjectCreated = {
            bucket,
            key: o.Key!,
            size: o.Size,
            etag: unquote(o.ETag),
            sequencer: `${at.toString(16).toUpperCase()}000000`,
            eventName: 'ObjectCreated:Put',
          };
          if (this.delivered.has(journalLine(e))) continue;
          const event = this.objectCreatedEvent(e);
          if (!this.rules.some((rule) => rule.bus === 'default' && matches(rule.pattern, event))) continue;
          if (seeding) this.record(e);
          else missed.push(e);
        }
      }
    }
    if (seeding) this.log(`event journal started: ${this.delivered.size} object(s) already in S3 taken as delivered`);
    return missed;
  }

  private record(e: S3ObjectCreated) {
    const line = journalLine(e);
    if (this.delivered.has(line)) return;
    this.delivered.add(line);
    if (this.journal) {
      mkdirSync(dirname(this.journal), { recursive: true });
      appendFileSync(this.journal, `${line}\n`);
    }
  }

  /** Where an upload starts a workflow: the bucket and key prefix of each rule on S3's Object Created events. */
  uploadTriggers(): { bucket: string; prefix: string; stateMachineArns: string[] }[] {
    return this.rules.flatMap((rule) => {
      const pattern = rule.pattern as S3RulePattern;
      if (rule.bus !== 'default' || !pattern['detail-type']?.includes('Object Created')) return [];
      const prefixes = (pattern.detail?.object?.key ?? [{}]).map((k) => (k as { prefix?: string }).prefix ?? '');
      const stateMachineArns = rule.targets.map((t) => t.arn).filter((arn) => arn.includes(':states:'));
      return (pattern.detail?.bucket?.name ?? [])
        .filter((bucket): bucket is string => typeof bucket === 'string')
        .flatMap((bucket) => prefixes.map((prefix) => ({ bucket, prefix, stateMachineArns })));
    });
  }

  /** The buses events can be put on: the default one and those the templates declare. */
  buses(): Set<string> {
    const names = new Set(['default']);
    for (const { logicalId } of this.resources.resourcesOfType('AWS::Events::EventBus')) {
      names.add(this.resources.ref(logicalId));
    }
    return names;
  }

  /** Delivers an event on a bus to every matching rule's targets; answers how many rules matched. */
  async publish(event: Record<string, unknown>, bus = 'default'): Promise<number> {
    let matched = 0;
    for (const rule of this.rules) {
      if (rule.bus !== bus || !matches(rule.pattern, event)) continue;
      matched++;
      for (const target of rule.targets) {
        const input = target.input ?? JSON.stringify(target.inputPath ? pick(event, target.inputPath) : event);
        if (target.arn.startsWith('arn:aws:lambda:') && this.lambdas) {
          this.lambdas
            .invoke(target.arn, JSON.parse(input) as unknown)
            .catch((error: Error) =>
              this.log(`rule ${rule.name}: ${target.arn.split(':')[6]} failed: ${error.message}`),
            );
          continue;
        }
        if (!target.arn.includes(':states:')) continue;
        const out = await this.sfn.send(new StartExecutionCommand({ stateMachineArn: target.arn, input }));
        this.log(`rule ${rule.name} started ${out.executionArn}`);
      }
    }
    return matched;
  }
}

const unquote = (etag?: string) => etag?.replace(/"/g, '');
const journalLine = (e: S3ObjectCreated) => JSON.stringify([e.bucket, e.key, unquote(e.etag)]);

/** EventBridge pattern matching for the forms our rules use: exact values, prefix, suffix, exists, anything-but. */
export function matches(pattern: Record<string, unknown>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = (event as Record<string, unknown> | undefined)?.[key];
    if (Array.isArray(expected)) return expected.some((candidate) => matchesValue(candidate, actual));
    if (expected && typeof expected === 'object')
      return actual !== undefined && matches(expected as Record<string, unknown>, actual);
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
