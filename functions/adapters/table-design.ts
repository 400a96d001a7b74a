/**
 * Index names shared by the DynamoDB adapters and the table definitions in
 * infra/stacks/stateful-stack.ts, so the two cannot drift apart.
 */
export const PROPOSAL_INDEXES = { byUploadKey: 'byUploadKey', byProgrammeVillage: 'byProgrammeVillage' } as const;
export const PARTICIPANT_INDEXES = { byProposal: 'byProposal' } as const;
export const AUDIT_INDEXES = { byDay: 'byDay' } as const;
export const COVERAGE_INDEXES = { byProgrammeVillage: 'byProgrammeVillage', billable: 'billable' } as const;
export const BILL_INDEXES = { open: 'open' } as const;
export const CLAIM_INDEXES = {
  byParticipant: 'byParticipant',
  byProgrammeVillage: 'byProgrammeVillage',
  byProgramme: 'byProgramme',
  paid: 'paid',
} as const;
