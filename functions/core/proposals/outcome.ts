import type { Mailer } from '../../ports/mailer';
import type { ProposalStore } from '../../ports/proposal-store';
import type { WorkflowCallbacks } from '../../ports/workflow';
import type { Programme } from '../programmes/programme';
import { mustGet, proposalUrl } from './approval';
import { outcomeMail } from './mails';
import { isFinal, type ProposalStatus } from './proposal';
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
    { proposal: proposalUrl(deps.apiUrl, p.id), report: p.report ? `${proposalUrl(deps.apiUrl, p.id)}/report` : undefined },
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
  if (isFinal(p.status)) return { proposalId, status: p.status };
  await deps.proposals.change(proposalId, {
    set: { status: 'FAILED', reason, failure: { stage: input.stage, previousStatus: p.status, error: input.error.Error, cause: errorText } },
    audit: {
      action: 'PROPOSAL_FAILED',
      actor: 'system:workflow',
      execution: input.executionArn,
      from: p.status,
      to: 'FAILED',
      details: { stage: input.stage, error: input.error.Error, cause: errorText },
    },
  });
  return { proposalId, status: 'FAILED' };
}

/**
 * Starts the workflow again for a FAILED proposal (or one an interruption left mid-way). Every
 * stage is idempotent, so the new execution skips what is done and carries on where it stopped.
 */
export async function redrive(
  deps: { proposals: ProposalStore; workflow: WorkflowCallbacks },
  input: { proposalId: string; actor: string; onlyIfFailed?: boolean },
): Promise<{ ok: true; executionArn: string } | { ok: false; reason: 'NOT_FOUND' | 'FINISHED' }> {
  const p = await deps.proposals.get(input.proposalId);
  if (!p) return { ok: false, reason: 'NOT_FOUND' };
  if (p.status !== 'FAILED' && isFinal(p.status)) return { ok: false, reason: 'FINISHED' };
  const redrives = p.redrives + 1;
  const resumeAt = (p.status === 'FAILED' ? p.failure?.previousStatus : p.status) as ProposalStatus | undefined;
  const name = `${p.id}-redrive-${redrives}`;
  await deps.proposals.change(p.id, {
    from: [p.status],
    set: { status: resumeAt ?? 'RECEIVED', redrives, activeExecution: name },
    remove: ['reason', 'failure'],
    audit: { action: 'PROPOSAL_REDRIVEN', actor: input.actor, from: p.status, to: resumeAt ?? 'RECEIVED', details: { redrives } },
  });
  const { executionArn } = await deps.workflow.start(name, p.sourceEvent);
  return { ok: true, executionArn };
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
