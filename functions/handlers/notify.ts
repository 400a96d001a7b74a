import { config } from '../config';
import { notifyOutcome } from '../core/proposals/outcome';
import { taskHandler } from './task-handler';
import { findProgramme, mailer, proposals } from './wiring';
import { StageInput } from './workflow-inputs';

export const handler = taskHandler(StageInput, (input) =>
  notifyOutcome({ proposals: proposals(), mailer: mailer(), findProgramme, apiUrl: config().API_URL, opsEmail: config().OPS_EMAIL }, input),
);
