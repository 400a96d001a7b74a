import { markFailed } from '../core/proposals/outcome';
import { once } from '../wiring/settings';
import { proposalStore } from '../wiring/proposal-store';
import { taskHandler } from './task-handler';
import { FailureInput } from './workflow-inputs';

export const wiring = once(() => ({ proposals: proposalStore() }));

export const handler = taskHandler(FailureInput, ({ failure, executionArn }) => markFailed(wiring(), { ...failure, executionArn }));
