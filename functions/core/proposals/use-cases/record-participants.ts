import type { EnrolmentStore } from '../../../ports/enrolment-store';
import type { ObjectStore } from '../../../ports/object-store';
import type { ProposalStore } from '../../../ports/proposal-store';
import type { QuotaLedger } from '../../../ports/quota-ledger';
import { RegistrationResult } from '../../bpjs/contract';
import { openCoverage } from '../../contributions/coverage';
import type { Participant } from '../../participants/participant';
import { maskNik, redactText } from '../../privacy/mask';
import type { FindProgramme } from '../proposal';
import { Worker } from '../../workers/worker';
import { readJsonLines } from '../jsonl';
import { mustGet } from '../must-get';
import { periodOf, quotaOf } from '../reservations';
import { bpjsResultsKey } from '../work-keys';

/** How many refusals a proposal lists itself (a DynamoDB item holds 400 KB); the report has them all. */
const MAX_LISTED_REJECTIONS = 500;

/**
 * People recorded between two looks at the clock: their participants and coverages, about 21 transactions
 * (functions/ports/enrolment-store.ts), well under a second on DynamoDB; the handler keeps back time for one
 * more and the proposal's close.
 */
export const RECORDING_CHUNK = 1_000;

/**
 * Recording stopped before its Lambda's end with people left. Who was recorded is, and the proposal says how
 * many (`enrolled`, while still SUBMITTING); the workflow runs the step again, which carries on from there.
 */
export class RecordingPausedError extends Error {
  override name = 'RecordingPausedError';
}

export type RecordDeps = {
  proposals: ProposalStore;
  objects: ObjectStore;
  /** Each participant is recorded with their coverage opened: billing counts from it from the first month. */
  enrolments: EnrolmentStore;
  ledger: QuotaLedger;
  findProgramme: FindProgramme;
  now: () => Date;
};

/**
 * Records every worker BPJS registered as a participant, opens each one's coverage for the
 * programme's period (ACTIVE, nothing billed yet), both in one write, and closes the proposal. The
 * writes come before the proposal is closed and leave what exists as it is, so a retried or re-driven
 * run records whoever the failed one did not and duplicates nobody.
 *
 * People are recorded RECORDING_CHUNK at a time, in the order of the workers file. With `outOfTime`,
 * asked after each chunk, a run with people left saves how many are recorded on the proposal and throws
 * RecordingPausedError; the next run skips that many (the order is fixed: the file and BPJS's answers do
 * not change) and records the rest. A run that dies between two saves leaves at most a few chunks
 * recorded past the count, which the next run writes again as the stores allow: no change to anyone.
 */
export async function recordParticipants(
  deps: RecordDeps,
  input: { proposalId: string; executionArn?: string },
  options: { outOfTime?: () => boolean; chunk?: number } = {},
) {
  const chunkSize = options.chunk ?? RECORDING_CHUNK;
  const p = await mustGet(deps.proposals, input.proposalId);
  if (p.status === 'ENROLLED' || p.status === 'PARTIALLY_ENROLLED')
    return { proposalId: p.id, status: p.status, enrolled: p.enrolled };
  const programme = deps.findProgramme(p.programmeId, p.programmeVersion);
  if (!programme || !p.workersKey) throw new Error(`Proposal ${p.id} cannot be recorded: programme or workers missing`);

  const outcomes = new Map<string, RegistrationResult>();
  for await (const r of readJsonLines((await deps.objects.get({ key: bpjsResultsKey(p.id) })).body, RegistrationResult))
    outcomes.set(r.nik, r);

  const enrolledAt = deps.now().toISOString();
  const participants: Participant[] = [];
  const rejections: { row: number; nik: string; reason: { code: string; message: string } }[] = [];
  for await (const w of readJsonLines((await deps.objects.get({ key: p.workersKey })).body, Worker)) {
    const outcome = outcomes.get(w.nik);
    if (outcome?.status === 'REGISTERED') {
      const { row: _row, ...worker } = w;
      participants.push({
        ...worker,
        programmeId: programme.id,
        proposalId: p.id,
        villageCode: p.villageCode,
        kpj: outcome.kpj,
        status: 'ACTIVE',
        coverageStart: programme.coverage.start,
        coverageEnd: programme.coverage.end,
        enrolledAt,
      });
    } else {
      rejections.push({
        row: w.row,
        nik: w.nik,
        reason:
          outcome?.status === 'REJECTED'
            ? outcome.reason
            : { code: 'BPJS_NO_ANSWER', message: 'BPJS tidak memberi jawaban untuk pekerja ini.' },
      });
    }
  }
  // Recorded by an earlier run of this step that paused; never more than there are (a changed file would be
  // refused long before: the workers file is the validated one, written once).
  const recordedBefore = p.status === 'SUBMITTING' ? Math.min(p.enrolled, participants.length) : 0;
  let coveragesOpened = 0;
  for (let i = recordedBefore; i < participants.length; i += chunkSize) {
    const chunk = participants.slice(i, i + chunkSize);
    const outcome = await deps.enrolments.record(
      chunk.map((participant) => ({
        participant,
        coverage: openCoverage(
          {
            programmeId: programme.id,
            nik: participant.nik,
            villageCode: p.villageCode,
            kpj: participant.kpj,
            start: programme.coverage.start,
            end: programme.coverage.end,
          },
          enrolledAt,
        ),
      })),
      { proposalId: p.id, first: i, execution: input.executionArn },
    );
    coveragesOpened += outcome.recorded;
    const recorded = i + chunk.length;
    if (recorded < participants.length && options.outOfTime?.()) {
      await deps.proposals.change(p.id, {
        from: ['SUBMITTING'],
        set: { enrolled: recorded },
        audit: {
          action: 'PARTICIPANTS_RECORDING_PAUSED',
          actor: 'system:record-participants',
          execution: input.executionArn,
          details: { recorded, of: participants.length },
        },
      });
      throw new RecordingPausedError(
        `Proposal ${p.id}: out of time after recording ${recorded} of ${participants.length} participants`,
      );
    }
  }
  if (rejections.length) {
    // People BPJS would not register free their places and may be proposed again once fixed.
    await deps.ledger.unclaim(
      periodOf(programme),
      p.id,
      rejections.map((r) => r.nik),
    );
    await deps.ledger.release(quotaOf(programme, p.villageCode), p.id, rejections.length);
  }
  const status = rejections.length === 0 ? 'ENROLLED' : 'PARTIALLY_ENROLLED';
  await deps.proposals.change(p.id, {
    from: ['SUBMITTING'],
    set: {
      status,
      enrolled: participants.length,
      rejectedByBpjs: rejections.length,
      // Who BPJS refused and why, for the page and the JSON the notice points to: the row and a
      // masked NIK find the person in the operator's own sheet; the whole row stays in the report.
      bpjsRejections: rejections
        .slice(0, MAX_LISTED_REJECTIONS)
        .map((r) => ({ row: r.row, nik: maskNik(r.nik), code: r.reason.code, message: redactText(r.reason.message) })),
    },
    audit: {
      action: 'PARTICIPANTS_RECORDED',
      actor: 'system:record-participants',
      execution: input.executionArn,
      from: 'SUBMITTING',
      to: status,
      details: { enrolled: participants.length, rejected: rejections.slice(0, 200) },
    },
  });
  return { proposalId: p.id, status, enrolled: participants.length, coveragesOpened };
}
