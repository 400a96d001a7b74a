import type { AuditLog } from '../../../ports/audit-log';
import { ProposalStatusConflictError, type ProposalStore } from '../../../ports/proposal-store';
import { isFinal, type Proposal, type ProposalStatus } from '../proposal';
import { recordProposalEvent } from '../proposal-trail';
import { ObjectCreatedEvent, proposalIdFor, uploadOf } from '../source-event';

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
  deps: { proposals: ProposalStore; audit: AuditLog },
  input: { proposalId?: string; event?: unknown; stage: string; error: CaughtError; executionArn?: string },
): Promise<{ proposalId: string; status: ProposalStatus }> {
  const errorText = describeCause(input.error);
  const proposalId = input.proposalId ?? proposalIdForEvent(input.event);
  const p = await deps.proposals.get(proposalId);
  if (input.stage === 'notify') {
    // A lost mail must not turn an enrolled proposal into a failed one: record it, keep the status.
    await recordProposalEvent(deps.audit, proposalId, {
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
        set: {
          status: 'FAILED',
          reason,
          failure: { stage: input.stage, previousStatus: current.status, error: input.error.Error, cause: errorText },
        },
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
  throw new Error(
    `Proposal ${proposalId} kept changing while it was being marked FAILED at ${input.stage}: ${errorText}`,
  );
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
