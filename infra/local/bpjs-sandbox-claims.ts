import * as z from 'zod';
import {
  AmountConfirmation,
  ClaimSubmission,
  DocumentSupplied,
  type BpjsClaimStatus,
} from '../../functions/core/bpjs/claim-contract';
import { ClaimType, DocumentType } from '../../functions/core/claims/claim';
import { jakartaDate } from '../../functions/core/contributions/calendar';

/**
 * How the sandbox decides claims, as fault settings beside the others (`POST /_sandbox/faults`).
 * With none set every claim is approved and paid in full: deterministic, on the sandbox's clock.
 */
export const ClaimFaults = z.object({
  /** From filing (or from the document BPJS asked for) to the decision. */
  claimDecisionDelayMs: z.number().int().nonnegative().default(2_000),
  /** From approval (or from the amount confirmed after a reclassification) to the transfer. */
  claimPayoutDelayMs: z.number().int().nonnegative().default(1_000),
  /** NIKs of participants whose claims BPJS refuses, with a reason. */
  refuseClaimNiks: z.array(z.string()).default([]),
  /** NIK -> the classification BPJS decides instead of the filed type (a work death it finds was not, or back). */
  reclassifyClaims: z.record(z.string(), ClaimType).default({}),
  /** NIK -> the document BPJS asks for once before it decides (NEEDS_DOCUMENT until it is supplied). */
  askDocumentForNiks: z.record(z.string(), DocumentType).default({}),
  /** Account numbers the bank refuses transfers to (TRANSFER_FAILED) until the list no longer has them. */
  failTransferAccounts: z.array(z.string()).default([]),
});
export type ClaimFaults = z.infer<typeof ClaimFaults>;

/** A claim as the sandbox keeps it: what it answers, what was filed, and what it waits for. */
type ClaimRecord = {
  serial: number;
  status: BpjsClaimStatus;
  submission: ClaimSubmission;
  /** When the next step (decision or transfer) is due on the sandbox's clock; absent while it waits on someone. */
  dueAt?: number;
  /** BPJS asks for a document once per claim. */
  documentAsked?: boolean;
  /** What BPJS will pay: the amount requested, or the one confirmed after a reclassification. */
  amount?: number;
  transfers: number;
};

export type ClaimsState = { claims: Record<string, ClaimRecord>; claimsByReference: Record<string, string> };

type Answer = { status: number; body: unknown };

const DEATH: readonly ClaimType[] = ['JKM', 'JKK_DEATH'];
const notFound: Answer = { status: 404, body: { code: 'NOT_FOUND', message: 'Klaim tidak dikenal.' } };

/**
 * BPJS's claims desk in the sandbox. Time moves on its own clock and a claim is moved on whenever it
 * is looked at (a status read, a repeated filing, a document, `GET /_sandbox/claims`), so the
 * sandbox needs no timers and a restart loses nothing: what was due while it was down happens at
 * the next look, dated when it was due.
 *
 * Its own rules, beside the faults: the participant must be registered (programme, NIK and KPJ as
 * the sandbox registered them), and a person dies once: a second death claim for the same NIK is
 * refused unless the first was.
 */
export class ClaimsDesk {
  constructor(
    private readonly state: ClaimsState,
    private readonly context: {
      faults: () => ClaimFaults;
      now: () => number;
      isRegistered: (programmeId: string, nik: string, kpj: string) => boolean;
      save: () => void;
      log: (line: string) => void;
    },
  ) {}

  /** `POST /v1/claims`: a new claim, or the one already filed under the key (whatever the body says now). */
  file(key: string, body: unknown): Answer & { replayed?: boolean } {
    if (!key)
      return { status: 400, body: { code: 'IDEMPOTENCY_KEY_REQUIRED', message: 'Idempotency-Key is required' } };
    const known = this.state.claimsByReference[key];
    if (known) return { status: 200, body: this.look(this.state.claims[known]!), replayed: true };
    const parsed = ClaimSubmission.safeParse(body);
    if (!parsed.success) return { status: 400, body: { code: 'INVALID_REQUEST', message: parsed.error.message } };
    if (parsed.data.reference !== key) {
      return { status: 400, body: { code: 'INVALID_REQUEST', message: 'Idempotency-Key must be the claim reference' } };
    }
    const now = this.context.now();
    const serial = Object.keys(this.state.claims).length + 1;
    const bpjsClaimId = `KLM-${String(serial).padStart(8, '0')}`;
    const claim: ClaimRecord = {
      serial,
      submission: parsed.data,
      status: {
        bpjsClaimId,
        reference: key,
        status: 'RECEIVED',
        classification: parsed.data.type,
        receivedAt: new Date(now).toISOString(),
      },
      dueAt: now + this.context.faults().claimDecisionDelayMs,
      transfers: 0,
    };
    this.state.claims[bpjsClaimId] = claim;
    this.state.claimsByReference[key] = bpjsClaimId;
    this.context.save();
    this.context.log(`bpjs sandbox: claim ${bpjsClaimId} (${key}, ${parsed.data.type}) received`);
    return { status: 201, body: claim.status };
  }

  /** `GET /v1/claims/<id>`. */
  read(bpjsClaimId: string): Answer {
    const claim = this.state.claims[bpjsClaimId];
    return claim ? { status: 200, body: this.look(claim) } : notFound;
  }

  /**
   * `POST /v1/claims/<id>/documents`: the document asked for puts the claim back to RECEIVED, to be
   * decided a delay later; any other document is recorded and the claim answered as it stands (so a
   * repeated supply, its first answer lost, changes nothing).
   */
  supply(bpjsClaimId: string, body: unknown): Answer {
    const claim = this.state.claims[bpjsClaimId];
    if (!claim) return notFound;
    const parsed = DocumentSupplied.safeParse(body);
    if (!parsed.success) return { status: 400, body: { code: 'INVALID_REQUEST', message: parsed.error.message } };
    this.look(claim);
    const { type } = parsed.data;
    if (!claim.submission.documents.includes(type)) claim.submission.documents.push(type);
    if (claim.status.status === 'NEEDS_DOCUMENT' && claim.status.missingDocument === type) {
      const { missingDocument: _supplied, ...rest } = claim.status;
      claim.status = { ...rest, status: 'RECEIVED' };
      claim.dueAt = this.context.now() + this.context.faults().claimDecisionDelayMs;
      this.context.log(`bpjs sandbox: claim ${bpjsClaimId} got ${type}`);
    }
    this.context.save();
    return { status: 200, body: claim.status };
  }

  /**
   * `POST /v1/claims/<id>/amount`: after a reclassification, the amount to pay, computed for BPJS's
   * classification. Confirming what is already to be paid answers the claim (a retry); anything else
   * is a conflict: a claim not waiting for an amount, or an amount for another classification.
   */
  confirm(bpjsClaimId: string, body: unknown): Answer {
    const claim = this.state.claims[bpjsClaimId];
    if (!claim) return notFound;
    const parsed = AmountConfirmation.safeParse(body);
    if (!parsed.success) return { status: 400, body: { code: 'INVALID_REQUEST', message: parsed.error.message } };
    this.look(claim);
    const { classification, amount } = parsed.data;
    if (classification !== claim.status.classification) {
      const message = `Klaim diklasifikasikan sebagai ${claim.status.classification}, bukan ${classification}.`;
      return { status: 409, body: { code: 'CLASSIFICATION_MISMATCH', message } };
    }
    if (claim.status.awaitingAmount) {
      const { awaitingAmount: _confirmed, ...rest } = claim.status;
      claim.status = rest;
      claim.amount = amount;
      claim.dueAt = this.context.now() + this.context.faults().claimPayoutDelayMs;
      this.context.save();
      this.context.log(`bpjs sandbox: claim ${bpjsClaimId} amount Rp${amount} confirmed`);
      return { status: 200, body: claim.status };
    }
    if (claim.amount === amount) return { status: 200, body: claim.status };
    return { status: 409, body: { code: 'NOTHING_TO_CONFIRM', message: 'Klaim tidak menunggu konfirmasi jumlah.' } };
  }

  /** `POST /_sandbox/claims/<id>/decide`: whatever the claim waits for on the sandbox's clock happens now. */
  hurry(bpjsClaimId: string): Answer {
    const claim = this.state.claims[bpjsClaimId];
    if (!claim) return notFound;
    const now = this.context.now();
    this.look(claim);
    while (claim.dueAt !== undefined) {
      claim.dueAt = Math.min(claim.dueAt, now);
      this.look(claim);
    }
    return { status: 200, body: claim.status };
  }

  /** `GET /_sandbox/claims`: every claim as it stands, with what was filed. */
  list() {
    return Object.values(this.state.claims).map((c) => ({ ...this.look(c), submission: c.submission }));
  }

  get count() {
    return Object.keys(this.state.claims).length;
  }

  /** Moves the claim on as far as the clock and the faults allow, and answers its status. */
  private look(claim: ClaimRecord): BpjsClaimStatus {
    const now = this.context.now();
    let moved = false;
    for (;;) {
      const { status } = claim.status;
      if ((status === 'RECEIVED' || status === 'APPROVED') && claim.dueAt !== undefined && claim.dueAt <= now) {
        const at = claim.dueAt;
        claim.dueAt = undefined;
        if (status === 'RECEIVED') this.decide(claim, at);
        else this.transfer(claim, at);
      } else if (status === 'TRANSFER_FAILED' && !this.transferFails(claim)) {
        // BPJS tries again on its own once the bank takes the account (the fault cleared).
        this.transfer(claim, now);
      } else break;
      moved = true;
    }
    if (moved) this.context.save();
    return claim.status;
  }

  private decide(claim: ClaimRecord, at: number) {
    const faults = this.context.faults();
    const { submission } = claim;
    const asked = faults.askDocumentForNiks[submission.nik];
    if (asked && !claim.documentAsked) {
      claim.documentAsked = true;
      claim.status = { ...claim.status, status: 'NEEDS_DOCUMENT', missingDocument: asked };
      this.context.log(`bpjs sandbox: claim ${claim.status.bpjsClaimId} needs ${asked}`);
      return;
    }
    const decidedAt = new Date(at).toISOString();
    const refusal = this.refusal(claim, faults);
    if (refusal) {
      claim.status = { ...claim.status, status: 'REFUSED', reason: refusal, decidedAt };
      this.context.log(`bpjs sandbox: claim ${claim.status.bpjsClaimId} refused`);
      return;
    }
    const classification = faults.reclassifyClaims[submission.nik] ?? submission.type;
    claim.status = { ...claim.status, status: 'APPROVED', classification, decidedAt };
    if (classification !== submission.type) {
      // BPJS's classification changes the benefit, which our rules compute: nothing is paid until we confirm it.
      claim.status.awaitingAmount = true;
      this.context.log(`bpjs sandbox: claim ${claim.status.bpjsClaimId} approved as ${classification}`);
      return;
    }
    claim.amount = submission.amountRequested;
    claim.dueAt = at + faults.claimPayoutDelayMs;
    this.context.log(`bpjs sandbox: claim ${claim.status.bpjsClaimId} approved`);
  }

  private refusal(claim: ClaimRecord, faults: ClaimFaults): string | undefined {
    const { submission } = claim;
    if (faults.refuseClaimNiks.includes(submission.nik))
      return 'Klaim ditolak: hasil verifikasi BPJS Ketenagakerjaan menyatakan peristiwa tidak memenuhi syarat manfaat.';
    if (!this.context.isRegistered(submission.programmeId, submission.nik, submission.kpj))
      return 'Klaim ditolak: KPJ tidak terdaftar atas NIK peserta pada program ini.';
    const classification = faults.reclassifyClaims[submission.nik] ?? submission.type;
    if (DEATH.includes(classification)) {
      const earlier = Object.values(this.state.claims).find(
        (other) =>
          other.serial < claim.serial &&
          other.submission.nik === submission.nik &&
          DEATH.includes(other.status.classification) &&
          other.status.status !== 'REFUSED',
      );
      if (earlier)
        return `Klaim ditolak: klaim kematian untuk peserta ini sudah diajukan (${earlier.status.bpjsClaimId}).`;
    }
    return undefined;
  }

  private transferFails(claim: ClaimRecord) {
    return this.context.faults().failTransferAccounts.includes(claim.submission.recipient.bankAccount.number);
  }

  private transfer(claim: ClaimRecord, at: number) {
    claim.transfers += 1;
    const { bpjsClaimId } = claim.status;
    const { reason: _previous, ...rest } = claim.status;
    if (this.transferFails(claim)) {
      claim.status = {
        ...rest,
        status: 'TRANSFER_FAILED',
        reason:
          'Transfer ditolak bank: rekening tujuan tidak aktif atau nama pemilik tidak sesuai. BPJS akan mencoba lagi.',
      };
      this.context.log(`bpjs sandbox: claim ${bpjsClaimId} transfer failed`);
      return;
    }
    claim.status = {
      ...rest,
      status: 'PAID',
      payout: {
        heirNik: claim.submission.recipient.nik,
        amount: claim.amount!,
        paidOn: jakartaDate(new Date(at)),
        bankReference: `TRF-${bpjsClaimId}-${claim.transfers}`,
      },
    };
    this.context.log(`bpjs sandbox: claim ${bpjsClaimId} paid Rp${claim.amount}`);
  }
}
