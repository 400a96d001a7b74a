import { findVillage } from '../core/regions/villages';
import { registerUpload } from '../core/proposals/register-upload';
import { taskHandler } from './task-handler';
import { findProgramme, now, proposals, uploadGrants, uploads } from './wiring';
import { RegisterInput } from './workflow-inputs';

export const handler = taskHandler(RegisterInput, ({ event, executionArn }) =>
  registerUpload({ proposals: proposals(), uploads: uploads(), grants: uploadGrants(), findProgramme, findVillage, now }, event, executionArn),
);
