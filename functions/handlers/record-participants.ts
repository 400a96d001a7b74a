import { recordParticipants } from '../core/proposals/use-cases/record-participants';
import { enrolmentStore } from '../wiring/enrolment-store';
import { proposalStore } from '../wiring/proposal-store';
import { quotaLedger } from '../wiring/quota-ledger';
import { now, once } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { count } from '../wiring/observability';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';
import { StageInput } from './workflow-inputs';

export const wiring = once(() => ({
  proposals: proposalStore(),
  objects: uploadsStore(),
  enrolments: enrolmentStore(),
  ledger: quotaLedger(),
  now,
}));

/** Kept back from the Lambda's end: one more chunk of people (RECORDING_CHUNK) and the proposal's close. */
const RECORDING_RESERVE_MS = 90_000;

// Stops between chunks before the Lambda's end; the workflow runs it again for the rest (RecordingPausedError).
export const handler = taskHandler(StageInput, async (input, context) => {
  const result = await recordParticipants({ ...wiring(), ...(await programmesNow()) }, input, {
    outOfTime: () => context.getRemainingTimeInMillis() < RECORDING_RESERVE_MS,
  });
  // The use case does not name the programme; the proposal does.
  const programme = (await wiring().proposals.get(result.proposalId))?.programmeId;
  count({ WorkersEnrolled: result.enrolled ?? 0 }, { programme });
  return result;
});
