import { findProgramme } from '../core/programmes/catalogue';
import { validateProposal } from '../core/proposals/use-cases/validate-proposal';
import { proposalStore } from '../wiring/proposal-store';
import { quotaLedger } from '../wiring/quota-ledger';
import { now, once } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { workflowCallbacks } from '../wiring/workflow';
import { taskHandler } from './task-handler';
import { StageInput } from './workflow-inputs';

export const wiring = once(() => ({ proposals: proposalStore(), objects: uploadsStore(), ledger: quotaLedger(), workflow: workflowCallbacks(), findProgramme, now }));

export const handler = taskHandler(StageInput, (input) => validateProposal(wiring(), input));
