import { notifyOutcome } from '../core/proposals/use-cases/notify-outcome';
import { mailer } from '../wiring/mailer';
import { proposalStore } from '../wiring/proposal-store';
import { once, setting } from '../wiring/settings';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';
import { StageInput } from './workflow-inputs';

export const wiring = once(() => ({
  proposals: proposalStore(),
  mailer: mailer(),
  apiUrl: setting('API_URL'),
  opsEmail: setting('OPS_EMAIL'),
}));

export const handler = taskHandler(StageInput, async (input) =>
  notifyOutcome({ ...wiring(), ...(await programmesNow()) }, input),
);
