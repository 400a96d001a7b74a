import { describe, expect, it } from 'vitest';
import { inFlight, TRANSACTIONS_IN_FLIGHT } from '../../../functions/adapters/dynamodb-in-flight';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('transactions in flight', () => {
  it('writes chunks several at a time, never more than the bound', async () => {
    let running = 0;
    let most = 0;
    const written: number[][] = [];
    await inFlight([...Array(20).keys()], 3, async (chunk) => {
      running++;
      most = Math.max(most, running);
      await tick();
      written.push(chunk);
      running--;
    });
    // Chunks of three in order, the last one short.
    expect(written.sort((a, b) => a[0]! - b[0]!)).toEqual(
      [0, 3, 6, 9, 12, 15, 18].map((from) => [...Array(Math.min(3, 20 - from)).keys()].map((i) => from + i)),
    );
    expect(most).toBe(TRANSACTIONS_IN_FLIGHT);
  });

  it('lets the other chunks finish when one fails, then throws that failure as it was', async () => {
    class ThrottledError extends Error {
      override name = 'ProvisionedThroughputExceededException';
    }
    const written: number[] = [];
    const failure = await inFlight([0, 1, 2, 3, 4, 5, 6, 7], 1, async ([chunk]) => {
      await tick();
      if (chunk === 1) throw new ThrottledError('slow down');
      written.push(chunk!);
    }).catch((e: unknown) => e);
    // The workflow's retry rules match the error's name: not an AggregateError around it.
    expect(failure).toBeInstanceOf(ThrottledError);
    expect((failure as Error).name).toBe('ProvisionedThroughputExceededException');
    expect(written.sort()).toEqual([0, 2, 3, 4, 5, 6, 7]);
  });
});
