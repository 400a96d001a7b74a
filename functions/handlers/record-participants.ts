import { recordParticipants } from '../core/proposals/enroll';
import { taskHandler } from './task-handler';
import { findProgramme, ledger, now, participants, proposals, uploads } from './wiring';
import { StageInput } from './workflow-inputs';

export const handler = taskHandler(StageInput, (input) =>
  recordParticipants({ proposals: proposals(), objects: uploads(), participants: participants(), ledger: ledger(), findProgramme, now }, input),
);
