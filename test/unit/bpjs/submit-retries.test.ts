import { describe, expect, it } from 'vitest';
import { MAX_BATCH_SIZE } from '../../../functions/core/bpjs/contract';
import { enrollmentStates } from '../../support/enrollment-states';

describe('the workflow around a submission that pauses', () => {
  it('comes straight back to a paused submission, often enough for the largest proposal one batch at a time', () => {
    const retriers = enrollmentStates().SubmitToBpjs!.Retry!;
    const paused = retriers.findIndex((r) => r.ErrorEquals.includes('BpjsSubmissionPausedError'));
    expect(paused).toBeGreaterThanOrEqual(0);
    // Retriers are tried in order: the catch-all first would give a paused run its two tries only.
    expect(paused).toBeLessThan(retriers.findIndex((r) => r.ErrorEquals.includes('States.TaskFailed')));
    expect(retriers[paused]!.MaxAttempts).toBeGreaterThanOrEqual(10_000 / MAX_BATCH_SIZE);
    expect(retriers[paused]!.IntervalSeconds).toBeLessThanOrEqual(5);
  });
});
