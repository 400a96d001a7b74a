import { ClaimSettings } from '../core/claims/claim-settings';
import { ClaimStepInput } from '../core/claims/use-cases/claim-workflow';
import { checkBpjsClaim } from '../core/claims/use-cases/check-bpjs-claim';
import { indonesianHolidays } from '../core/contributions/holidays';
import { bpjsGateway } from '../wiring/bpjs';
import { claimStore } from '../wiring/claim-store';
import { dinasSosial } from '../wiring/claims';
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
  holidays: indonesianHolidays,
  // The defaults until a programme carries its own settings, as the filing reads them.
  bpjsPromiseWorkingDays: ClaimSettings.parse({}).bpjsPromiseWorkingDays,
  apiUrl: setting('API_URL'),
  opsEmail: setting('OPS_EMAIL'),
  dinasSosialIn: dinasSosial(),
  now,
}));

export const handler = taskHandler(ClaimStepInput, async (input) => {
  const deps = wiring();
  const { findProgramme } = await programmesNow();
  return checkBpjsClaim({ ...deps, dinasSosial: deps.dinasSosialIn(findProgramme) }, input);
});
