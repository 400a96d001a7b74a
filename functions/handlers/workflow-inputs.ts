import * as z from 'zod';
import { ObjectCreatedEvent } from '../core/proposals/source-event';

/** What the enrollment workflow passes each task (workflows/enrollment/state-machine.ts builds these). */
export const RegisterInput = z.object({ event: ObjectCreatedEvent, executionArn: z.string().optional() });
export const StageInput = z.object({ proposalId: z.string(), executionArn: z.string().optional() });
export const ApprovalWaitInput = StageInput.extend({ taskToken: z.string() });
/** The failed state's data as the workflow's Catch left it: the stage, the error, and an id or the event. */
export const FailureInput = z.object({
  failure: z.object({
    proposalId: z.string().optional(),
    event: z.unknown().optional(),
    stage: z.string(),
    error: z.object({ Error: z.string(), Cause: z.string().optional() }),
  }),
  executionArn: z.string().optional(),
});
