import type { Programme } from '../programmes/programme';
import type { Proposal } from './proposal';

export type Decision = 'APPROVED' | 'REJECTED';
/** How an approval wait ended, as the workflow's Choice reads it. */
export type ApprovalOutcome = { proposalId: string; decision: Decision | 'EXPIRED' | 'SUPERSEDED' };

/**
 * How long the approval wait may last: the programme's window for a proposal not yet put to the
 * approver, and only what is left of its own deadline for one that was (a re-drive or a restart
 * waits again, it does not start the window over). A passed deadline gives the shortest wait Step
 * Functions accepts, so the wait times out at once and the proposal expires.
 */
export function approvalWaitSeconds(p: Proposal, programme: Programme, now: Date): number {
  if (!p.approval || p.approval.decision) return programme.approvalTimeoutDays * 86_400;
  return Math.max(1, Math.ceil((Date.parse(p.approval.expiresAt) - now.getTime()) / 1000));
}

/** The approval deadline has passed at `now`. */
export const deadlinePassed = (p: Proposal, now: Date) =>
  !!p.approval && Date.parse(p.approval.expiresAt) <= now.getTime();

/** How a proposal's approval wait already ended, if it did. */
export function settledOutcome(p: Proposal): ApprovalOutcome | undefined {
  if (p.approval?.decision) return { proposalId: p.id, decision: p.approval.decision };
  if (p.status === 'SUPERSEDED' || p.status === 'EXPIRED') return { proposalId: p.id, decision: p.status };
  return undefined;
}
