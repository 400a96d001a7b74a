import type { Participant } from '../core/participants/participant';

export interface ParticipantStore {
  /** Records participants with an audit event each; recording the same participant again changes nothing. */
  enroll(participants: Participant[], context: { execution?: string }): Promise<void>;
  listByProposal(proposalId: string): Promise<Participant[]>;
  /** One person's participation in one programme, if they were enrolled in it. */
  get(programmeId: string, nik: string): Promise<Participant | undefined>;
}
