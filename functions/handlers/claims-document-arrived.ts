import { documentArrived, ObjectCreated } from '../core/claims/use-cases/document-arrived';
import { claimStore } from '../wiring/claim-store';
import { claimsWorkflow } from '../wiring/claims';
import { logger } from '../wiring/observability';
import { now, once } from '../wiring/settings';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({ claims: claimStore(), workflow: claimsWorkflow(), now }));

/** S3's Object Created under claims/ (through EventBridge and the claim-documents state machine). */
export const handler = taskHandler(ObjectCreated, async (event) => {
  const arrival = await documentArrived(wiring(), event);
  logger.info('Claim document', { ...arrival });
  return arrival;
});
