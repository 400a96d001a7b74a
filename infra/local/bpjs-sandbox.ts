import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';
import { join } from 'node:path';
import { z } from 'zod';
import { RegistrationRequest, type RegistrationResponse, type RegistrationResult } from '../../functions/core/bpjs/contract';

/** Faults a test or a demo can switch on: an outage, a rate limit, NIKs BPJS refuses. */
export const SandboxFaults = z.object({
  /** Answer 503 to this many registration requests (or all of them, while `true`). */
  outage: z.union([z.boolean(), z.number().int().nonnegative()]).default(false),
  /** Answer 429 to requests beyond this many per second. */
  maxRequestsPerSecond: z.number().int().positive().optional(),
  /** NIKs BPJS will reject, as if Dukcapil did not know them. */
  rejectNiks: z.array(z.string()).default([]),
  /** Answer 400 (a malformed batch, as BPJS sees it) to this many registration requests. */
  refuseRequests: z.number().int().nonnegative().default(0),
  /** Extra delay per request, in ms, to try timeouts. */
  latencyMs: z.number().int().nonnegative().default(0),
});
export type SandboxFaults = z.infer<typeof SandboxFaults>;

type State = {
  nextKpj: number;
  participants: Record<string, { kpj: string; reference: string; programmeId: string }>;
  registrations: Record<string, RegistrationResponse>;
};

/**
 * A stand-in for BPJS Ketenagakerjaan that behaves like a remote service: it issues KPJ numbers,
 * remembers who it registered, answers a repeated request (same idempotency key) with the same
 * answer, rejects what the real one would reject, and fails on demand.
 *
 * Its rejection rules: a NIK whose serial is 0000 (Dukcapil never issues it), a NIK on the
 * `rejectNiks` list, and a NIK already registered for the same programme under another reference.
 */
export async function startBpjsSandbox(options: { port: number; dataDir: string; log: (line: string) => void }) {
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, 'state.json');
  let state: State = { nextKpj: 1, participants: {}, registrations: {} };
  try {
    state = JSON.parse(readFileSync(file, 'utf-8')) as State;
  } catch {
    /* fresh sandbox */
  }
  let faults: SandboxFaults = SandboxFaults.parse({});
  let window = { second: 0, count: 0 };
  const save = () => writeFileSync(file, JSON.stringify(state));

  const register = (request: RegistrationRequest): RegistrationResponse => {
    const results: RegistrationResult[] = request.workers.map((w) => {
      const known = state.participants[`${request.programmeId}#${w.nik}`];
      if (w.nik.endsWith('0000') || faults.rejectNiks.includes(w.nik)) {
        return { nik: w.nik, status: 'REJECTED', reason: { code: 'NIK_NOT_FOUND', message: 'NIK tidak ditemukan pada data kependudukan (Dukcapil).' } };
      }
      if (known && known.reference !== request.reference) {
        return { nik: w.nik, status: 'REJECTED', reason: { code: 'ALREADY_REGISTERED', message: `NIK sudah terdaftar sebagai peserta (KPJ ${known.kpj}).` } };
      }
      if (known) return { nik: w.nik, status: 'REGISTERED', kpj: known.kpj };
      const kpj = String(26_000_000_000 + state.nextKpj++);
      state.participants[`${request.programmeId}#${w.nik}`] = { kpj, reference: request.reference, programmeId: request.programmeId };
      return { nik: w.nik, status: 'REGISTERED', kpj };
    });
    return { registrationId: `REG-${Object.keys(state.registrations).length + 1}`, results };
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, { code: 'INTERNAL', message: error.message }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://local');
    const body = await readJson(req);
    if (url.pathname === '/_sandbox/faults') {
      if (req.method === 'POST' || req.method === 'PUT') faults = SandboxFaults.parse(body ?? {});
      return send(res, 200, faults);
    }
    if (url.pathname === '/_sandbox/state')
      return send(res, 200, { participants: Object.keys(state.participants).length, registrations: Object.keys(state.registrations).length });
    const participant = url.pathname.match(/^\/v1\/participants\/([^/]+)\/(\d{16})$/);
    if (participant && req.method === 'GET') {
      const found = state.participants[`${participant[1]}#${participant[2]}`];
      return found ? send(res, 200, { nik: participant[2], ...found }) : send(res, 404, { code: 'NOT_FOUND', message: 'Peserta tidak ditemukan.' });
    }
    if (url.pathname !== '/v1/registrations' || req.method !== 'POST') return send(res, 404, { code: 'NOT_FOUND', message: 'Unknown endpoint' });

    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.outage === true || (typeof faults.outage === 'number' && faults.outage > 0)) {
      if (typeof faults.outage === 'number') faults.outage -= 1;
      options.log('bpjs sandbox: outage');
      return send(res, 503, { code: 'SERVICE_UNAVAILABLE', message: 'Layanan BPJS sedang tidak tersedia.' });
    }
    if (faults.refuseRequests > 0) {
      faults.refuseRequests -= 1;
      return send(res, 400, { code: 'BATCH_REFUSED', message: 'Format permintaan ditolak BPJS.' });
    }
    const second = Math.floor(Date.now() / 1000);
    window = window.second === second ? { second, count: window.count + 1 } : { second, count: 1 };
    if (faults.maxRequestsPerSecond && window.count > faults.maxRequestsPerSecond) {
      res.setHeader('retry-after', '1');
      return send(res, 429, { code: 'RATE_LIMITED', message: 'Terlalu banyak permintaan.' });
    }
    const key = String(req.headers['idempotency-key'] ?? '');
    if (!key) return send(res, 400, { code: 'IDEMPOTENCY_KEY_REQUIRED', message: 'Idempotency-Key header is required' });
    if (state.registrations[key]) return send(res, 200, state.registrations[key]);
    const parsed = RegistrationRequest.safeParse(body);
    if (!parsed.success) return send(res, 400, { code: 'INVALID_REQUEST', message: parsed.error.message });
    const answer = register(parsed.data);
    state.registrations[key] = answer;
    save();
    options.log(`bpjs sandbox: ${key} ${answer.results.filter((r) => r.status === 'REGISTERED').length}/${answer.results.length} registered`);
    return send(res, 200, answer);
  }

  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  try {
    return body.length ? JSON.parse(body.toString('utf-8')) : undefined;
  } catch {
    return undefined;
  }
}
