import { resolveApprovalTimeout } from '../core/proposals/approval';
import { taskHandler } from './task-handler';
import { proposals } from './wiring';
import { StageInput } from './workflow-inputs';

export const handler = taskHandler(StageInput, (input) => resolveApprovalTimeout({ proposals: proposals() }, input));
