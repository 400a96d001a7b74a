import { BpjsUnavailableError, type BpjsLimits } from '../../ports/bpjs';

/** Time and waiting, injected so that tests of rate limits and deadlines need not sleep. */
export type Clock = { now(): number; sleep(ms: number): Promise<void> };
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Not enough time is left to start another request and still return before the deadline. */
export class OutOfTimeError extends Error {
  override name = 'OutOfTimeError';
}

/** BPJS kept failing one request; `last` is its last answer. */
export class GaveUpError extends Error {
  override name = 'GaveUpError';
  constructor(readonly last: BpjsUnavailableError) {
    super(last.message);
  }
}

/** Errors and timeouts in a row before one request is handed back to the workflow's slower retry. */
const MAX_FAILURES = 5;
/** 429s in a row: BPJS says when, so following it is cheap, but not forever. */
const MAX_RATE_LIMITED = 30;
const MAX_BACKOFF_MS = 8_000;

/**
 * Calls BPJS the way a partner with limits wants to be called: no faster than its rate, after
 * whatever its Retry-After asked, with growing waits after failures that gave no Retry-After, and
 * never starting a request that could outlive the deadline (the Lambda's own end, less `reserveMs`
 * for saving what was done).
 */
export class BpjsCaller {
  private notBefore = 0;

  constructor(
    private readonly limits: BpjsLimits,
    private readonly clock: Clock,
    private readonly options: { deadline: number; reserveMs: number; random?: () => number },
  ) {}

  async call<T>(send: () => Promise<T>): Promise<T> {
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      const now = this.clock.now();
      const start = Math.max(now, this.notBefore);
      if (start + this.limits.timeoutMs + this.options.reserveMs > this.options.deadline)
        throw new OutOfTimeError('not enough time left for another request');
      if (start > now) await this.clock.sleep(start - now);
      // Paced by when requests start: a slow answer does not make the next request wait twice.
      this.notBefore = start + 1000 / this.limits.maxRequestsPerSecond;
      try {
        return await send();
      } catch (error) {
        if (!(error instanceof BpjsUnavailableError)) throw error;
        const attempt = error.rateLimited ? ++rateLimited : ++failures;
        if (failures >= MAX_FAILURES || rateLimited >= MAX_RATE_LIMITED) throw new GaveUpError(error);
        const wait = error.retryAfterMs ?? this.backoff(attempt, error.rateLimited ? 1_000 : 500);
        this.notBefore = Math.max(this.notBefore, this.clock.now() + wait);
      }
    }
  }

  /** Exponential, with half of it random, so that many callers that failed together do not come back together. */
  private backoff(attempt: number, baseMs: number) {
    const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (attempt - 1));
    return ceiling / 2 + ((this.options.random ?? Math.random)() * ceiling) / 2;
  }
}
