import { resolveApprovalTimeout } from '../core/proposals/use-cases/resolve-approval-timeout';
import { proposalStore } from '../wiring/proposal-store';
import { quotaLedger } from '../wiring/quota-ledger';
import { once } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';
import { StageInput } from './workflow-inputs';

export const wiring = once(() => ({
  proposals: proposalStore(),
  ledger: quotaLedger(),
  objects: uploadsStore(),
}));

export const handler = taskHandler(StageInput, async (input) =>
  resolveApprovalTimeout({ ...wiring(), ...(await programmesNow()) }, input),
);
