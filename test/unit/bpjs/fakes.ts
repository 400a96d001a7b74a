import { Readable } from 'node:stream';
import type {
  RegistrationRequest,
  RegistrationResponse,
  RegistrationResult,
} from '../../../functions/core/bpjs/contract';
import type { Proposal } from '../../../functions/core/proposals/proposal';
import type { Worker } from '../../../functions/core/workers/worker';
import type { ObjectStore } from '../../../functions/ports/object-store';
import type { ProposalChange, ProposalStore } from '../../../functions/ports/proposal-store';
import { ProposalStatusConflictError } from '../../../functions/ports/proposal-store';
import { MemoryAuditLog } from '../proposals/fakes';
import { proposal } from '../proposals/proposal-fixture';

/** S3 in a Map: enough for the submission's work files. */
export class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, string>();
  async get(ref: { key: string }) {
    const text = this.objects.get(ref.key);
    if (text === undefined) throw Object.assign(new Error(`NoSuchKey ${ref.key}`), { name: 'NoSuchKey' });
    return { body: Readable.from([Buffer.from(text)]), metadata: {} };
  }
  async getText(key: string) {
    return (await this.get({ key })).body.read().toString('utf-8') as string;
  }
  async put(key: string, body: string | Buffer | Readable, _contentType: string) {
    if (typeof body === 'string' || Buffer.isBuffer(body)) this.objects.set(key, body.toString());
    else {
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(Buffer.from(c));
      this.objects.set(key, Buffer.concat(chunks).toString());
    }
  }
  async head(ref: { key: string }) {
    return this.objects.has(ref.key) ? { metadata: {}, size: this.objects.get(ref.key)!.length } : undefined;
  }
}

/** One proposal and its audit trail, with the store's status check. */
export class MemoryProposals implements Partial<ProposalStore> {
  readonly trail = new MemoryAuditLog();
  constructor(public current: Proposal) {}
  /** The proposal's events, in the order they were written. */
  get audit() {
    return this.trail.events;
  }
  async get(id: string) {
    return id === this.current.id ? this.current : undefined;
  }
  async change(id: string, change: ProposalChange) {
    if (change.from && !change.from.includes(this.current.status))
      throw new ProposalStatusConflictError(`${id} is ${this.current.status}`);
    this.current = { ...this.current, ...change.set } as Proposal;
    this.trail.events.push({ ...change.audit, entity: `proposal#${id}`, at: new Date().toISOString() });
    return this.current;
  }
}

/** A clock that only moves when someone waits or a call takes time, so tests never sleep. */
export class FakeClock {
  t = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  now = () => this.t;
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.t += ms;
  };
}

/** What the fake does with one call: answer, fail before processing, or process and lose the answer. */
export type Fault =
  | { before: Error }
  | { loseAnswer: Error }
  | { answer: (request: RegistrationRequest, honest: RegistrationResponse) => RegistrationResponse };

/**
 * BPJS as the contract describes it (a registry, idempotent by reference), driven by a script of
 * faults, one per call; calls past the script's end are answered honestly.
 */
export class FakeBpjs {
  readonly registry = new Map<string, { kpj: string; reference: string }>();
  readonly answers = new Map<string, RegistrationResponse>();
  readonly calls: { reference: string; at: number }[] = [];
  readonly lookups: string[] = [];
  faults: (Fault | undefined)[] = [];
  limits = { maxRequestsPerSecond: 2, timeoutMs: 1_000 };
  private nextKpj = 1;
  constructor(
    private readonly clock: FakeClock,
    private readonly callMs = 50,
  ) {}

  async register(request: RegistrationRequest): Promise<RegistrationResponse> {
    this.calls.push({ reference: request.reference, at: this.clock.t });
    this.clock.t += this.callMs;
    const fault = this.faults.shift();
    if (fault && 'before' in fault) throw fault.before;
    const honest = this.answers.get(request.reference) ?? this.process(request);
    this.answers.set(request.reference, honest);
    if (fault && 'loseAnswer' in fault) throw fault.loseAnswer;
    return fault && 'answer' in fault ? fault.answer(request, honest) : honest;
  }

  async findParticipant(programmeId: string, nik: string) {
    this.lookups.push(nik);
    this.clock.t += this.callMs;
    const found = this.registry.get(`${programmeId}#${nik}`);
    return found && { nik, ...found };
  }

  /** How many requests carried each reference. */
  sent(reference: string) {
    return this.calls.filter((c) => c.reference === reference).length;
  }

  private process(request: RegistrationRequest): RegistrationResponse {
    const results: RegistrationResult[] = request.workers.map((w) => {
      const key = `${request.programmeId}#${w.nik}`;
      const known = this.registry.get(key);
      if (known && known.reference !== request.reference) {
        return { nik: w.nik, status: 'REJECTED', reason: { code: 'ALREADY_REGISTERED', message: 'sudah terdaftar' } };
      }
      if (known) return { nik: w.nik, status: 'REGISTERED', kpj: known.kpj };
      const kpj = String(26_000_000_000 + this.nextKpj++);
      this.registry.set(key, { kpj, reference: request.reference });
      return { nik: w.nik, status: 'REGISTERED', kpj };
    });
    return { registrationId: `REG-${this.answers.size + 1}`, results };
  }
}

/** `count` valid workers with distinct NIKs, in validation's order. */
export function workers(count: number): Worker[] {
  return Array.from({ length: count }, (_, i) => ({
    row: i + 2,
    nik: `620301150688${String(i + 1).padStart(4, '0')}`,
    name: `Pekerja ${i + 1}`,
    birthDate: '1988-06-15',
    sex: 'L' as const,
    occupation: 'petani',
  }));
}

/** An approved proposal whose validated workers are in the object store. */
export function approvedProposal(objects: MemoryObjects, list: Worker[]) {
  const p = proposal({ status: 'APPROVED', workersKey: 'work/prp-0123456789abcdef0123/workers.jsonl' });
  objects.objects.set(p.workersKey!, list.map((w) => JSON.stringify(w)).join('\n') + '\n');
  return p;
}
