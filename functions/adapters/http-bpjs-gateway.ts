import { RegisteredParticipant, RegistrationResponse, type RegistrationRequest } from '../core/bpjs/contract';
import { PaymentCode, PaymentCodeStatus, type PaymentCodeRequest } from '../core/bpjs/payment-contract';
import { BpjsClaimStatus, type AmountConfirmation, type ClaimSubmission } from '../core/bpjs/claim-contract';
import type { DocumentType } from '../core/claims/claim';
import {
  BpjsRequestRejectedError,
  BpjsUnavailableError,
  type BpjsClaims,
  type BpjsGateway,
  type BpjsLimits,
  type BpjsPayments,
} from '../ports/bpjs';

/**
 * The BPJS contract over HTTPS (the sandbox locally). Every request has a client-side timeout: a
 * partner that takes the request and never answers must not hold the Lambda until it is killed.
 * What a retry can mend (no answer in time, 408, 429, 5xx, an answer we cannot read) is
 * BpjsUnavailableError, with BPJS's Retry-After when it sent one; any other refusal is final.
 */
export class HttpBpjsGateway implements BpjsGateway, BpjsPayments, BpjsClaims {
  readonly limits: BpjsLimits;

  constructor(
    private readonly baseUrl: string,
    // BPJS publishes no rate for partners: 2 a second is a guess that a 429's Retry-After corrects.
    limits: Partial<BpjsLimits> = {},
  ) {
    this.limits = { maxRequestsPerSecond: limits.maxRequestsPerSecond ?? 2, timeoutMs: limits.timeoutMs ?? 10_000 };
  }

  async register(request: RegistrationRequest) {
    const { status, text } = await this.send('/v1/registrations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': request.reference },
      body: JSON.stringify(request),
    });
    if (status < 200 || status >= 300)
      throw new BpjsRequestRejectedError(`BPJS menolak permintaan (${status}): ${text.slice(0, 300)}`);
    return readAnswer(RegistrationResponse, text);
  }

  async findParticipant(programmeId: string, nik: string) {
    const { status, text } = await this.send(
      `/v1/participants/${encodeURIComponent(programmeId)}/${encodeURIComponent(nik)}`,
      { method: 'GET' },
    );
    if (status === 404) return undefined;
    if (status < 200 || status >= 300)
      throw new BpjsRequestRejectedError(`BPJS menolak pencarian peserta (${status}): ${text.slice(0, 300)}`);
    return readAnswer(RegisteredParticipant, text);
  }

  async requestPaymentCode(request: PaymentCodeRequest) {
    const { status, text } = await this.send('/v1/payment-codes', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': request.billReference },
      body: JSON.stringify(request),
    });
    if (status < 200 || status >= 300) {
      throw new BpjsRequestRejectedError(`BPJS menolak permintaan kode iuran (${status}): ${text.slice(0, 300)}`);
    }
    return readAnswer(PaymentCode, text);
  }

  async getPaymentStatus(paymentCode: string) {
    const { status, text } = await this.send(`/v1/payment-codes/${encodeURIComponent(paymentCode)}`, { method: 'GET' });
    if (status === 404) return undefined;
    if (status < 200 || status >= 300) {
      throw new BpjsRequestRejectedError(
        `BPJS menolak pertanyaan status pembayaran (${status}): ${text.slice(0, 300)}`,
      );
    }
    return readAnswer(PaymentCodeStatus, text);
  }

  async submitClaim(submission: ClaimSubmission) {
    return this.claimAnswer(
      'klaim',
      await this.send('/v1/claims', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': submission.reference },
        body: JSON.stringify(submission),
      }),
    );
  }

  async getClaimStatus(bpjsClaimId: string) {
    const answer = await this.send(`/v1/claims/${encodeURIComponent(bpjsClaimId)}`, { method: 'GET' });
    if (answer.status === 404) return undefined;
    return this.claimAnswer('pertanyaan status klaim', answer);
  }

  async supplyDocument(bpjsClaimId: string, type: DocumentType) {
    return this.claimAnswer(
      'dokumen klaim',
      await this.send(`/v1/claims/${encodeURIComponent(bpjsClaimId)}/documents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type }),
      }),
    );
  }

  async confirmAmount(bpjsClaimId: string, confirmation: AmountConfirmation) {
    return this.claimAnswer(
      'konfirmasi jumlah klaim',
      await this.send(`/v1/claims/${encodeURIComponent(bpjsClaimId)}/amount`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(confirmation),
      }),
    );
  }

  private claimAnswer(what: string, { status, text }: { status: number; text: string }) {
    if (status < 200 || status >= 300)
      throw new BpjsRequestRejectedError(`BPJS menolak ${what} (${status}): ${text.slice(0, 300)}`);
    return readAnswer(BpjsClaimStatus, text);
  }

  private async send(path: string, init: RequestInit): Promise<{ status: number; text: string }> {
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      // One signal for headers and body: an answer that stalls half-way times out too.
      const response = await fetch(new URL(path, this.baseUrl), {
        ...init,
        signal: AbortSignal.timeout(this.limits.timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      const e = error as Error;
      if (e.name === 'TimeoutError')
        throw new BpjsUnavailableError(`BPJS tidak menjawab dalam ${this.limits.timeoutMs / 1000} detik.`);
      throw new BpjsUnavailableError(`BPJS tidak dapat dihubungi: ${e.message}`);
    }
    if (status === 408 || status === 429 || status >= 500) {
      throw new BpjsUnavailableError(`BPJS menjawab ${status}: ${text.slice(0, 300)}`, {
        retryAfterMs: parseRetryAfter(retryAfter, Date.now()),
        rateLimited: status === 429,
      });
    }
    return { status, text };
  }
}

/** An answer that is not what the contract says (cut short, an error page) is as good as none: the retry asks again. */
function readAnswer<T>(schema: { parse(data: unknown): T }, text: string): T {
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    throw new BpjsUnavailableError(`Jawaban BPJS tidak dapat dibaca: ${text.slice(0, 300)}`);
  }
}

/** Retry-After in delay-seconds or as an HTTP date (RFC 9110 section 10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value?.trim()) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
