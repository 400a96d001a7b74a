import { ClaimStepInput } from '../core/claims/use-cases/claim-workflow';
import { recordClaimPayout } from '../core/claims/use-cases/record-claim-payout';
import { bpjsGateway } from '../wiring/bpjs';
import { claimStore } from '../wiring/claim-store';
import { dinasSosial, termsFor } from '../wiring/claims';
import { coverageStore } from '../wiring/coverage-store';
import { mailer } from '../wiring/mailer';
import { now, once, setting } from '../wiring/settings';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({
  claims: claimStore(),
  bpjs: bpjsGateway(),
  coverages: coverageStore(),
  termsFor,
  mailer: mailer(),
  apiUrl: setting('API_URL'),
  opsEmail: setting('OPS_EMAIL'),
  dinasSosial: dinasSosial(),
  now,
}));

export const handler = taskHandler(ClaimStepInput, (input) => recordClaimPayout(wiring(), input));
