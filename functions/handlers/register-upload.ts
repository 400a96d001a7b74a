import { findProgramme } from '../core/programmes/catalogue';
import { registerUpload } from '../core/proposals/use-cases/register-upload';
import { findVillage } from '../core/regions/villages';
import { proposalStore } from '../wiring/proposal-store';
import { now, once } from '../wiring/settings';
import { uploadGrants } from '../wiring/upload-grants';
import { uploadsStore } from '../wiring/uploads';
import { taskHandler } from './task-handler';
import { RegisterInput } from './workflow-inputs';

export const wiring = once(() => ({
  proposals: proposalStore(),
  uploads: uploadsStore(),
  grants: uploadGrants(),
  findProgramme,
  findVillage,
  now,
}));

export const handler = taskHandler(RegisterInput, ({ event, executionArn }) =>
  registerUpload(wiring(), event, executionArn),
);
