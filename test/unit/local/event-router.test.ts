import { describe, expect, it } from 'vitest';
import { matches } from '../../../infra/local/event-router';

const event = {
  version: '0',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  resources: ['arn:aws:s3:::jaring-uploads', 'arn:aws:s3:::other'],
  detail: {
    bucket: { name: 'jaring-uploads' },
    object: { key: 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx', size: 20480, sequencer: '0001' },
    reason: 'PutObject',
  },
};

/** The pattern the stateless stack gives the uploads rule. */
const uploadsRule = {
  source: ['aws.s3'],
  'detail-type': ['Object Created'],
  detail: { bucket: { name: ['jaring-uploads'] }, object: { key: [{ prefix: 'proposals/' }] } },
};

describe('matches', () => {
  it("matches the uploads rule's pattern for a proposal upload", () => {
    expect(matches(uploadsRule, event)).toBe(true);
  });

  it('does not match an object outside proposals/, in another bucket, or of another detail-type', () => {
    expect(
      matches(uploadsRule, { ...event, detail: { ...event.detail, object: { key: 'reports/x/report.json' } } }),
    ).toBe(false);
    expect(matches(uploadsRule, { ...event, detail: { ...event.detail, bucket: { name: 'other-bucket' } } })).toBe(
      false,
    );
    expect(matches(uploadsRule, { ...event, 'detail-type': 'Object Deleted' })).toBe(false);
  });

  it('matches any value of an exact list, and nothing else', () => {
    expect(matches({ 'detail-type': ['Object Deleted', 'Object Created'] }, event)).toBe(true);
    expect(matches({ 'detail-type': ['Object Deleted', 'Object Restore Completed'] }, event)).toBe(false);
    expect(matches({ 'detail-type': ['object created'] }, event)).toBe(false);
  });

  it('matches numbers exactly', () => {
    expect(matches({ detail: { object: { size: [20480] } } }, event)).toBe(true);
    expect(matches({ detail: { object: { size: ['20480'] } } }, event)).toBe(false);
  });

  it('requires every field of the pattern (AND across fields)', () => {
    expect(matches({ source: ['aws.s3'], 'detail-type': ['Object Deleted'] }, event)).toBe(false);
  });

  it('matches a pattern value against any element of an array in the event', () => {
    expect(matches({ resources: ['arn:aws:s3:::other'] }, event)).toBe(true);
    expect(matches({ resources: ['arn:aws:s3:::missing'] }, event)).toBe(false);
  });

  it('matches prefix and suffix on strings only', () => {
    expect(matches({ detail: { object: { key: [{ prefix: 'proposals/kapuas-2026-apbd/' }] } } }, event)).toBe(true);
    expect(matches({ detail: { object: { key: [{ prefix: 'Proposals/' }] } } }, event)).toBe(false);
    expect(matches({ detail: { object: { key: [{ suffix: '.xlsx' }] } } }, event)).toBe(true);
    expect(matches({ detail: { object: { key: [{ suffix: '.csv' }] } } }, event)).toBe(false);
    expect(matches({ detail: { object: { size: [{ prefix: '2' }] } } }, event)).toBe(false);
  });

  it('tests whether a field exists', () => {
    expect(matches({ detail: { object: { sequencer: [{ exists: true }] } } }, event)).toBe(true);
    expect(matches({ detail: { object: { 'version-id': [{ exists: true }] } } }, event)).toBe(false);
    expect(matches({ detail: { object: { 'version-id': [{ exists: false }] } } }, event)).toBe(true);
    expect(matches({ detail: { object: { sequencer: [{ exists: false }] } } }, event)).toBe(false);
  });

  it('matches anything but the values given, as one value or a list', () => {
    expect(matches({ detail: { reason: [{ 'anything-but': 'CopyObject' }] } }, event)).toBe(true);
    expect(matches({ detail: { reason: [{ 'anything-but': 'PutObject' }] } }, event)).toBe(false);
    expect(
      matches({ detail: { reason: [{ 'anything-but': ['CopyObject', 'CompleteMultipartUpload'] }] } }, event),
    ).toBe(true);
    expect(matches({ detail: { reason: [{ 'anything-but': ['CopyObject', 'PutObject'] }] } }, event)).toBe(false);
  });

  it('does not match when a field of the pattern is missing from the event', () => {
    expect(matches({ account: ['000000000000'] }, event)).toBe(false);
    expect(matches({ detail: { object: { etag: ['abc'] } } }, event)).toBe(false);
    expect(matches({ detail: { requester: { id: ['x'] } } }, event)).toBe(false);
    expect(matches(uploadsRule, { source: 'aws.s3', 'detail-type': 'Object Created' })).toBe(false);
  });

  it('does not match a nested pattern against a scalar', () => {
    expect(matches({ source: { name: ['aws.s3'] } }, event)).toBe(false);
  });

  it('matches only when one of several matchers for a field does', () => {
    expect(matches({ detail: { object: { key: [{ prefix: 'reports/' }, { suffix: '.xlsx' }] } } }, event)).toBe(true);
    expect(matches({ detail: { object: { key: [{ prefix: 'reports/' }, 'usulan.xlsx'] } } }, event)).toBe(false);
  });

  it('needs the field to be present for anything-but, as EventBridge does', () => {
    expect(matches({ detail: { reason: [{ 'anything-but': 'CopyObject' }] } }, { detail: {} })).toBe(false);
    expect(
      matches({ detail: { reason: [{ 'anything-but': 'CopyObject' }] } }, { detail: { reason: 'PutObject' } }),
    ).toBe(true);
  });
});
