import { resolveApprovalTimeout } from '../core/proposals/approval';
import { taskHandler } from './task-handler';
import { findProgramme, ledger, proposals, uploads } from './wiring';
import { StageInput } from './workflow-inputs';

export const handler = taskHandler(StageInput, (input) =>
  resolveApprovalTimeout({ proposals: proposals(), ledger: ledger(), objects: uploads(), findProgramme }, input),
);
