import { ClaimStepInput } from '../core/claims/use-cases/claim-workflow';
import { openClaimWorkflow } from '../core/claims/use-cases/open-claim-workflow';
import { claimStore } from '../wiring/claim-store';
import { claimTiming } from '../wiring/claims';
import { once } from '../wiring/settings';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({ claims: claimStore(), timing: claimTiming() }));

export const handler = taskHandler(ClaimStepInput, (input) => openClaimWorkflow(wiring(), input));
