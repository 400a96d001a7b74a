import { validateProposal } from '../core/proposals/validate-proposal';
import { taskHandler } from './task-handler';
import { findProgramme, now, proposals, uploads } from './wiring';
import { StageInput } from './workflow-inputs';

export const handler = taskHandler(StageInput, (input) => validateProposal({ proposals: proposals(), objects: uploads(), findProgramme, now }, input));
