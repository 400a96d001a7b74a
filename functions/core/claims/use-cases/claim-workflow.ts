import * as z from 'zod';
import { ClaimNotFoundError, type ClaimStore, type StoredClaim } from '../../../ports/claim-store';
import type { WorkflowCallbacks } from '../../../ports/workflow';
import type { Claim, ClaimStatus, Decision } from '../claim';

/**
 * What the claims workflow's steps share (workflows/claims/state-machine.ts). Only the claim's id
 * travels between states; every step reads the claim and is safe to run again.
 *
 * The three waits on people (documents, the verifier, the approvers) park a Step Functions task
 * token on the claim (`waiting`); whoever completes the step (a document arriving, the console's
 * verify or reject, the approval page) clears it and sends it back with a `WaitOutcome`.
 */

/** What a wait answers; the workflow's Choice states read `decision`. */
export const WaitOutcome = z.object({
  decision: z.enum([
    /** Every required document has arrived. */
    'COMPLETE',
    /** A verifier checked the documents and the benefit. */
    'VERIFIED',
    /** One approver approved (the page); the workflow asks again until enough have. */
    'APPROVED',
    /** As many different approvers as the claim needs have approved. */
    'APPROVALS_COMPLETE',
    /** A verifier or an approver turned the claim down. */
    'REJECTED',
    /** The claim ended outside the workflow (refused at filing, or already paid): nothing to do. */
    'STOPPED',
  ]),
});
export type WaitOutcome = z.infer<typeof WaitOutcome>;

export const ClaimStepInput = z.object({ claimId: z.string().min(1), executionArn: z.string().optional() });
export type ClaimStepInput = z.infer<typeof ClaimStepInput>;
export const ClaimWaitInput = ClaimStepInput.extend({ taskToken: z.string().min(1) });
export type ClaimWaitInput = z.infer<typeof ClaimWaitInput>;

/** Statuses a claim does not leave: the workflow has nothing more to do for it. */
const FINAL_STATUSES: readonly ClaimStatus[] = ['REFUSED', 'REJECTED', 'REFUSED_BY_BPJS', 'PAID'];
export const isFinal = (c: Pick<Claim, 'status'>) => FINAL_STATUSES.includes(c.status);

export type ClaimWaitDeps = {
  claims: ClaimStore;
  workflow: WorkflowCallbacks;
  now: () => Date;
};

export async function mustGetClaim(claims: ClaimStore, id: string): Promise<StoredClaim> {
  const c = await claims.get(id);
  if (!c) throw new ClaimNotFoundError(id);
  return c;
}

/** The actor of a decision, less its role: `verifier:sari@...` -> `sari@...`. */
const identityOf = (d: Decision) =>
  d.by
    .slice(d.by.indexOf(':') + 1)
    .trim()
    .toLowerCase();

/** Who verified the claim, when someone did. */
export function verifierOf(c: Pick<Claim, 'decisions'>): string | undefined {
  const verified = c.decisions.filter((d) => d.action === 'VERIFIED').at(-1);
  return verified && identityOf(verified);
}

/**
 * The different approvers who approved, never counting the verifier (maker-checker: whoever checked
 * the claim does not also approve it, whatever the page let through).
 */
export function approversWhoApproved(c: Pick<Claim, 'decisions'>): string[] {
  const verifier = verifierOf(c);
  const approvers = c.decisions
    .filter((d) => d.action === 'APPROVED' && d.by.startsWith('approver:'))
    .map(identityOf)
    .filter((who) => who !== verifier);
  return [...new Set(approvers)];
}

export const wasRejected = (c: Pick<Claim, 'status' | 'decisions'>) =>
  c.status === 'REJECTED' || c.decisions.some((d) => d.action === 'REJECTED');

/** Marks a notice sent (at most once per key), for `next` functions. */
export const withNotice = (c: Claim, key: string): Claim =>
  c.notices?.includes(key) ? c : { ...c, notices: [...(c.notices ?? []), key] };
export const hasNotice = (c: Pick<Claim, 'notices'>, key: string) => c.notices?.includes(key) ?? false;
