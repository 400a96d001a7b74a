import { describe, expect, it } from 'vitest';
import { ObjectCreatedEvent, proposalIdFor, uploadOf } from '../../../functions/core/proposals/source-event';

/** As AWS documents it (S3 user guide, "EventBridge event message structure"), with our key layout. */
const awsEvent = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2026-02-12T03:14:15Z',
  region: 'ap-southeast-3',
  resources: ['arn:aws:s3:::jaring-uploads'],
  detail: {
    version: '0',
    bucket: { name: 'jaring-uploads' },
    object: {
      key: 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx',
      size: 20480,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      sequencer: '617f08299329d189',
    },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    'source-ip-address': '1.2.3.4',
    reason: 'PutObject',
  },
};

const upload = {
  bucket: 'jaring-uploads',
  key: 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx',
  versionId: 'v1',
  sequencer: '0001',
  etag: 'e1',
};

describe('ObjectCreatedEvent', () => {
  it('parses the event S3 sends to EventBridge and gives the upload it names', () => {
    const event = ObjectCreatedEvent.parse(awsEvent);
    expect(uploadOf(event)).toEqual({
      bucket: 'jaring-uploads',
      key: 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx',
      versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      sequencer: '617f08299329d189',
      etag: 'b1946ac92492d2347c6235b4d2611184',
      size: 20480,
    });
  });

  it('parses an event from an unversioned store (no version-id)', () => {
    const { 'version-id': _, ...object } = awsEvent.detail.object;
    const event = ObjectCreatedEvent.parse({ ...awsEvent, detail: { ...awsEvent.detail, object } });
    expect(uploadOf(event).versionId).toBeUndefined();
    expect(uploadOf(event).sequencer).toBe('617f08299329d189');
  });

  it.each(['Object Deleted', 'Object Restore Completed', 'Object Tags Added'])(
    'rejects detail-type %s',
    (detailType) => {
      expect(ObjectCreatedEvent.safeParse({ ...awsEvent, 'detail-type': detailType }).success).toBe(false);
    },
  );

  it('rejects an event from another source or without an object key', () => {
    expect(ObjectCreatedEvent.safeParse({ ...awsEvent, source: 'aws.s3.custom' }).success).toBe(false);
    expect(
      ObjectCreatedEvent.safeParse({ ...awsEvent, detail: { ...awsEvent.detail, object: { size: 1 } } }).success,
    ).toBe(false);
  });
});

describe('proposalIdFor', () => {
  it('gives the same id for the same object version, however often the event comes', () => {
    expect(proposalIdFor(upload)).toBe(proposalIdFor({ ...upload }));
    expect(proposalIdFor(upload)).toMatch(/^prp-[0-9a-f]{20}$/);
  });

  it('ignores size and etag when a version id is present', () => {
    expect(proposalIdFor({ ...upload, etag: 'other', size: 99 })).toBe(proposalIdFor(upload));
  });

  it('differs for another version, key or bucket', () => {
    const id = proposalIdFor(upload);
    expect(proposalIdFor({ ...upload, versionId: 'v2' })).not.toBe(id);
    expect(proposalIdFor({ ...upload, key: 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan2.xlsx' })).not.toBe(id);
    expect(proposalIdFor({ ...upload, bucket: 'jaring-uploads-prod' })).not.toBe(id);
  });

  it('without a version id, tells puts apart by their sequencer', () => {
    const first = { ...upload, versionId: undefined, sequencer: '0001' };
    expect(proposalIdFor(first)).toBe(proposalIdFor({ ...first }));
    expect(proposalIdFor({ ...first, sequencer: '0002' })).not.toBe(proposalIdFor(first));
  });

  it('gives the same id for the event parsed twice', () => {
    const a = proposalIdFor(uploadOf(ObjectCreatedEvent.parse(awsEvent)));
    const b = proposalIdFor(uploadOf(ObjectCreatedEvent.parse(structuredClone(awsEvent))));
    expect(a).toBe(b);
  });
});
