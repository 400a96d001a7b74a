import { markFailed } from '../core/proposals/outcome';
import { taskHandler } from './task-handler';
import { proposals } from './wiring';
import { FailureInput } from './workflow-inputs';

export const handler = taskHandler(FailureInput, ({ failure, executionArn }) => markFailed({ proposals: proposals() }, { ...failure, executionArn }));
