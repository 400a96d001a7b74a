import * as z from 'zod';
import { archiveExecution } from '../core/audit/archive';
import { auditLog } from '../wiring/audit-log';
import { auditArchive, stepFunctionsHistory } from '../wiring/audit-archive';
import { logger } from '../wiring/observability';
import { once } from '../wiring/settings';
import { taskHandler } from './task-handler';

/** The EventBridge event Step Functions sends when an execution closes (the rule passes closed statuses only). */
const ExecutionStatusChange = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.looseObject({ executionArn: z.string(), stateMachineArn: z.string(), status: z.string() }),
});

export const wiring = once(() => ({
  store: auditArchive(),
  stepFunctions: stepFunctionsHistory(),
  audit: auditLog(),
  actor: 'system:archive-execution',
}));

/** Takes a closed execution's history into the archive; an error lets EventBridge and Lambda retry it. */
export const handler = taskHandler(ExecutionStatusChange, async (event) => {
  const archived = await archiveExecution(wiring(), event.detail.executionArn);
  logger.info('Execution archived', {
    executionArn: event.detail.executionArn,
    status: event.detail.status,
    ...archived,
  });
  return archived;
});
