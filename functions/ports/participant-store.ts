import type { Participant } from '../core/participants/participant';

/** Participants as enrolment recorded them (functions/ports/enrolment-store.ts writes them). */
export interface ParticipantStore {
  listByProposal(proposalId: string): Promise<Participant[]>;
  /** One person's participation in one programme, if they were enrolled in it. */
  get(programmeId: string, nik: string): Promise<Participant | undefined>;
}
