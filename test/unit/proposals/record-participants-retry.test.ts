import { describe, expect, it } from 'vitest';
import { RECORDING_CHUNK, RecordingPausedError } from '../../../functions/core/proposals/use-cases/record-participants';
import { enrollmentStates } from '../../support/enrollment-states';

describe('the workflow around a recording that pauses', () => {
  it('comes straight back to a paused recording, before the catch-all, often enough for the largest file', () => {
    const retriers = enrollmentStates().RecordParticipants!.Retry!;
    // The handler throws the use case's error; Step Functions matches its name.
    const paused = retriers.findIndex((r) => r.ErrorEquals.includes(new RecordingPausedError('').name));
    expect(paused).toBeGreaterThanOrEqual(0);
    // Retriers are tried in order: the catch-all first would give a paused run its two tries only.
    expect(paused).toBeLessThan(retriers.findIndex((r) => r.ErrorEquals.includes('States.TaskFailed')));
    // Each run records at least a chunk: enough tries for a 100,000-row proposal even at one chunk a run.
    expect(retriers[paused]!.MaxAttempts! * RECORDING_CHUNK).toBeGreaterThanOrEqual(100_000);
    expect(retriers[paused]!.IntervalSeconds).toBeLessThanOrEqual(5);
  });
});
