import { z } from 'zod';
import type { BpjsGateway } from '../../ports/bpjs';
import type { ObjectStore } from '../../ports/object-store';
import type { ParticipantStore } from '../../ports/participant-store';
import type { ProposalStore } from '../../ports/proposal-store';
import type { QuotaLedger } from '../../ports/quota-ledger';
import { periodOf, quotaOf } from './reservations';
import { MAX_BATCH_SIZE, RegistrationResult } from '../bpjs/contract';
import type { Participant } from '../participants/participant';
import type { Programme } from '../programmes/programme';
import { Worker } from '../workers/worker';
import { mustGet } from './approval';
import { readJsonLines, toJsonLines } from './jsonl';

export const bpjsResultsKey = (proposalId: string) => `work/${proposalId}/bpjs-results.jsonl`;

export type SubmitDeps = {
  proposals: ProposalStore;
  objects: ObjectStore;
  bpjs: BpjsGateway;
  findProgramme: (id: string) => Programme | undefined;
};

export type Submitted = { proposalId: string; registered: number; rejected: number };

/**
 * Sends the approved workers to BPJS in batches. Each batch carries a stable reference, which BPJS
 * treats as an idempotency key, so a retry after an outage re-sends safely and gets the same KPJs.
 * The answers go to S3 (not through the workflow: 10,000 rows would not fit its payload).
 */
export async function submitToBpjs(deps: SubmitDeps, input: { proposalId: string; executionArn?: string }): Promise<Submitted> {
  const p = await mustGet(deps.proposals, input.proposalId);
  const programme = deps.findProgramme(p.programmeId);
  if (!programme) throw new Error(`Programme ${p.programmeId} is not configured`);
  if (!p.workersKey) throw new Error(`Proposal ${p.id} has no validated workers`);
  if (p.status === 'APPROVED') {
    await deps.proposals.change(p.id, {
      from: ['APPROVED'],
      set: { status: 'SUBMITTING' },
      audit: { action: 'BPJS_SUBMISSION_STARTED', actor: 'system:submit-to-bpjs', execution: input.executionArn, from: 'APPROVED', to: 'SUBMITTING' },
    });
  } else if (p.status !== 'SUBMITTING') {
    throw new Error(`Proposal ${p.id} is ${p.status}; only an approved proposal is submitted`);
  }

  const results: RegistrationResult[] = [];
  let batch: Worker[] = [];
  let batchNo = 0;
  const send = async () => {
    batchNo += 1;
    const response = await deps.bpjs.register({
      programmeId: programme.id,
      reference: `${p.id}-${batchNo}`,
      employer: { name: `Pemerintah ${programme.regency.name}`, regencyCode: programme.regency.code },
      coverageStart: programme.coverage.start,
      coverageEnd: programme.coverage.end,
      benefits: programme.benefits,
      workers: batch.map(({ nik, name, birthDate, sex, occupation }) => ({ nik, name, birthDate, sex, occupation })),
    });
    results.push(...response.results);
    batch = [];
  };
  const { body } = await deps.objects.get({ key: p.workersKey });
  for await (const worker of readJsonLines(body, Worker)) {
    batch.push(worker);
    if (batch.length === MAX_BATCH_SIZE) await send();
  }
  if (batch.length) await send();

  await deps.objects.put(bpjsResultsKey(p.id), toJsonLines(results), 'application/x-ndjson');
  const registered = results.filter((r) => r.status === 'REGISTERED').length;
  await deps.proposals.record(p.id, {
    action: 'BPJS_ANSWERED',
    actor: 'bpjs',
    execution: input.executionArn,
    details: { batches: batchNo, registered, rejected: results.length - registered },
  });
  return { proposalId: p.id, registered, rejected: results.length - registered };
}

export type RecordDeps = {
  proposals: ProposalStore;
  objects: ObjectStore;
  participants: ParticipantStore;
  ledger: QuotaLedger;
  findProgramme: (id: string) => Programme | undefined;
  now: () => Date;
};

/** Records every worker BPJS registered as a participant, and closes the proposal. */
export async function recordParticipants(deps: RecordDeps, input: { proposalId: string; executionArn?: string }) {
  const p = await mustGet(deps.proposals, input.proposalId);
  if (p.status === 'ENROLLED' || p.status === 'PARTIALLY_ENROLLED') return { proposalId: p.id, status: p.status, enrolled: p.enrolled };
  const programme = deps.findProgramme(p.programmeId);
  if (!programme || !p.workersKey) throw new Error(`Proposal ${p.id} cannot be recorded: programme or workers missing`);

  const outcomes = new Map<string, RegistrationResult>();
  for await (const r of readJsonLines((await deps.objects.get({ key: bpjsResultsKey(p.id) })).body, RegistrationResult)) outcomes.set(r.nik, r);

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
        reason: outcome?.status === 'REJECTED' ? outcome.reason : { code: 'BPJS_NO_ANSWER', message: 'BPJS tidak memberi jawaban untuk pekerja ini.' },
      });
    }
  }
  await deps.participants.enroll(participants, { execution: input.executionArn });
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
    set: { status, enrolled: participants.length, rejectedByBpjs: rejections.length },
    audit: {
      action: 'PARTICIPANTS_RECORDED',
      actor: 'system:record-participants',
      execution: input.executionArn,
      from: 'SUBMITTING',
      to: status,
      details: { enrolled: participants.length, rejected: rejections.slice(0, 200) },
    },
  });
  return { proposalId: p.id, status, enrolled: participants.length };
}

export const SubmitInput = z.object({ proposalId: z.string(), executionArn: z.string().optional() });
