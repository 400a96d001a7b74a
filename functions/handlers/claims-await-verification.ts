import { awaitVerification } from '../core/claims/use-cases/await-verification';
import { ClaimWaitInput } from '../core/claims/use-cases/claim-workflow';
import { claimStore } from '../wiring/claim-store';
import { claimsWorkflow } from '../wiring/claims';
import { now, once } from '../wiring/settings';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({ claims: claimStore(), workflow: claimsWorkflow(), now }));

export const handler = taskHandler(ClaimWaitInput, (input) => awaitVerification(wiring(), input));
