import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflow } from '../adapters/sfn-workflow';
import type { Claim } from '../core/claims/claim';
import { ClaimSettings } from '../core/claims/claim-settings';
import type { ClaimTiming } from '../core/claims/use-cases/open-claim-workflow';
import type { ApprovalPolicy } from '../core/claims/use-cases/request-claim-approval';
import { contributionTermsFor } from '../core/contributions/terms';
import type { Programme } from '../core/programmes/programme';
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

/** Finds a programme in the catalogue the handler read for this invocation (handlers/programme-lookup.ts). */
type FindProgramme = (id: string) => Programme | undefined;

/**
 * Dinas Sosial for a programme: the team's address and the programme's approver (the head of the office).
 * The setting is read when the handler is built; the programmes, on each invocation.
 */
export const dinasSosial = () => {
  const ops = setting('OPS_EMAIL');
  return (findProgramme: FindProgramme) => (programmeId: string) => {
    const approver = findProgramme(programmeId)?.approverEmail;
    return approver ? [ops, approver] : [ops];
  };
};

/**
 * Who approves a claim: the programme's approver, and a second approver (CLAIM_SECOND_APPROVER_EMAIL)
 * for claims above the programme's `twoApproversAbove` (claim-settings.ts; the defaults until a
 * programme carries its own, as the filing reads them).
 */
export const approvalPolicy = () => {
  const second = setting('CLAIM_SECOND_APPROVER_EMAIL');
  const { twoApproversAbove: twoAbove } = ClaimSettings.parse({});
  return (findProgramme: FindProgramme) =>
    (claim: Claim): ApprovalPolicy => {
      const first = findProgramme(claim.programmeId)?.approverEmail;
      return {
        approvers: [...(first ? [first] : []), second],
        approversNeeded: (claim.benefit?.total ?? 0) > twoAbove ? 2 : 1,
      };
    };
};

export const termsIn = (findProgramme: FindProgramme) => (programmeId: string) => {
  const programme = findProgramme(programmeId);
  if (!programme) throw new Error(`Programme ${programmeId} is not configured`);
  return contributionTermsFor(programme);
};
