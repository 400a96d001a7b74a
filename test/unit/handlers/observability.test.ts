import { afterEach, describe, expect, it, vi } from 'vitest';
import { correlationKeys, count, metrics } from '../../../functions/wiring/observability';

afterEach(() => vi.restoreAllMocks());

/** What a flush writes to stdout: EMF records, one JSON document a line. */
function flushed(): Record<string, any>[] {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
  metrics.publishStoredMetrics();
  vi.restoreAllMocks();
  return written
    .flatMap((w) => w.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));
}

describe('metrics', () => {
  it('counts a failure for the whole service (what the alarm watches), per programme and per stage', () => {
    count({ ExecutionsFailed: 1 }, { programme: 'kapuas-2026-apbd', stage: 'submit' });
    const [record] = flushed();
    expect(record?._aws.CloudWatchMetrics[0].Dimensions).toEqual([
      ['service'],
      ['service', 'programme'],
      ['service', 'stage'],
    ]);
    expect(record).toMatchObject({ ExecutionsFailed: 1, programme: 'kapuas-2026-apbd', stage: 'submit' });
  });

  it('publishes nothing, and says nothing, when an invocation counted nothing', () => {
    expect(flushed()).toEqual([]);
  });
});

describe('log keys', () => {
  it('takes the proposal and execution from a task input, the failed state data included', () => {
    expect(correlationKeys({ proposalId: 'prp-1', executionArn: 'arn:exec', taskToken: 'secret' })).toEqual({
      proposalId: 'prp-1',
      executionArn: 'arn:exec',
    });
    expect(correlationKeys({ failure: { proposalId: 'prp-2', stage: 'submit' }, executionArn: 'arn:exec' })).toEqual({
      proposalId: 'prp-2',
      executionArn: 'arn:exec',
    });
    expect(correlationKeys({ event: { detail: {} } })).toEqual({});
  });
});
