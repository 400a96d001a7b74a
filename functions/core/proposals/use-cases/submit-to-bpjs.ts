import * as z from 'zod';
import { BpjsSubmissionPausedError, BpjsUnavailableError, type BpjsGateway } from '../../../ports/bpjs';
import type { AuditLog } from '../../../ports/audit-log';
import type { ObjectStore } from '../../../ports/object-store';
import type { ProposalStore } from '../../../ports/proposal-store';
import { BpjsCaller, GaveUpError, OutOfTimeError, systemClock, type Clock } from '../../bpjs/bpjs-caller';
import { MAX_BATCH_SIZE, RegistrationResult, type RegisteredParticipant } from '../../bpjs/contract';
import type { FindProgramme } from '../proposal';
import { Worker } from '../../workers/worker';
import { mustGet } from '../must-get';
import { readJsonLines, toJsonLines } from '../jsonl';
import { recordProposalEvent } from '../proposal-trail';
import { bpjsBatchKey, bpjsResultsKey } from '../work-keys';

/** Time kept back from the Lambda's deadline to save what was done after the last request. */
export const SUBMISSION_RESERVE_MS = 15_000;

const BatchRecord = z.object({
  reference: z.string(),
  registrationId: z.string().optional(),
  niks: z.array(z.string()),
  results: z.array(RegistrationResult),
});
type BatchRecord = z.infer<typeof BatchRecord>;

export type SubmitDeps = {
  proposals: ProposalStore;
  audit: AuditLog;
  objects: ObjectStore;
  bpjs: BpjsGateway;
  findProgramme: FindProgramme;
  clock?: Clock;
};

export type Submitted = { proposalId: string; registered: number; rejected: number };

/**
 * Sends the approved workers to BPJS in batches. Each batch carries a stable reference, which BPJS
 * treats as an idempotency key, so a retry after a lost answer re-sends safely and gets the same KPJs.
 *
 * Each answer is kept in S3 the moment it arrives (not in the workflow: 10,000 rows would not fit
 * its payload), so a retry or a re-drive starts after the last batch BPJS answered, and what BPJS
 * registered is on record even if the proposal stops here. Requests keep to the adapter's rate and
 * to BPJS's Retry-After; none starts unless it can finish before `deadline` (the Lambda's end).
 * When the run stops with batches left after getting some through, it throws
 * BpjsSubmissionPausedError and the workflow comes back for the rest.
 */
export async function submitToBpjs(
  deps: SubmitDeps,
  input: { proposalId: string; executionArn?: string },
  options: { deadline?: number } = {},
): Promise<Submitted> {
  const p = await mustGet(deps.proposals, input.proposalId);
  const programme = deps.findProgramme(p.programmeId, p.programmeVersion);
  if (!programme) throw new Error(`Programme ${p.programmeId} is not configured`);
  if (!p.workersKey) throw new Error(`Proposal ${p.id} has no validated workers`);
  if (p.status === 'APPROVED') {
    await deps.proposals.change(p.id, {
      from: ['APPROVED'],
      set: { status: 'SUBMITTING' },
      audit: {
        action: 'BPJS_SUBMISSION_STARTED',
        actor: 'system:submit-to-bpjs',
        execution: input.executionArn,
        from: 'APPROVED',
        to: 'SUBMITTING',
      },
    });
  } else if (p.status !== 'SUBMITTING') {
    throw new Error(`Proposal ${p.id} is ${p.status}; only an approved proposal is submitted`);
  }

  // Read at once: a stream held open through minutes of Retry-After would be dropped by S3.
  const workers: Worker[] = [];
  for await (const worker of readJsonLines((await deps.objects.get({ key: p.workersKey })).body, Worker))
    workers.push(worker);

  const caller = new BpjsCaller(deps.bpjs.limits, deps.clock ?? systemClock, {
    deadline: options.deadline ?? Number.POSITIVE_INFINITY,
    reserveMs: SUBMISSION_RESERVE_MS,
  });
  const results: RegistrationResult[] = [];
  let batchNo = 0;
  let answeredNow = 0;
  try {
    for (let i = 0; i < workers.length; i += MAX_BATCH_SIZE) {
      batchNo += 1;
      const batch = workers.slice(i, i + MAX_BATCH_SIZE);
      const key = bpjsBatchKey(p.id, batchNo);
      const reference = `${p.id}-${batchNo}`;
      const niks = batch.map((w) => w.nik);
      const kept = await keptBatch(deps.objects, key);
      if (kept) {
        // The reference is BPJS's idempotency key: reusing it for other workers would get their answer wrong.
        if (kept.reference !== reference || kept.niks.join() !== niks.join()) {
          throw new Error(
            `Proposal ${p.id}: the kept answer to batch ${batchNo} is for other workers than the batch; not resuming over it`,
          );
        }
        results.push(...kept.results);
        continue;
      }
      const response = await caller.call(() =>
        deps.bpjs.register({
          programmeId: programme.id,
          reference,
          employer: { name: `Pemerintah ${programme.regency.name}`, regencyCode: programme.regency.code },
          coverageStart: programme.coverage.start,
          coverageEnd: programme.coverage.end,
          benefits: programme.benefits,
          workers: batch.map(({ nik, name, birthDate, sex, occupation }) => ({
            nik,
            name,
            birthDate,
            sex,
            occupation,
          })),
        }),
      );
      const { answers, unanswered, unexpected } = matchAnswers(niks, response.results);
      // BPJS said nothing (or two things) about these: its register says whether it took them.
      for (const nik of unanswered) {
        const found = await caller.call(() => deps.bpjs.findParticipant(programme.id, nik));
        answers.set(nik, fromRegister(nik, reference, found));
      }
      const record: BatchRecord = {
        reference,
        registrationId: response.registrationId,
        niks,
        results: niks.map((nik) => answers.get(nik)!),
      };
      const registered = record.results.filter((r) => r.status === 'REGISTERED').length;
      // Audit first: if saving the answer fails, the retry replays the batch (same answer) and audits it again,
      // never silently.
      await recordProposalEvent(deps.audit, p.id, {
        action: 'BPJS_BATCH_ANSWERED',
        actor: 'bpjs',
        execution: input.executionArn,
        details: {
          batch: batchNo,
          reference,
          registrationId: response.registrationId,
          registered,
          rejected: batch.length - registered,
          ...(unanswered.length ? { lookedUp: unanswered.length } : {}),
          ...(unexpected ? { unexpected } : {}),
        },
      });
      await deps.objects.put(key, JSON.stringify(record), 'application/json');
      results.push(...record.results);
      answeredNow += 1;
    }
  } catch (error) {
    if (!(error instanceof OutOfTimeError || error instanceof GaveUpError)) throw error;
    const why = error instanceof GaveUpError ? `BPJS terus gagal (${error.message})` : 'waktu eksekusi hampir habis';
    if (answeredNow > 0) {
      throw new BpjsSubmissionPausedError(
        `Pengiriman ke BPJS dijeda pada kelompok ${batchNo} karena ${why}; ${answeredNow} kelompok sudah dijawab dan disimpan, sisanya dilanjutkan.`,
      );
    }
    if (error instanceof GaveUpError) throw error.last;
    throw new BpjsUnavailableError(`Pengiriman ke BPJS belum dapat dimulai: ${why}.`);
  }

  await deps.objects.put(bpjsResultsKey(p.id), toJsonLines(results), 'application/x-ndjson');
  const registered = results.filter((r) => r.status === 'REGISTERED').length;
  await recordProposalEvent(deps.audit, p.id, {
    action: 'BPJS_ANSWERED',
    actor: 'bpjs',
    execution: input.executionArn,
    details: { batches: batchNo, registered, rejected: results.length - registered },
  });
  return { proposalId: p.id, registered, rejected: results.length - registered };
}

async function keptBatch(objects: ObjectStore, key: string): Promise<BatchRecord | undefined> {
  if (!(await objects.head({ key }))) return undefined;
  return BatchRecord.parse(JSON.parse(await objects.getText(key)));
}

/**
 * Takes BPJS's answer for the NIKs that were sent, once each. Answers about NIKs not sent are
 * dropped (recording someone outside the batch would enrol a stranger); a NIK left out, or answered
 * two different ways, is unanswered.
 */
function matchAnswers(niks: readonly string[], results: readonly RegistrationResult[]) {
  const sent = new Set(niks);
  const answers = new Map<string, RegistrationResult>();
  const conflicting = new Set<string>();
  let unexpected = 0;
  for (const r of results) {
    if (!sent.has(r.nik)) {
      unexpected += 1;
      continue;
    }
    const earlier = answers.get(r.nik);
    if (earlier && JSON.stringify(earlier) !== JSON.stringify(r)) conflicting.add(r.nik);
    answers.set(r.nik, r);
  }
  for (const nik of conflicting) answers.delete(nik);
  return { answers, unanswered: niks.filter((nik) => !answers.has(nik)), unexpected };
}

function fromRegister(nik: string, reference: string, found: RegisteredParticipant | undefined): RegistrationResult {
  if (found?.reference === reference) return { nik, status: 'REGISTERED', kpj: found.kpj };
  if (found)
    return {
      nik,
      status: 'REJECTED',
      reason: { code: 'ALREADY_REGISTERED', message: `NIK sudah terdaftar sebagai peserta (KPJ ${found.kpj}).` },
    };
  return {
    nik,
    status: 'REJECTED',
    reason: {
      code: 'BPJS_NO_ANSWER',
      message:
        'BPJS tidak memberi jawaban untuk pekerja ini dan tidak mendaftarkannya; pekerja dapat diusulkan kembali.',
    },
  };
}
