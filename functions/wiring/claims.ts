import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflow } from '../adapters/sfn-workflow';
import type { Claim } from '../core/claims/claim';
import { ClaimSettings } from '../core/claims/claim-settings';
import type { ClaimTiming } from '../core/claims/use-cases/open-claim-workflow';
import type { ApprovalPolicy } from '../core/claims/use-cases/request-claim-approval';
import { contributionTermsFor } from '../core/contributions/terms';
import type { FindProgramme } from '../core/proposals/proposal';
import { traced } from './observability';
import { setting } from './settings';

/**
 * What the claims workflow's functions share: its state machine (the CLAIMS_STATE_MACHINE_ARN
 * setting, for task tokens and new executions), its timings, and who is told and who approves.
 */
export const claimsWorkflow = () => new SfnWorkflow(traced(new SFNClient({})), setting('CLAIMS_STATE_MACHINE_ARN'));

const seconds = (name: string) => {
  const value = Number(setting(name));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`The setting ${name} must be a whole number of seconds`);
  return value;
};

export const claimTiming = (): ClaimTiming => ({
  documentReminderSeconds: seconds('CLAIM_DOCUMENT_REMINDER_SECONDS'),
  bpjsPollSeconds: seconds('CLAIM_BPJS_POLL_SECONDS'),
});

export const maxDocumentReminders = () => Number(setting('CLAIM_DOCUMENT_REMINDERS'));

/** What a claim says of its programme: which one, and the version it was filed under. */
type ClaimProgramme = Pick<Claim, 'programmeId' | 'programmeVersion'>;

/**
 * The programme a claim is judged by, from the catalogue the handler read for this invocation
 * (handlers/programme-lookup.ts): the version recorded at filing, for every step after it, so an edit
 * made since (a new approver) does not reach a claim already filed. A claim filed before programmes had
 * versions records none and is judged by the current version.
 */
const judgedBy = (findProgramme: FindProgramme, claim: ClaimProgramme) => {
  const programme = findProgramme(claim.programmeId, claim.programmeVersion);
  // Versions are never deleted: a recorded one missing is a bug, failed loudly (the step's alarm) as a
  // proposal's is, rather than a claim quietly sent to nobody but the team.
  if (!programme && claim.programmeVersion !== undefined)
    throw new Error(`Programme ${claim.programmeId} version ${claim.programmeVersion} is not in the catalogue`);
  return programme;
};

/**
 * Dinas Sosial for a claim: the team's address and the approver (the head of the office) of the
 * programme version the claim was filed under. The setting is read when the handler is built; the
 * programmes, on each invocation.
 */
export const dinasSosial = () => {
  const ops = setting('OPS_EMAIL');
  return (findProgramme: FindProgramme) => (claim: ClaimProgramme) => {
    const approver = judgedBy(findProgramme, claim)?.approverEmail;
    return approver ? [ops, approver] : [ops];
  };
};

/**
 * Who approves a claim: the approver of the programme version it was filed under, and a second
 * approver (CLAIM_SECOND_APPROVER_EMAIL) for claims above the programme's `twoApproversAbove`
 * (claim-settings.ts; the defaults until a programme carries its own, as the filing reads them).
 */
export const approvalPolicy = () => {
  const second = setting('CLAIM_SECOND_APPROVER_EMAIL');
  const { twoApproversAbove: twoAbove } = ClaimSettings.parse({});
  return (findProgramme: FindProgramme) =>
    (claim: Claim): ApprovalPolicy => {
      const first = judgedBy(findProgramme, claim)?.approverEmail;
      return {
        approvers: [...(first ? [first] : []), second],
        approversNeeded: (claim.benefit?.total ?? 0) > twoAbove ? 2 : 1,
      };
    };
};

/**
 * A coverage's contribution terms, by its programme as it stands: the coverages a death ends are each
 * of their own programme, not the claim's, and are judged as the billing run judges them.
 */
export const termsIn = (findProgramme: FindProgramme) => (programmeId: string) => {
  const programme = findProgramme(programmeId);
  if (!programme) throw new Error(`Programme ${programmeId} is not configured`);
  return contributionTermsFor(programme);
};
