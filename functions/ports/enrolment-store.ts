import type { Coverage } from '../core/contributions/coverage';
import type { Participant } from '../core/participants/participant';

/** One person BPJS registered: their participant record and the coverage opened for it. */
export type Enrolment = { participant: Participant; coverage: Coverage };

/** What became of a list of enrolments: recorded now, found recorded by this proposal, or held by another one. */
export type EnrolmentOutcome = { recorded: number; existed: number; heldElsewhere: number };

/**
 * Records a proposal's registered people: each one's participant and coverage together, both or neither,
 * with one audit event (`PARTICIPANTS_ENROLLED`) for a batch of people on an entity of its own
 * (`enrolmentEntity(proposal, first)`), which the participant names (`enrolment`) and its timeline shows.
 * Per person that is two items where a participant's and a coverage's events made four, and no read of
 * any chain (issue 12). Recording someone again changes nothing: a re-run counts them as `existed`;
 * a person another proposal enrolled in the programme first is left to it and counted as `heldElsewhere`,
 * with an event on this proposal's trail.
 */
export interface EnrolmentStore {
  record(
    enrolments: readonly Enrolment[],
    context: { proposalId: string; first: number; execution?: string },
  ): Promise<EnrolmentOutcome>;
}
