import { ClaimStepInput } from '../core/claims/use-cases/claim-workflow';
import { recordClaimPayout } from '../core/claims/use-cases/record-claim-payout';
import { bpjsGateway } from '../wiring/bpjs';
import { claimStore } from '../wiring/claim-store';
import { dinasSosial, termsIn } from '../wiring/claims';
import { coverageStore } from '../wiring/coverage-store';
import { mailer } from '../wiring/mailer';
import { now, once, setting } from '../wiring/settings';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({
  claims: claimStore(),
  bpjs: bpjsGateway(),
  coverages: coverageStore(),
  mailer: mailer(),
  apiUrl: setting('API_URL'),
  opsEmail: setting('OPS_EMAIL'),
  dinasSosialIn: dinasSosial(),
  now,
}));

export const handler = taskHandler(ClaimStepInput, async (input) => {
  const deps = wiring();
  const { findProgramme } = await programmesNow();
  return recordClaimPayout(
    { ...deps, termsFor: termsIn(findProgramme), dinasSosial: deps.dinasSosialIn(findProgramme) },
    input,
  );
});
