import { markFailed } from '../core/proposals/use-cases/mark-failed';
import { auditLog } from '../wiring/audit-log';
import { once } from '../wiring/settings';
import { proposalStore } from '../wiring/proposal-store';
import { taskHandler } from './task-handler';
import { FailureInput } from './workflow-inputs';

export const wiring = once(() => ({ proposals: proposalStore(), audit: auditLog() }));

export const handler = taskHandler(FailureInput, ({ failure, executionArn }) => markFailed(wiring(), { ...failure, executionArn }));
