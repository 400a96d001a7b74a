import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';
import { join } from 'node:path';
import * as z from 'zod';
import {
  RegistrationRequest,
  type RegistrationResponse,
  type RegistrationResult,
} from '../../functions/core/bpjs/contract';
import {
  PaymentCodeRequest,
  type PaymentCodeStatus,
  type ReceivedPayment,
} from '../../functions/core/bpjs/payment-contract';
import { jakartaDate } from '../../functions/core/contributions/calendar';
import { ClaimFaults, ClaimsDesk, type ClaimsState } from './bpjs-sandbox-claims';

const rate = z.number().min(0).max(1).default(0);

/**
 * Faults a test or a demo can switch on. Some on command (an outage, a refused request, a rate
 * limit, NIKs BPJS refuses), some at random like a real partner's: each request to /v1 draws once
 * from a generator seeded with `seed`, so the same seed and the same requests fail the same way.
 */
const SandboxFaults = z
  .object({
    /** Answer 503 to this many requests (or all of them, while `true`). */
    outage: z.union([z.boolean(), z.number().int().nonnegative()]).default(false),
    /** Answer 429 to requests beyond this many per second. */
    maxRequestsPerSecond: z.number().int().positive().optional(),
    /** NIKs BPJS will reject, as if Dukcapil did not know them. */
    rejectNiks: z.array(z.string()).default([]),
    /** Answer 400 (a malformed batch, as BPJS sees it) to this many registration requests. */
    refuseRequests: z.number().int().nonnegative().default(0),
    /** Answer 400 to any batch that carries one of these NIKs: a record BPJS cannot take refuses the whole batch. */
    refuseNiks: z.array(z.string()).default([]),
    /** Extra delay per request, in ms, to try timeouts. */
    latencyMs: z.number().int().nonnegative().default(0),
    /** Share of requests answered 500 or 503, before anything is processed. */
    errorRate: rate,
    /**
     * Share of requests never answered: a registration is processed first, so its answer is lost,
     * and the connection is held until the client gives up (or ten minutes pass).
     */
    timeoutRate: rate,
    /** Share of requests answered 429, whatever the rate. */
    rateLimitRate: rate,
    /** Share of registrations answered about only part of the batch (all of it is registered): a partner's bug. */
    partialAnswerRate: rate,
    /** Retry-After sent with every 429, in seconds; 0 sends none. */
    retryAfterSeconds: z.number().int().nonnegative().default(1),
    seed: z.number().int().default(1),
    // How claims are decided (bpjs-sandbox-claims.ts): delays, refusals, reclassifications, documents
    // asked, failed transfers.
    ...ClaimFaults.shape,
  })
  .refine((f) => f.errorRate + f.timeoutRate + f.rateLimitRate <= 1, {
    message: 'errorRate + timeoutRate + rateLimitRate must not exceed 1',
  });
export type SandboxFaults = z.infer<typeof SandboxFaults>;

type State = {
  nextKpj: number;
  participants: Record<string, { kpj: string; reference: string; programmeId: string }>;
  registrations: Record<string, RegistrationResponse>;
  /** Payment codes (kode iuran) by code, with what the bank paid to each; and the code of each bill. */
  paymentCodes: Record<string, PaymentCodeStatus & { programmeId: string; month: string }>;
  codesByBill: Record<string, string>;
} & ClaimsState;

/**
 * The sandbox bank's transfer to a payment code: the whole amount still owed, today (Jakarta), under a
 * made-up bank reference, unless the request says otherwise (a partial payment, a back-dated one).
 */
const BankTransfer = z
  .object({
    paymentCode: z.string().min(1),
    amount: z.number().int().positive().optional(),
    paidOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    reference: z.string().min(1).optional(),
  })
  .strict();

/**
 * A stand-in for BPJS Ketenagakerjaan that behaves like a remote service: it issues KPJ numbers,
 * remembers who it registered, answers a repeated request (same idempotency key) with the same
 * answer, rejects what the real one would reject, and fails on command or at random (seeded).
 *
 * Its rejection rules: a NIK whose serial is 0000 (Dukcapil never issues it), a NIK on the
 * `rejectNiks` list, and a NIK already registered for the same programme under another reference.
 * `GET /_sandbox/state` counts what it did (and which faults it served); `GET /_sandbox/participants`
 * lists its register, to compare with Jaring's.
 *
 * It also issues payment codes (kode iuran) per bill and plays the bank: `POST /_sandbox/payments`
 * `{ paymentCode, amount?, paidOn?, reference? }` is a transfer to a code, which Jaring learns of by
 * asking `GET /v1/payment-codes/<code>` (its daily check), as it would have to ask the real BPJS.
 */
export async function startBpjsSandbox(options: {
  port: number;
  dataDir: string;
  log: (line: string) => void;
  /** The clock claims are decided on (tests move it instead of sleeping); the system's by default. */
  now?: () => number;
}) {
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, 'state.json');
  let state: State = {
    ...{ nextKpj: 1, participants: {}, registrations: {}, paymentCodes: {}, codesByBill: {} },
    ...{ claims: {}, claimsByReference: {} },
  };
  try {
    // A state file from before payment codes or claims lacks them.
    state = {
      paymentCodes: {},
      codesByBill: {},
      claims: {},
      claimsByReference: {},
      ...(JSON.parse(readFileSync(file, 'utf-8')) as Partial<State>),
    } as State;
  } catch {
    /* fresh sandbox */
  }
  let faults: SandboxFaults = SandboxFaults.parse({});
  let draw = seededRandom(faults.seed);
  let window = { second: 0, count: 0 };
  const served = {
    ...{ requests: 0, registered: 0, replayed: 0, errors: 0, timeouts: 0, rateLimited: 0, refused: 0, partial: 0 },
    ...{ paymentCodes: 0, bankPayments: 0, claims: 0, claimsReplayed: 0 },
  };
  const save = () => writeFileSync(file, JSON.stringify(state));
  const claims = new ClaimsDesk(state, {
    faults: () => faults,
    now: options.now ?? Date.now,
    isRegistered: (programmeId, nik, kpj) => state.participants[`${programmeId}#${nik}`]?.kpj === kpj,
    save,
    log: options.log,
  });

  const register = (request: RegistrationRequest): RegistrationResponse => {
    const results: RegistrationResult[] = request.workers.map((w) => {
      const known = state.participants[`${request.programmeId}#${w.nik}`];
      if (w.nik.endsWith('0000') || faults.rejectNiks.includes(w.nik)) {
        return {
          nik: w.nik,
          status: 'REJECTED',
          reason: { code: 'NIK_NOT_FOUND', message: 'NIK tidak ditemukan pada data kependudukan (Dukcapil).' },
        };
      }
      if (known && known.reference !== request.reference) {
        return {
          nik: w.nik,
          status: 'REJECTED',
          reason: { code: 'ALREADY_REGISTERED', message: `NIK sudah terdaftar sebagai peserta (KPJ ${known.kpj}).` },
        };
      }
      if (known) return { nik: w.nik, status: 'REGISTERED', kpj: known.kpj };
      const kpj = String(26_000_000_000 + state.nextKpj++);
      state.participants[`${request.programmeId}#${w.nik}`] = {
        kpj,
        reference: request.reference,
        programmeId: request.programmeId,
      };
      return { nik: w.nik, status: 'REGISTERED', kpj };
    });
    return { registrationId: `REG-${Object.keys(state.registrations).length + 1}`, results };
  };

  /** The answer is lost: hold the connection until the client gives up, as a partner that hangs does. */
  const hang = (res: ServerResponse) => {
    served.timeouts += 1;
    const cap = setTimeout(() => res.destroy(), 10 * 60_000);
    cap.unref();
    res.once('close', () => clearTimeout(cap));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, { code: 'INTERNAL', message: error.message }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://local');
    const body = await readJson(req);
    if (url.pathname === '/_sandbox/faults') {
      if (req.method === 'POST' || req.method === 'PUT') {
        const parsed = SandboxFaults.safeParse(body ?? {});
        if (!parsed.success) return send(res, 400, { code: 'INVALID_FAULTS', message: parsed.error.message });
        faults = parsed.data;
        draw = seededRandom(faults.seed);
      }
      return send(res, 200, faults);
    }
    if (url.pathname === '/_sandbox/state') {
      return send(res, 200, {
        participants: Object.keys(state.participants).length,
        registrations: Object.keys(state.registrations).length,
        claims: claims.count,
        served,
      });
    }
    if (url.pathname === '/_sandbox/participants') {
      const programmeId = url.searchParams.get('programmeId');
      const list = Object.entries(state.participants)
        .filter(([, p]) => !programmeId || p.programmeId === programmeId)
        .map(([key, p]) => ({ nik: key.split('#')[1], ...p }));
      return send(res, 200, list);
    }
    if (url.pathname === '/_sandbox/payments' && req.method === 'POST') return bankTransfer(res, body);
    if (url.pathname === '/_sandbox/payment-codes') return send(res, 200, Object.values(state.paymentCodes));
    if (url.pathname === '/_sandbox/claims') return send(res, 200, claims.list());
    const hurry = req.method === 'POST' ? url.pathname.match(/^\/_sandbox\/claims\/([^/]+)\/decide$/) : null;
    if (hurry) return reply(res, claims.hurry(decodeURIComponent(hurry[1]!)));
    const participant = url.pathname.match(/^\/v1\/participants\/([^/]+)\/(\d{16})$/);
    const registration = url.pathname === '/v1/registrations' && req.method === 'POST';
    const newPaymentCode = url.pathname === '/v1/payment-codes' && req.method === 'POST';
    const paymentCode = req.method === 'GET' ? url.pathname.match(/^\/v1\/payment-codes\/([^/]+)$/) : null;
    const claim = claimRoute(req.method, url.pathname);
    if (!(participant && req.method === 'GET') && !registration && !newPaymentCode && !paymentCode && !claim) {
      return send(res, 404, { code: 'NOT_FOUND', message: 'Unknown endpoint' });
    }

    served.requests += 1;
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.outage === true || (typeof faults.outage === 'number' && faults.outage > 0)) {
      if (typeof faults.outage === 'number') faults.outage -= 1;
      options.log('bpjs sandbox: outage');
      return send(res, 503, { code: 'SERVICE_UNAVAILABLE', message: 'Layanan BPJS sedang tidak tersedia.' });
    }
    if (registration && faults.refuseRequests > 0) {
      faults.refuseRequests -= 1;
      served.refused += 1;
      return send(res, 400, { code: 'BATCH_REFUSED', message: 'Format permintaan ditolak BPJS.' });
    }
    const second = Math.floor(Date.now() / 1000);
    window = window.second === second ? { second, count: window.count + 1 } : { second, count: 1 };
    if (faults.maxRequestsPerSecond && window.count > faults.maxRequestsPerSecond) return rateLimited(res);

    // One draw per request, whatever comes of it, so the sequence of faults depends only on the seed.
    const roll = draw();
    if (roll < faults.errorRate) {
      served.errors += 1;
      return roll < faults.errorRate / 2
        ? send(res, 500, { code: 'INTERNAL', message: 'Kesalahan internal BPJS.' })
        : send(res, 503, { code: 'SERVICE_UNAVAILABLE', message: 'Layanan BPJS sedang tidak tersedia.' });
    }
    const timesOut = roll < faults.errorRate + faults.timeoutRate;
    if (!timesOut && roll < faults.errorRate + faults.timeoutRate + faults.rateLimitRate) return rateLimited(res);

    if (newPaymentCode) return issuePaymentCode(req, res, body, timesOut);
    if (claim) {
      // Like a registration, a claim's request is processed before its answer is lost.
      const answered = claimRequest(claim, req, body);
      return timesOut ? hang(res) : reply(res, answered);
    }
    if (paymentCode) {
      if (timesOut) return hang(res);
      const found = state.paymentCodes[decodeURIComponent(paymentCode[1]!)];
      if (!found) return send(res, 404, { code: 'NOT_FOUND', message: 'Kode iuran tidak dikenal.' });
      const { paymentCode: code, billReference, amount, payments } = found;
      return send(res, 200, { paymentCode: code, billReference, amount, payments });
    }
    if (participant) {
      if (timesOut) return hang(res);
      const found = state.participants[`${participant[1]}#${participant[2]}`];
      return found
        ? send(res, 200, { nik: participant[2], ...found })
        : send(res, 404, { code: 'NOT_FOUND', message: 'Peserta tidak ditemukan.' });
    }
    const key = String(req.headers['idempotency-key'] ?? '');
    if (!key)
      return send(res, 400, { code: 'IDEMPOTENCY_KEY_REQUIRED', message: 'Idempotency-Key header is required' });
    if (state.registrations[key]) {
      served.replayed += 1;
      return timesOut ? hang(res) : send(res, 200, state.registrations[key]);
    }
    const parsed = RegistrationRequest.safeParse(body);
    if (!parsed.success) return send(res, 400, { code: 'INVALID_REQUEST', message: parsed.error.message });
    const refused = parsed.data.workers.find((w) => faults.refuseNiks.includes(w.nik));
    if (refused) {
      served.refused += 1;
      return send(res, 400, {
        code: 'BATCH_REFUSED',
        message: `Data pekerja dengan NIK ${refused.nik} tidak dapat diproses; seluruh kelompok ditolak.`,
      });
    }
    let answer = register(parsed.data);
    served.registered += 1;
    if (faults.partialAnswerRate && draw() < faults.partialAnswerRate) {
      // Everyone is registered, but the answer (and every replay of it) leaves out the last tenth (at least one).
      answer = {
        ...answer,
        results: answer.results.slice(0, answer.results.length - Math.max(1, Math.round(answer.results.length / 10))),
      };
      served.partial += 1;
    }
    state.registrations[key] = answer;
    save();
    options.log(
      `bpjs sandbox: ${key} ${answer.results.filter((r) => r.status === 'REGISTERED').length}/${answer.results.length} registered`,
    );
    return timesOut ? hang(res) : send(res, 200, answer);
  }

  /** A kode iuran per bill: the bill id is the idempotency key, so asking again answers the same code. */
  function issuePaymentCode(req: IncomingMessage, res: ServerResponse, body: unknown, timesOut: boolean) {
    const key = String(req.headers['idempotency-key'] ?? '');
    if (!key)
      return send(res, 400, { code: 'IDEMPOTENCY_KEY_REQUIRED', message: 'Idempotency-Key header is required' });
    const parsed = PaymentCodeRequest.safeParse(body);
    if (!parsed.success) return send(res, 400, { code: 'INVALID_REQUEST', message: parsed.error.message });
    if (parsed.data.billReference !== key) {
      return send(res, 400, { code: 'INVALID_REQUEST', message: 'Idempotency-Key must be the bill reference' });
    }
    let code = state.codesByBill[key];
    if (!code) {
      // 16 digits as a virtual account number has them: a prefix for BPJS iuran and a serial.
      code = `8890${String(Object.keys(state.paymentCodes).length + 1).padStart(12, '0')}`;
      const { billReference, amount, programmeId, month } = parsed.data;
      state.paymentCodes[code] = { paymentCode: code, billReference, amount, programmeId, month, payments: [] };
      state.codesByBill[key] = code;
      served.paymentCodes += 1;
      save();
      options.log(`bpjs sandbox: kode iuran ${code} for ${key}`);
    }
    const { paymentCode, billReference, amount } = state.paymentCodes[code]!;
    return timesOut ? hang(res) : send(res, 200, { paymentCode, billReference, amount });
  }

  /**
   * The bank's side: a transfer to a payment code, as a regency's treasurer would make it. Not part
   * of BPJS's API (no faults apply); Jaring learns of it by asking BPJS what the code received.
   */
  function bankTransfer(res: ServerResponse, body: unknown) {
    const parsed = BankTransfer.safeParse(body ?? {});
    if (!parsed.success) return send(res, 400, { code: 'INVALID_REQUEST', message: parsed.error.message });
    const code = state.paymentCodes[parsed.data.paymentCode];
    if (!code) return send(res, 404, { code: 'NOT_FOUND', message: 'Kode iuran tidak dikenal.' });
    const paid = code.payments.reduce((n, p) => n + p.amount, 0);
    const amount = parsed.data.amount ?? code.amount - paid;
    if (amount <= 0)
      return send(res, 400, { code: 'NOTHING_OWED', message: 'Tagihan sudah lunas; sebutkan jumlahnya.' });
    const payment: ReceivedPayment = {
      reference: parsed.data.reference ?? `BANK-${code.paymentCode}-${code.payments.length + 1}`,
      amount,
      paidOn: parsed.data.paidOn ?? jakartaDate(new Date()),
    };
    if (code.payments.some((p) => p.reference === payment.reference)) {
      return send(res, 409, { code: 'DUPLICATE_REFERENCE', message: 'Referensi bank sudah tercatat.' });
    }
    code.payments.push(payment);
    served.bankPayments += 1;
    save();
    options.log(`bpjs sandbox: bank paid Rp${amount} to ${code.paymentCode}`);
    return send(res, 201, payment);
  }

  function claimRequest(route: ClaimRoute, req: IncomingMessage, body: unknown) {
    if (route.kind === 'file') {
      const filed = claims.file(String(req.headers['idempotency-key'] ?? ''), body);
      if (filed.replayed) served.claimsReplayed += 1;
      else if (filed.status === 201) served.claims += 1;
      return filed;
    }
    if (route.kind === 'read') return claims.read(route.id);
    if (route.kind === 'documents') return claims.supply(route.id, body);
    return claims.confirm(route.id, body);
  }

  function rateLimited(res: ServerResponse) {
    served.rateLimited += 1;
    if (faults.retryAfterSeconds) res.setHeader('retry-after', String(faults.retryAfterSeconds));
    return send(res, 429, { code: 'RATE_LIMITED', message: 'Terlalu banyak permintaan.' });
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

type ClaimRoute = { kind: 'file' } | { kind: 'read' | 'documents' | 'amount'; id: string };

/** The claims endpoints of the contract (claim-contract.ts), or undefined for any other request. */
function claimRoute(method: string | undefined, path: string): ClaimRoute | undefined {
  if (path === '/v1/claims') return method === 'POST' ? { kind: 'file' } : undefined;
  const match = path.match(/^\/v1\/claims\/([^/]+)(?:\/(documents|amount))?$/);
  if (!match) return undefined;
  const id = decodeURIComponent(match[1]!);
  if (!match[2]) return method === 'GET' ? { kind: 'read', id } : undefined;
  return method === 'POST' ? { kind: match[2] as 'documents' | 'amount', id } : undefined;
}

const reply = (res: ServerResponse, { status, body }: { status: number; body: unknown }) => send(res, status, body);

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

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
