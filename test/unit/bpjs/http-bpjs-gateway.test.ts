import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpBpjsGateway, parseRetryAfter } from '../../../functions/adapters/http-bpjs-gateway';
import type { RegistrationRequest } from '../../../functions/core/bpjs/contract';
import { BpjsUnavailableError } from '../../../functions/ports/bpjs';
import { startBpjsSandbox } from '../../../infra/local/bpjs-sandbox';
import { scriptedServer } from '../../support/scripted-server';

const request = (reference: string, niks: string[]): RegistrationRequest => ({
  programmeId: 'kapuas-2026-apbd',
  reference,
  employer: { name: 'Pemerintah Kabupaten Kapuas', regencyCode: '62.03' },
  coverageStart: '2026-01-01',
  coverageEnd: '2026-12-31',
  benefits: ['JKK', 'JKM'],
  workers: niks.map((nik) => ({ nik, name: 'Budi', birthDate: '1988-06-15', sex: 'L' as const, occupation: 'petani' })),
});
const niks = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `620301150688${String(from + i).padStart(4, '0')}`);
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: Error) =>
      e instanceof BpjsUnavailableError
        ? e.rateLimited
          ? 'rate-limited'
          : e.message.includes('tidak menjawab')
            ? 'timeout'
            : 'error'
        : e.name,
  );

describe('the BPJS adapter against the sandbox', () => {
  let sandbox: Awaited<ReturnType<typeof startBpjsSandbox>>;
  const faults = (f: Record<string, unknown>) =>
    fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(f),
    });
  const state = async () =>
    (await (await fetch(`${sandbox.url}/_sandbox/state`)).json()) as {
      participants: number;
      served: Record<string, number>;
    };

  beforeAll(async () => {
    sandbox = await startBpjsSandbox({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'bpjs-sandbox-')),
      log: () => undefined,
    });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => faults({}));

  it('gives up on an answer that never comes, and a request BPJS processed registers nobody twice when sent again', async () => {
    const gateway = new HttpBpjsGateway(sandbox.url, { timeoutMs: 300 });
    await faults({ timeoutRate: 1 });
    const started = Date.now();
    expect(await outcome(gateway.register(request('prp-timeout-1', niks(1, 3))))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    // The sandbox took the batch before the answer was lost.
    expect((await state()).participants).toBe(3);

    await faults({});
    const found = await gateway.findParticipant('kapuas-2026-apbd', niks(1, 1)[0]!);
    expect(found).toMatchObject({ reference: 'prp-timeout-1', kpj: expect.any(String) });
    const again = await gateway.register(request('prp-timeout-1', niks(1, 3)));
    expect(again.results.map((r) => r.status)).toEqual(['REGISTERED', 'REGISTERED', 'REGISTERED']);
    expect(again.results[0]).toMatchObject({ kpj: found!.kpj });
    expect((await state()).participants).toBe(3);
  });

  it('tells a refused batch (final) from a rate limit (retry, after Retry-After)', async () => {
    const gateway = new HttpBpjsGateway(sandbox.url);
    await faults({ refuseNiks: [niks(10, 1)[0]] });
    expect(await outcome(gateway.register(request('prp-refused-1', niks(9, 3))))).toBe('BpjsRequestRejectedError');
    await faults({ rateLimitRate: 1, retryAfterSeconds: 3 });
    const limited = await gateway.register(request('prp-limited-1', niks(20, 1))).catch((e: BpjsUnavailableError) => e);
    expect(limited).toMatchObject({ name: 'BpjsUnavailableError', rateLimited: true, retryAfterMs: 3_000 });
    await faults({ rateLimitRate: 1, retryAfterSeconds: 0 });
    const bare = await gateway.register(request('prp-limited-1', niks(20, 1))).catch((e: BpjsUnavailableError) => e);
    expect(bare).toMatchObject({ name: 'BpjsUnavailableError', rateLimited: true, retryAfterMs: undefined });
  });

  it('answers nobody for a NIK BPJS has not registered', async () => {
    expect(
      await new HttpBpjsGateway(sandbox.url).findParticipant('kapuas-2026-apbd', '6203011506889998'),
    ).toBeUndefined();
  });

  it('fails at random, as often as asked, and the same seed fails the same way', async () => {
    const gateway = new HttpBpjsGateway(sandbox.url, { timeoutMs: 150 });
    const run = async (seed: number) => {
      await faults({ seed, errorRate: 0.2, timeoutRate: 0.05, rateLimitRate: 0.1 });
      const outcomes: string[] = [];
      for (let i = 0; i < 300; i++)
        outcomes.push(await outcome(gateway.findParticipant('kapuas-2026-apbd', '6203011506889997')));
      return outcomes;
    };
    const first = await run(7);
    const share = (kind: string) => first.filter((o) => o === kind).length / first.length;
    expect(share('error')).toBeGreaterThan(0.13);
    expect(share('error')).toBeLessThan(0.27);
    expect(share('timeout')).toBeGreaterThan(0.01);
    expect(share('timeout')).toBeLessThan(0.1);
    expect(share('rate-limited')).toBeGreaterThan(0.05);
    expect(share('rate-limited')).toBeLessThan(0.15);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
  });

  it('registers the whole batch but names only part of it when asked to answer partially', async () => {
    const gateway = new HttpBpjsGateway(sandbox.url);
    const before = (await state()).participants;
    await faults({ partialAnswerRate: 1 });
    const answer = await gateway.register(request('prp-partial-1', niks(40, 9)));
    expect(answer.results).toHaveLength(8);
    expect((await state()).participants).toBe(before + 9);
    expect(await gateway.findParticipant('kapuas-2026-apbd', niks(48, 1)[0]!)).toMatchObject({
      reference: 'prp-partial-1',
    });
  });

  it('refuses faults that cannot add up', async () => {
    const res = await faults({ errorRate: 0.6, timeoutRate: 0.3, rateLimitRate: 0.2 });
    expect(res.status).toBe(400);
  });
});

describe('the BPJS adapter against answers the sandbox never gives', () => {
  const scripted = scriptedServer();

  it('reads Retry-After as a date, and waits for a 503 that carries one', async () => {
    const when = new Date(Date.now() + 30_000).toUTCString();
    scripted.reply = (res) => res.writeHead(503, { 'retry-after': when }).end('maintenance');
    const error = await new HttpBpjsGateway(scripted.url)
      .register(request('r-1', niks(1, 1)))
      .catch((e: BpjsUnavailableError) => e);
    expect(error).toMatchObject({ name: 'BpjsUnavailableError', rateLimited: false });
    expect((error as BpjsUnavailableError).retryAfterMs).toBeGreaterThan(25_000);
    expect(parseRetryAfter('soon', Date.now())).toBeUndefined();
    expect(parseRetryAfter(' 12 ', Date.now())).toBe(12_000);
  });

  it('takes an answer it cannot read as no answer (retryable), not as a broken invariant', async () => {
    const gateway = new HttpBpjsGateway(scripted.url);
    scripted.reply = (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>gateway</html>');
    expect(await gateway.register(request('r-2', niks(1, 1))).catch((e: Error) => e.name)).toBe('BpjsUnavailableError');
    scripted.reply = (res) =>
      res
        .writeHead(200)
        .end(JSON.stringify({ registrationId: 'x', results: [{ nik: niks(1, 1)[0], status: 'REGISTERED', kpj: '' }] }));
    expect(await gateway.register(request('r-3', niks(1, 1))).catch((e: Error) => e.name)).toBe('BpjsUnavailableError');
  });

  it('gives up on an answer that stalls half-way', async () => {
    scripted.reply = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"registrationId":"x","res');
    };
    const started = Date.now();
    expect(
      await new HttpBpjsGateway(scripted.url, { timeoutMs: 300 })
        .register(request('r-4', niks(1, 1)))
        .catch((e: Error) => e.message),
    ).toContain('tidak menjawab');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('retries a 408 and refuses other 4xx for good', async () => {
    const gateway = new HttpBpjsGateway(scripted.url);
    scripted.reply = (res) => res.writeHead(408).end();
    expect(await gateway.register(request('r-5', niks(1, 1))).catch((e: Error) => e.name)).toBe('BpjsUnavailableError');
    scripted.reply = (res) => res.writeHead(422).end('{"code":"INVALID"}');
    expect(await gateway.register(request('r-6', niks(1, 1))).catch((e: Error) => e.name)).toBe(
      'BpjsRequestRejectedError',
    );
  });
});
