import { validateProposal } from '../core/proposals/use-cases/validate-proposal';
import { mailer } from '../wiring/mailer';
import { proposalStore } from '../wiring/proposal-store';
import { quotaLedger } from '../wiring/quota-ledger';
import { now, once, setting } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { workflowCallbacks } from '../wiring/workflow';
import { count } from '../wiring/observability';
import { programmesNow } from './programme-lookup';
import { taskHandler } from './task-handler';
import { StageInput } from './workflow-inputs';

export const wiring = once(() => ({
  proposals: proposalStore(),
  objects: uploadsStore(),
  ledger: quotaLedger(),
  workflow: workflowCallbacks(),
  // Both Dinas Sosial are told of a person another regency holds (core/proposals/other-regencies.ts).
  tell: { mailer: mailer(), apiUrl: setting('API_URL'), opsEmail: setting('OPS_EMAIL') },
  now,
}));

export const handler = taskHandler(StageInput, async (input) => {
  const result = await validateProposal({ ...wiring(), ...(await programmesNow()) }, input);
  if (result.status === 'VALIDATED' || result.status === 'INVALID') await countValidation(result.proposalId);
  return result;
});

/** The use case answers with the valid count for the workflow; the proposal holds both counts and the programme. */
async function countValidation(proposalId: string) {
  const p = await wiring().proposals.get(proposalId);
  const rows = { RowsValid: p?.counts?.valid ?? 0, RowsInvalid: p?.counts?.invalid ?? 0 };
  count({ ProposalsValidated: 1, ...rows }, { programme: p?.programmeId });
}
