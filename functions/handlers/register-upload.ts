import { registerUpload } from '../core/proposals/use-cases/register-upload';
import { findVillage } from '../core/regions/villages';
import { proposalStore } from '../wiring/proposal-store';
import { now, once } from '../wiring/settings';
import { uploadGrants } from '../wiring/upload-grants';
import { uploadsStore } from '../wiring/uploads';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';
import { RegisterInput } from './workflow-inputs';

export const wiring = once(() => ({
  proposals: proposalStore(),
  uploads: uploadsStore(),
  grants: uploadGrants(),
  findVillage,
  now,
}));

export const handler = taskHandler(RegisterInput, async ({ event, executionArn }) =>
  registerUpload({ ...wiring(), ...(await programmesNow()) }, event, executionArn),
);
