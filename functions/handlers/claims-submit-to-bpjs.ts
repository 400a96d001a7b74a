import { ClaimStepInput } from '../core/claims/use-cases/claim-workflow';
import { submitClaimToBpjs } from '../core/claims/use-cases/submit-claim-to-bpjs';
import { bpjsGateway } from '../wiring/bpjs';
import { claimStore } from '../wiring/claim-store';
import { now, once } from '../wiring/settings';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({ claims: claimStore(), bpjs: bpjsGateway(), now }));

export const handler = taskHandler(ClaimStepInput, (input) => submitClaimToBpjs(wiring(), input));
