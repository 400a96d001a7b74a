import { requestApproval } from '../core/proposals/use-cases/request-approval';
import { mailer } from '../wiring/mailer';
import { proposalStore } from '../wiring/proposal-store';
import { now, once, setting } from '../wiring/settings';
import { workflowCallbacks } from '../wiring/workflow';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';
import { ApprovalWaitInput } from './workflow-inputs';

export const wiring = once(() => ({
  proposals: proposalStore(),
  mailer: mailer(),
  workflow: workflowCallbacks(),
  apiUrl: setting('API_URL'),
  now,
}));

export const handler = taskHandler(ApprovalWaitInput, async (input) =>
  requestApproval({ ...wiring(), ...(await programmesNow()) }, input),
);
