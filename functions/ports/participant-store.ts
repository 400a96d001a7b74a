import type { Participant } from '../core/participants/participant';

export interface ParticipantStore {
  /** Records participants with an audit event each; recording the same participant again changes nothing. */
  enroll(participants: Participant[], context: { execution?: string }): Promise<void>;
  listByProposal(proposalId: string): Promise<Participant[]>;
}
