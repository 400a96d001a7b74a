import type { Mailer } from '../../ports/mailer';
import type { ObjectStore } from '../../ports/object-store';
import { ProposalStatusConflictError, type ProposalStore } from '../../ports/proposal-store';
import type { QuotaLedger } from '../../ports/quota-ledger';
import type { WorkflowCallbacks } from '../../ports/workflow';
import type { Programme } from '../programmes/programme';
import { consoleUrl, mustGet } from './approval';
import { outcomeMail } from './mails';
import { isFinal, type Proposal, type ProposalStatus } from './proposal';
import { releaseReservations } from './reservations';
import { proposalIdFor, uploadOf, ObjectCreatedEvent } from './source-event';

export type NotifyDeps = {
  proposals: ProposalStore;
  mailer: Mailer;
  findProgramme: (id: string) => Programme | undefined;
  apiUrl: string;
  opsEmail: string;
};

/** Tells the village (and the Dinas Sosial) how a proposal ended. Mails once per final status. */
export async function notifyOutcome(deps: NotifyDeps, input: { proposalId: string; executionArn?: string }) {
  const p = await mustGet(deps.proposals, input.proposalId);
  if (p.notified.includes(p.status)) return { proposalId: p.id, notified: false };
  const mail = outcomeMail(
    p,
    { operator: p.operatorEmail, ops: deps.opsEmail, approver: deps.findProgramme(p.programmeId)?.approverEmail },
    { proposal: consoleUrl(deps.apiUrl, p.id), report: p.report ? consoleUrl(deps.apiUrl, p.id) : undefined },
  );
  if (!mail) return { proposalId: p.id, notified: false };
  const { messageId } = await deps.mailer.send(mail);
  await deps.proposals.change(p.id, {
    set: { notified: [...p.notified, p.status] },
    audit: { action: 'OUTCOME_MAIL_SENT', actor: 'system:notify', execution: input.executionArn, details: { status: p.status, to: mail.to, messageId } },
  });
  return { proposalId: p.id, notified: true };
}

/** What Step Functions hands a Catch: the error name and its cause (for Lambda, a JSON document). */
export type CaughtError = { Error: string; Cause?: string };

const STAGE_WORDS: Record<string, string> = {
  register: 'pencatatan unggahan',
  validate: 'validasi',
  approval: 'permintaan persetujuan',
  submit: 'pengajuan ke BPJS Ketenagakerjaan',
  record: 'pencatatan peserta',
  notify: 'pengiriman pemberitahuan',
};

/**
 * A stage failed after its retries. The proposal becomes FAILED with the reason and the stage it
 * stopped at, so it can be re-driven from there; nothing it already did is undone.
 */
export async function markFailed(
  deps: { proposals: ProposalStore },
  input: { proposalId?: string; event?: unknown; stage: string; error: CaughtError; executionArn?: string },
): Promise<{ proposalId: string; status: ProposalStatus }> {
  const errorText = describeCause(input.error);
  const proposalId = input.proposalId ?? proposalIdForEvent(input.event);
  const p = await deps.proposals.get(proposalId);
  if (input.stage === 'notify') {
    // A lost mail must not turn an enrolled proposal into a failed one: record it, keep the status.
    await deps.proposals.record(proposalId, {
      action: 'OUTCOME_MAIL_FAILED',
      actor: 'system:workflow',
      execution: input.executionArn,
      details: { error: input.error.Error, cause: errorText },
    });
    return { proposalId, status: p?.status ?? 'FAILED' };
  }
  const reason = {
    code: 'SYSTEM_FAILURE',
    message: `Terjadi gangguan sistem pada tahap ${STAGE_WORDS[input.stage] ?? input.stage}. Data tidak hilang; Dinas Sosial dapat menjalankan ulang usulan ini.`,
  };
  if (!p) throw new Error(`Proposal ${proposalId} failed at ${input.stage} before it was recorded: ${errorText}`);
  // Conditional on the status it was read in: a superseding upload or a decision landing meanwhile
  // must not be overwritten by FAILED (read again and look once more).
  for (let current: Proposal | undefined = p, attempt = 0; current && attempt < 5; attempt++) {
    if (isFinal(current.status)) return { proposalId, status: current.status };
    try {
      await deps.proposals.change(proposalId, {
        from: [current.status],
        set: { status: 'FAILED', reason, failure: { stage: input.stage, previousStatus: current.status, error: input.error.Error, cause: errorText } },
        audit: {
          action: 'PROPOSAL_FAILED',
          actor: 'system:workflow',
          execution: input.executionArn,
          from: current.status,
          to: 'FAILED',
          details: { stage: input.stage, error: input.error.Error, cause: errorText },
        },
      });
      return { proposalId, status: 'FAILED' };
    } catch (error) {
      if (!(error instanceof ProposalStatusConflictError)) throw error;
      current = await deps.proposals.get(proposalId);
    }
  }
  throw new Error(`Proposal ${proposalId} kept changing while it was being marked FAILED at ${input.stage}: ${errorText}`);
}

type RedriveDeps = { proposals: ProposalStore; workflow: WorkflowCallbacks };
type Restarted = { ok: true; executionArn: string };

/**
 * Starts the workflow again for a FAILED proposal, from the stage it stopped at: every stage is
 * idempotent, so the new execution skips what is done. Only FAILED: anything else either has an
 * execution carrying it (a second one would race it) or is finished.
 */
export async function redrive(
  deps: RedriveDeps,
  input: { proposalId: string; actor: string },
): Promise<Restarted | { ok: false; reason: 'NOT_FOUND' | 'NOT_FAILED'; proposal?: Proposal }> {
  const p = await deps.proposals.get(input.proposalId);
  if (!p) return { ok: false, reason: 'NOT_FOUND' };
  if (p.status !== 'FAILED') return { ok: false, reason: 'NOT_FAILED', proposal: p };
  return restart(deps, p, (p.failure?.previousStatus as ProposalStatus | undefined) ?? 'RECEIVED', input.actor).catch(async (error: Error) => {
    // A cancellation, a superseding upload or another re-drive got there first.
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    return { ok: false as const, reason: 'NOT_FAILED' as const, proposal: await deps.proposals.get(p.id) };
  });
}

/**
 * Carries on with a proposal an interruption left mid-way (the local stack's engine keeps no
 * executions across a restart, so they are started again from DynamoDB): a new execution resumes
 * at the status the proposal is in. A FAILED or otherwise finished proposal is left alone.
 */
export async function resumeUnfinished(
  deps: RedriveDeps,
  input: { proposalId: string; actor: string },
): Promise<Restarted | { ok: false; reason: 'NOT_FOUND' | 'FINISHED' }> {
  const p = await deps.proposals.get(input.proposalId);
  if (!p) return { ok: false, reason: 'NOT_FOUND' };
  if (isFinal(p.status)) return { ok: false, reason: 'FINISHED' };
  return restart(deps, p, p.status, input.actor);
}

async function restart(deps: RedriveDeps, p: Proposal, resumeAt: ProposalStatus, actor: string): Promise<Restarted> {
  const redrives = p.redrives + 1;
  const name = `${p.id}-redrive-${redrives}`;
  await deps.proposals.change(p.id, {
    from: [p.status],
    set: { status: resumeAt, redrives, activeExecution: name },
    remove: ['reason', 'failure'],
    audit: { action: 'PROPOSAL_REDRIVEN', actor, from: p.status, to: resumeAt, details: { redrives } },
  });
  const { executionArn } = await deps.workflow.start(name, p.sourceEvent);
  return { ok: true, executionArn };
}

export type CancelDeps = {
  proposals: ProposalStore;
  ledger: QuotaLedger;
  objects: ObjectStore;
  findProgramme: (id: string) => Programme | undefined;
};

export type CancelResult =
  { ok: true; proposal: Proposal } | { ok: false; reason: 'NOT_FOUND' | 'NOTE_REQUIRED' | 'NOT_FAILED' | 'ALREADY_APPROVED'; proposal?: Proposal };

/**
 * The Dinas Sosial withdraws a FAILED proposal instead of re-driving it: it becomes CANCELLED (a
 * final status, with who and why in its history) and gives its people and quota back.
 *
 * Only FAILED, because only there nobody else owns the proposal: an unfinished one has a running
 * execution that would race the cancellation, an awaiting one has the approver (who rejects), an
 * INVALID, rejected, expired or superseded one holds nothing, and a new upload replaces any of them.
 * And not one that failed after approval: BPJS may already have registered its workers, so
 * releasing them would let the same people be proposed and paid twice; re-drive that one instead.
 */
export async function cancelProposal(deps: CancelDeps, input: { proposalId: string; actor: string; note: string }): Promise<CancelResult> {
  const p = await deps.proposals.get(input.proposalId);
  if (!p) return { ok: false, reason: 'NOT_FOUND' };
  const note = input.note.trim();
  if (!note) return { ok: false, reason: 'NOTE_REQUIRED', proposal: p };
  if (p.status !== 'FAILED') return { ok: false, reason: 'NOT_FAILED', proposal: p };
  if (p.approval?.decision === 'APPROVED' || ['APPROVED', 'SUBMITTING'].includes(p.failure?.previousStatus ?? '')) {
    return { ok: false, reason: 'ALREADY_APPROVED', proposal: p };
  }
  let cancelled: Proposal;
  try {
    cancelled = await deps.proposals.change(p.id, {
      from: ['FAILED'],
      set: { status: 'CANCELLED', reason: { code: 'PROPOSAL_CANCELLED', message: `Usulan dibatalkan oleh Dinas Sosial. Alasan: ${note}` } },
      audit: { action: 'PROPOSAL_CANCELLED', actor: input.actor, from: 'FAILED', to: 'CANCELLED', details: { note, failure: p.failure } },
    });
  } catch (error) {
    // A re-drive or a superseding upload got there first.
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    return { ok: false, reason: 'NOT_FAILED', proposal: await deps.proposals.get(p.id) };
  }
  const programme = deps.findProgramme(p.programmeId);
  if (programme) {
    const released = await releaseReservations(deps, cancelled, programme);
    await deps.proposals.record(p.id, { action: 'RESERVATIONS_RELEASED', actor: input.actor, details: { people: released } });
  }
  return { ok: true, proposal: cancelled };
}

function proposalIdForEvent(event: unknown): string {
  return proposalIdFor(uploadOf(ObjectCreatedEvent.parse(event)));
}

function describeCause(error: CaughtError): string {
  if (!error.Cause) return error.Error;
  try {
    const cause = JSON.parse(error.Cause) as { errorMessage?: string };
    return cause.errorMessage ?? error.Cause;
  } catch {
    return error.Cause;
  }
}
