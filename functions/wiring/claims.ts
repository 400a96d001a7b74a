import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflow } from '../adapters/sfn-workflow';
import type { Claim } from '../core/claims/claim';
import { ClaimSettings } from '../core/claims/claim-settings';
import type { ClaimTiming } from '../core/claims/use-cases/open-claim-workflow';
import type { ApprovalPolicy } from '../core/claims/use-cases/request-claim-approval';
import { contributionTermsFor } from '../core/contributions/terms';
import { programmeJudgedBy, type FindProgramme } from '../core/proposals/proposal';
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
 * Dinas Sosial for a claim: the team's address and the approver (the head of the office) of the
 * programme version the claim was filed under. The setting is read when the handler is built; the
 * programmes, on each invocation.
 */
export const dinasSosial = () => {
  const ops = setting('OPS_EMAIL');
  return (findProgramme: FindProgramme) => (claim: ClaimProgramme) => {
    const approver = programmeJudgedBy(findProgramme, claim)?.approverEmail;
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
      const first = programmeJudgedBy(findProgramme, claim)?.approverEmail;
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
