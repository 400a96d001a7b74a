import { submitToBpjs } from '../core/proposals/enroll';
import { taskHandler } from './task-handler';
import { bpjs, findProgramme, proposals, uploads } from './wiring';
import { StageInput } from './workflow-inputs';

// The use case stops before the Lambda's end and the workflow comes back, rather than the Lambda being killed mid-batch.
export const handler = taskHandler(StageInput, (input, context) =>
  submitToBpjs({ proposals: proposals(), objects: uploads(), bpjs: bpjs(), findProgramme }, input, {
    deadline: Date.now() + context.getRemainingTimeInMillis(),
  }),
);
