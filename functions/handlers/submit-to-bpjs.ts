import { submitToBpjs } from '../core/proposals/enroll';
import { taskHandler } from './task-handler';
import { bpjs, findProgramme, proposals, uploads } from './wiring';
import { StageInput } from './workflow-inputs';

export const handler = taskHandler(StageInput, (input) => submitToBpjs({ proposals: proposals(), objects: uploads(), bpjs: bpjs(), findProgramme }, input));
