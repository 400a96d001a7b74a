import { markFailed } from '../core/proposals/use-cases/mark-failed';
import { auditLog } from '../wiring/audit-log';
import { once } from '../wiring/settings';
import { proposalStore } from '../wiring/proposal-store';
import { count, logger } from '../wiring/observability';
import { taskHandler } from './task-handler';
import { FailureInput } from './workflow-inputs';

export const wiring = once(() => ({ proposals: proposalStore(), audit: auditLog() }));

export const handler = taskHandler(FailureInput, async ({ failure, executionArn }) => {
  // Counted before the proposal is marked: the execution failed even if marking it does not work out.
  const proposal = failure.proposalId
    ? await wiring()
        .proposals.get(failure.proposalId)
        .catch(() => undefined)
    : undefined;
  const programme = proposal?.programmeId;
  count({ ExecutionsFailed: 1 }, { stage: failure.stage, programme });
  // The error's name only: its cause may quote a row.
  logger.error('Execution failed', { stage: failure.stage, error: failure.error.Error });
  return markFailed(wiring(), { ...failure, executionArn });
});
