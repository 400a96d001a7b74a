import { ClaimWaitInput } from '../core/claims/use-cases/claim-workflow';
import { requestClaimApproval } from '../core/claims/use-cases/request-claim-approval';
import { claimStore } from '../wiring/claim-store';
import { approvalPolicy, claimsWorkflow } from '../wiring/claims';
import { mailer } from '../wiring/mailer';
import { now, once, setting } from '../wiring/settings';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({
  claims: claimStore(),
  mailer: mailer(),
  workflow: claimsWorkflow(),
  approvalPolicyIn: approvalPolicy(),
  apiUrl: setting('API_URL'),
  now,
}));

export const handler = taskHandler(ClaimWaitInput, async (input) => {
  const deps = wiring();
  const { findProgramme } = await programmesNow();
  return requestClaimApproval({ ...deps, approvalPolicy: deps.approvalPolicyIn(findProgramme) }, input);
});
