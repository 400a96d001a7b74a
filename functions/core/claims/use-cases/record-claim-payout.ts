import type { BpjsClaims } from '../../../ports/bpjs';
import type { ClaimStore } from '../../../ports/claim-store';
import type { CoverageStore } from '../../../ports/coverage-store';
import type { Mailer } from '../../../ports/mailer';
import { applyCoverageEvent, CoverageTransitionError } from '../../contributions/coverage';
import type { ContributionTerms } from '../../contributions/terms';
import type { Claim, ClaimType, Payout } from '../claim';
import { claimPaidMail, filerOf } from '../claim-mails';
import { payoutRecorded } from '../claim-transitions';
import { hasNotice, mustGetClaim, withNotice, type ClaimStepInput } from './claim-workflow';

export type RecordClaimPayoutDeps = {
  claims: ClaimStore;
  bpjs: BpjsClaims;
  coverages: Pick<CoverageStore, 'byNik' | 'update'>;
  termsFor: (programmeId: string) => ContributionTerms;
  mailer: Mailer;
  apiUrl: string;
  opsEmail: string;
  /** Dinas Sosial for a claim: the team and the approver of the programme version it was filed under. */
  dinasSosial: (claim: Pick<Claim, 'programmeId' | 'programmeVersion'>) => string[];
  now: () => Date;
};

/** BPJS has not (or no longer) reported the transfer: the workflow looks again rather than record anything. */
export class PayoutNotConfirmedError extends Error {
  override name = 'PayoutNotConfirmedError';
}

const DEATHS: readonly ClaimType[] = ['JKM', 'JKK_DEATH'];

/**
 * BPJS transferred the benefit: the transfer is recorded on the claim as BPJS reports it (amount,
 * date, bank reference: never what we asked for, never before BPJS says PAID), the claim PAID; after
 * a death the participant's coverages turn DECEASED (coverage.ts DIED), which takes them off the next
 * bill; the heirs' operator and Dinas Sosial are told. Each part once, however often it runs.
 */
export async function recordClaimPayout(deps: RecordClaimPayoutDeps, input: ClaimStepInput) {
  const c = await mustGetClaim(deps.claims, input.claimId);
  let payout: Payout | undefined = c.payouts.at(-1);
  if (c.status !== 'PAID') {
    const status = c.bpjs?.claimId ? await deps.bpjs.getClaimStatus(c.bpjs.claimId) : undefined;
    if (status?.status !== 'PAID' || !status.payout)
      throw new PayoutNotConfirmedError(`BPJS reports claim ${c.id} ${status?.status ?? 'unknown'}, not PAID`);
    const reported: Payout = { ...status.payout, recordedAt: deps.now().toISOString() };
    // claim-transitions.ts: to a payee of the claim only, once per bank reference, PAID when everyone is paid.
    const paid = await deps.claims.change(c.id, {
      next: (current) => {
        const moved = payoutRecorded(current, reported);
        return moved === current ? current : { ...moved, waiting: undefined };
      },
      audit: {
        action: 'CLAIM_PAID',
        actor: 'system:claims-record-payout',
        execution: input.executionArn,
        details: { amount: reported.amount, paidOn: reported.paidOn, bankReference: reported.bankReference },
      },
    });
    payout = paid.payouts.find((p) => p.bankReference === reported.bankReference);
  }

  const classification = c.bpjs?.classification ?? c.type;
  if (DEATHS.includes(classification)) {
    const at = deps.now().toISOString();
    for (const coverage of await deps.coverages.byNik(c.nik)) {
      if (coverage.status === 'DECEASED') continue;
      try {
        await deps.coverages.update(coverage.programmeId, c.nik, (current) =>
          applyCoverageEvent(
            current,
            { type: 'DIED', at, dateOfDeath: c.eventDate },
            deps.termsFor(current.programmeId),
          ),
        );
      } catch (error) {
        // A coverage that ended before the death is not billed any more: nothing to take it off.
        if (!(error instanceof CoverageTransitionError)) throw error;
      }
    }
  }

  const latest = await mustGetClaim(deps.claims, c.id);
  if (payout && !hasNotice(latest, 'paid')) {
    const mail = claimPaidMail(
      latest,
      payout,
      [...filerOf(latest, deps.opsEmail), ...deps.dinasSosial(latest)],
      deps.apiUrl,
    );
    const { messageId } = await deps.mailer.send(mail);
    await deps.claims.change(c.id, {
      next: (current) => withNotice(current, 'paid'),
      audit: {
        action: 'CLAIM_PAID_MAIL_SENT',
        actor: 'system:claims-record-payout',
        execution: input.executionArn,
        details: { to: mail.to, messageId },
      },
    });
  }
  return { claimId: c.id, paid: true };
}
