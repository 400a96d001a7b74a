import { validateProposal } from '../core/proposals/validate-proposal';
import { taskHandler } from './task-handler';
import { findProgramme, ledger, now, proposals, uploads, workflow } from './wiring';
import { StageInput } from './workflow-inputs';

export const handler = taskHandler(StageInput, (input) =>
  validateProposal({ proposals: proposals(), objects: uploads(), ledger: ledger(), workflow: workflow(), findProgramme, now }, input),
);
