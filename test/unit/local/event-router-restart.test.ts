import { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalEventRouter } from '../../../infra/local/event-router';
import { LocalResources } from '../../../infra/local/resources';

/** A bucket with EventBridge on and one rule, as a template declares them; nothing names a workflow. */
const resources = () =>
  new LocalResources(
    [
      {
        stackName: 'test',
        template: {
          Resources: {
            Uploads: {
              Type: 'AWS::S3::Bucket',
              Properties: {
                BucketName: 'inbox',
                NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
              },
            },
            InboxRule: {
              Type: 'AWS::Events::Rule',
              Properties: {
                EventPattern: {
                  source: ['aws.s3'],
                  detail: { bucket: { name: ['inbox'] }, object: { key: [{ prefix: 'in/' }] } },
                },
                Targets: [{ Arn: 'arn:aws:states:ap-southeast-3:123456789012:stateMachine:any', Id: 't' }],
              },
            },
          },
        },
      },
    ],
    'ap-southeast-3',
  );

const objects = [
  { Key: 'in/a.csv', ETag: '"aaa"', Size: 1, LastModified: new Date(0) },
  { Key: 'out/report.json', ETag: '"rrr"', Size: 1, LastModified: new Date(0) },
];
const s3 = () => {
  const client = new S3Client({ region: 'ap-southeast-3' });
  client.send = (async () => ({ Contents: objects })) as never;
  return client;
};
const started: string[] = [];
const sfn = { send: async () => (started.push('x'), { executionArn: 'arn:exec' }) } as unknown as SFNClient;

describe('the event router across a restart', () => {
  it('finds the objects a rule matches that it never delivered, by the rule, and takes an older data directory as delivered', async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'router-')), 'events', 'delivered.jsonl');
    // No journal yet: what is in S3 now is taken as delivered, nothing goes out.
    expect(await new LocalEventRouter(resources(), sfn, () => undefined, journal).undelivered(s3())).toEqual([]);

    objects.push({ Key: 'in/b.csv', ETag: '"bbb"', Size: 2, LastModified: new Date(0) });
    objects[0]!.ETag = '"aaa2"'; // a re-upload under the same key
    const router = new LocalEventRouter(resources(), sfn, () => undefined, journal);
    const missed = await router.undelivered(s3());
    expect(missed.map((m) => `${m.key} ${m.etag}`).sort()).toEqual(['in/a.csv aaa2', 'in/b.csv bbb']);

    for (const m of missed) await router.onObjectCreated(m);
    expect(started).toHaveLength(2);
    expect(await new LocalEventRouter(resources(), sfn, () => undefined, journal).undelivered(s3())).toEqual([]);
  });
});
