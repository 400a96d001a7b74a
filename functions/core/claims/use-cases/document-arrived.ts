import * as z from 'zod';
import type { ClaimStore } from '../../../ports/claim-store';
import { StaleTaskTokenError, type WorkflowCallbacks } from '../../../ports/workflow';
import { DocumentType } from '../claim';
import { ClaimTransitionError, documentArrived as receive } from '../claim-transitions';
import { missing } from '../documents';
import { isFinal, type WaitOutcome } from './claim-workflow';

export type DocumentArrivedDeps = {
  claims: ClaimStore;
  workflow: WorkflowCallbacks;
  now: () => Date;
};

/** `claims/<claimId>/<documentType>/<file>`: the only keys the claims workflow reads a document from. */
const DOCUMENT_KEY = /^claims\/([^/]+)\/([A-Z_]+)\/([^/]+)$/;

export const ObjectCreated = z.object({
  detail: z.object({ object: z.object({ key: z.string().min(1) }), bucket: z.object({ name: z.string() }).optional() }),
  time: z.string().optional(),
});
export type ObjectCreated = z.infer<typeof ObjectCreated>;

export type DocumentArrival =
  | { recorded: false; reason: 'NOT_A_CLAIM_DOCUMENT' | 'UNKNOWN_CLAIM' | 'CLAIM_CLOSED' | 'NOT_AWAITING_DOCUMENTS' }
  | { recorded: true; claimId: string; type: DocumentType; complete: boolean; resumed: 'TASK' | 'EXECUTION' | 'NONE' };

/**
 * A document landed in S3 (EventBridge's Object Created for `claims/`): it is ticked on the claim's
 * checklist, and the one that completes the list sends back the token the workflow parked
 * (await-documents.ts). A claim whose workflow stopped waiting (remind-documents.ts parked it after
 * its reminders) gets a new execution instead. S3 delivering the event twice ticks the same box twice.
 */
export async function documentArrived(deps: DocumentArrivedDeps, event: ObjectCreated): Promise<DocumentArrival> {
  // S3 encodes the key in events as it does in URLs (spaces as '+').
  const key = decodeURIComponent(event.detail.object.key.replace(/\+/g, ' '));
  const match = DOCUMENT_KEY.exec(key);
  const type = DocumentType.safeParse(match?.[2]);
  if (!match || !type.success) return { recorded: false, reason: 'NOT_A_CLAIM_DOCUMENT' };
  const claimId = match[1]!;
  const existing = await deps.claims.get(claimId);
  if (!existing) return { recorded: false, reason: 'UNKNOWN_CLAIM' };
  if (isFinal(existing)) return { recorded: false, reason: 'CLAIM_CLOSED' };
  const at = deps.now().toISOString();

  // `next` may run again after a conflicting write; what it took is what the last run took.
  let taken: string | undefined;
  let restart = false;
  let stored;
  try {
    stored = await deps.claims.change(claimId, {
      next: (c) => {
        // claim-transitions.ts: ticked, and the claim moves on when it completes (to the verifier, or back to BPJS).
        const received = receive(c, type.data, key, at);
        taken = undefined;
        restart = false;
        // The same file delivered again: nothing to write, nobody to wake.
        if (received === c) return c;
        const complete = missing(received.requiredDocuments).length === 0;
        const waitingForThis = complete && c.waiting?.for === 'DOCUMENTS';
        taken = waitingForThis ? c.waiting!.taskToken : undefined;
        restart = complete && !c.waiting && (c.notices ?? []).includes(DOCUMENTS_PARKED);
        return {
          ...received,
          waiting: waitingForThis ? undefined : c.waiting,
          notices: restart ? c.notices!.filter((n) => n !== DOCUMENTS_PARKED) : c.notices,
        };
      },
      audit: {
        action: 'CLAIM_DOCUMENT_RECEIVED',
        actor: 'system:claims-document-arrived',
        details: { type: type.data, key },
      },
    });
  } catch (error) {
    // Past the documents (with the verifier, approvers or BPJS, who did not ask for it): the file stays in S3.
    if (error instanceof ClaimTransitionError) return { recorded: false, reason: 'NOT_AWAITING_DOCUMENTS' };
    throw error;
  }
  const complete = missing(stored.requiredDocuments).length === 0;
  let resumed: 'TASK' | 'EXECUTION' | 'NONE' = 'NONE';
  if (taken) {
    try {
      await deps.workflow.succeed(taken, { decision: 'COMPLETE' } satisfies WaitOutcome);
      resumed = 'TASK';
    } catch (error) {
      // The wait timed out into a reminder meanwhile: the next wait finds the list complete and goes on.
      if (!(error instanceof StaleTaskTokenError)) throw error;
    }
  } else if (restart) {
    await deps.workflow.start(`${claimId}-documents-${stored.version}`, { claimId });
    resumed = 'EXECUTION';
  }
  return { recorded: true, claimId, type: type.data, complete, resumed };
}

/** The notice remind-documents.ts leaves when the workflow stops waiting: the last document starts it again. */
export const DOCUMENTS_PARKED = 'documents-parked';
