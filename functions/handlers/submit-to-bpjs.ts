import { submitToBpjs } from '../core/proposals/use-cases/submit-to-bpjs';
import { auditLog } from '../wiring/audit-log';
import { bpjsGateway } from '../wiring/bpjs';
import { proposalStore } from '../wiring/proposal-store';
import { once } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';
import { StageInput } from './workflow-inputs';

export const wiring = once(() => ({
  proposals: proposalStore(),
  audit: auditLog(),
  objects: uploadsStore(),
  bpjs: bpjsGateway(),
}));

// The use case stops before the Lambda's end and the workflow comes back, rather than the Lambda being killed
// mid-batch.
export const handler = taskHandler(StageInput, async (input, context) =>
  submitToBpjs({ ...wiring(), ...(await programmesNow()) }, input, {
    deadline: Date.now() + context.getRemainingTimeInMillis(),
  }),
);
