import { config } from '../config';
import { requestApproval } from '../core/proposals/approval';
import { taskHandler } from './task-handler';
import { findProgramme, mailer, now, proposals, workflow } from './wiring';
import { ApprovalWaitInput } from './workflow-inputs';

export const handler = taskHandler(ApprovalWaitInput, (input) =>
  requestApproval({ proposals: proposals(), mailer: mailer(), workflow: workflow(), findProgramme, apiUrl: config().API_URL, now }, input),
);
