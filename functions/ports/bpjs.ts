import type { RegistrationRequest, RegistrationResponse } from '../core/bpjs/contract';

export interface BpjsGateway {
  register(request: RegistrationRequest): Promise<RegistrationResponse>;
}

/** BPJS did not answer, answered 5xx or asked us to slow down: worth retrying later. */
export class BpjsUnavailableError extends Error {
  override name = 'BpjsUnavailableError';
}

/** BPJS refused the batch as a whole (4xx other than 429): retrying the same batch cannot help. */
export class BpjsRequestRejectedError extends Error {
  override name = 'BpjsRequestRejectedError';
}
