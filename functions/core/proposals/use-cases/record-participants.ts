import type { CoverageStore } from '../../../ports/coverage-store';
import type { ObjectStore } from '../../../ports/object-store';
import type { ParticipantStore } from '../../../ports/participant-store';
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

export type RecordDeps = {
  proposals: ProposalStore;
  objects: ObjectStore;
  participants: ParticipantStore;
  /** Each participant's coverage is opened here: billing counts from it from the first month. */
  coverages: Pick<CoverageStore, 'createMany'>;
  ledger: QuotaLedger;
  findProgramme: FindProgramme;
  now: () => Date;
};

/**
 * Records every worker BPJS registered as a participant, opens each one's coverage for the
 * programme's period (ACTIVE, nothing billed yet), and closes the proposal. Both writes come before
 * the proposal is closed and both leave what exists as it is, so a retried or re-driven run opens
 * whoever the failed one did not and duplicates nobody.
 */
export async function recordParticipants(deps: RecordDeps, input: { proposalId: string; executionArn?: string }) {
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
  await deps.participants.enroll(participants, { execution: input.executionArn });
  const coverage = await deps.coverages.createMany(
    participants.map((w) =>
      openCoverage(
        {
          programmeId: programme.id,
          nik: w.nik,
          villageCode: p.villageCode,
          kpj: w.kpj,
          start: programme.coverage.start,
          end: programme.coverage.end,
        },
        enrolledAt,
      ),
    ),
  );
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
  return { proposalId: p.id, status, enrolled: participants.length, coveragesOpened: coverage.created };
}
