import { RegistrationResponse, type RegistrationRequest } from '../core/bpjs/contract';
import { BpjsRequestRejectedError, BpjsUnavailableError, type BpjsGateway } from '../ports/bpjs';

/** The BPJS registration contract over HTTPS (the sandbox locally). Timeouts and 5xx/429 are retryable. */
export class HttpBpjsGateway implements BpjsGateway {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 20_000,
  ) {}

  async register(request: RegistrationRequest) {
    let response: Response;
    try {
      response = await fetch(new URL('/v1/registrations', this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': request.reference },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new BpjsUnavailableError(`BPJS tidak dapat dihubungi: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (response.status === 429 || response.status >= 500) {
      throw new BpjsUnavailableError(`BPJS menjawab ${response.status}: ${text.slice(0, 300)}`);
    }
    if (!response.ok) throw new BpjsRequestRejectedError(`BPJS menolak permintaan (${response.status}): ${text.slice(0, 300)}`);
    return RegistrationResponse.parse(JSON.parse(text));
  }
}
