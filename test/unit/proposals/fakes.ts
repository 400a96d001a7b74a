import { Readable } from 'node:stream';
import { proposalEntity, type AuditEvent } from '../../../functions/core/audit/audit-event';
import { chainAll } from '../../../functions/core/audit/chain';
import type { AuditLog } from '../../../functions/ports/audit-log';
import { compareUploads, FINAL_STATUSES, Proposal } from '../../../functions/core/proposals/proposal';
import type { ObjectStore } from '../../../functions/ports/object-store';
import {
  ProposalNotFoundError,
  ProposalStatusConflictError,
  type ProposalChange,
  type ProposalStore,
} from '../../../functions/ports/proposal-store';
import type { NikClaim, NikHolder, QuotaLedger, QuotaScope } from '../../../functions/ports/quota-ledger';
import { StaleTaskTokenError, type WorkflowCallbacks } from '../../../functions/ports/workflow';
import { withTransientRetries } from '../../../functions/adapters/dynamodb-transactions';

/** DynamoDB's answer to a transaction it throttled: nothing written, nothing decided, worth trying again. */
export const throttled = () =>
  Object.assign(new Error('Throughput exceeds the current capacity for one or more items'), {
    name: 'TransactionCanceledException',
    CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }],
  });

/**
 * The audit trail in memory, with the DynamoDB log's rules: append only, an event keyed `once` lands
 * once, each entity's events a hash chain in the order appended, a UTC day's in time order.
 * `beforeAppend` runs before each append, so a test can make the trail fail (a throttle outlasting
 * the retries) at the moment it chooses.
 */
export class MemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];
  private readonly keys = new Set<string>();
  beforeAppend?: (event: AuditEvent) => Promise<void> | void;

  async append(event: AuditEvent, options: { once?: string } = {}) {
    const hook = this.beforeAppend;
    if (hook) await hook(event);
    if (options.once !== undefined) {
      const key = `${event.entity}|${event.at}|${options.once}`;
      if (this.keys.has(key)) return;
      this.keys.add(key);
    }
    this.events.push(structuredClone(event));
  }
  /** In the order appended, chained as the DynamoDB log chains them. */
  async byEntity(entity: string) {
    return chainAll(this.events.filter((e) => e.entity === entity));
  }
  async byDay(day: string) {
    const entities = new Set(this.events.map((e) => e.entity));
    return [...entities]
      .flatMap((entity) => chainAll(this.events.filter((e) => e.entity === entity)))
      .filter((e) => e.at.startsWith(day))
      .sort((a, b) => a.at.localeCompare(b.at) || a.entity.localeCompare(b.entity) || a.position - b.position);
  }
}

type Audit = Omit<AuditEvent, 'entity' | 'at'> & { proposalId: string };

/**
 * The proposal store in memory, with the adapter's conditions (status, deadline). `beforeChange`
 * runs just before a change is applied, so a test can slip another actor's move in between a
 * read and a conditional write, as two Lambdas racing would.
 */
export class MemoryProposalStore implements ProposalStore {
  readonly items = new Map<string, Proposal>();
  beforeChange?: (id: string, change: ProposalChange) => Promise<void> | void;
  /** Runs just after a change is applied, before its caller sees the result. */
  afterChange?: (id: string, change: ProposalChange) => Promise<void> | void;

  /** How many of the next write attempts DynamoDB throttles (each retried as the DynamoDB store retries). */
  throttleNext = 0;

  /** Changes write their events to `trail` as the DynamoDB store does: in the same write. */
  constructor(readonly trail = new MemoryAuditLog()) {}

  /** Every proposal's events, oldest first, with the proposal they belong to. */
  get audit(): Audit[] {
    return this.trail.events
      .filter((e) => e.entity.startsWith('proposal#'))
      .map(({ entity, at: _at, ...e }) => ({ ...e, proposalId: entity.slice('proposal#'.length) }));
  }

  put(p: Proposal) {
    this.items.set(p.id, structuredClone(p));
  }
  async get(id: string) {
    const p = this.items.get(id);
    return p ? structuredClone(p) : undefined;
  }
  async findByUploadKey(uploadKey: string) {
    return [...this.items.values()]
      .filter((p) => p.uploadKey === uploadKey)
      .sort((a, b) => compareUploads(b, a))
      .map((p) => structuredClone(p));
  }
  async findByProgrammeVillage(programmeId: string, villageCode: string) {
    return [...this.items.values()]
      .filter((p) => p.programmeId === programmeId && p.villageCode === villageCode)
      .sort((a, b) => compareUploads(b, a))
      .map((p) => structuredClone(p));
  }
  async create(p: Proposal, audit: Omit<AuditEvent, 'entity' | 'at'>) {
    if (this.items.has(p.id)) return 'exists' as const;
    this.put(p);
    this.trail.events.push({ ...audit, entity: proposalEntity(p.id), at: new Date().toISOString() });
    return 'created' as const;
  }
  async change(id: string, change: ProposalChange) {
    // As the DynamoDB store: a throttle is tried again (here without waiting), anything else is thrown.
    return withTransientRetries(
      () => this.apply(id, change),
      6,
      async () => {},
    );
  }
  private async apply(id: string, change: ProposalChange) {
    if (this.throttleNext > 0) {
      this.throttleNext -= 1;
      throw throttled();
    }
    const hook = this.beforeChange;
    if (hook) await hook(id, change);
    const p = this.items.get(id);
    if (!p) throw new ProposalNotFoundError(id);
    if (change.from && !change.from.includes(p.status)) throw new ProposalStatusConflictError(`${id} is ${p.status}`);
    if (change.notExpiredAt && !(p.approval && p.approval.expiresAt > change.notExpiredAt))
      throw new ProposalStatusConflictError(`${id} deadline passed`);
    const next: Record<string, unknown> = {
      ...p,
      ...Object.fromEntries(Object.entries(change.set).filter(([, v]) => v !== undefined)),
    };
    for (const k of change.remove ?? []) delete next[k];
    this.items.set(id, Proposal.parse(next));
    this.trail.events.push({ ...change.audit, entity: proposalEntity(id), at: new Date().toISOString() });
    const result = structuredClone(this.items.get(id)!);
    const after = this.afterChange;
    if (after) await after(id, change);
    return result;
  }
  async listUnfinished() {
    return [...this.items.values()].filter((p) => !FINAL_STATUSES.includes(p.status));
  }
  actions(id: string) {
    return this.audit.filter((a) => a.proposalId === id).map((a) => a.action);
  }
}

/** Quotas and NIK claims in memory, with the DynamoDB ledger's semantics; `onClaim` runs after each NIK claimed. */
export class MemoryLedger implements QuotaLedger {
  /** Quota key -> proposal -> places. */
  readonly shares = new Map<string, Map<string, number>>();
  readonly claims = new Map<string, NikHolder>();
  onClaim?: (proposalId: string, nik: string) => Promise<void> | void;

  private sharesOf(quota: QuotaScope) {
    const shares = this.shares.get(quota.key) ?? new Map<string, number>();
    this.shares.set(quota.key, shares);
    return shares;
  }
  async reserve(quota: QuotaScope, proposalId: string, wanted: number) {
    const shares = this.sharesOf(quota);
    const mine = shares.get(proposalId);
    if (mine !== undefined) return mine;
    const grant = Math.max(0, Math.min(wanted, quota.limit - (await this.reserved(quota))));
    shares.set(proposalId, grant);
    return grant;
  }
  async release(quota: QuotaScope, proposalId: string, count?: number) {
    const shares = this.sharesOf(quota);
    const mine = shares.get(proposalId);
    if (!mine) return;
    shares.set(proposalId, mine - Math.min(mine, count ?? mine));
  }
  async reserved(quota: QuotaScope) {
    return [...this.sharesOf(quota).values()].reduce((a, b) => a + b, 0);
  }
  async claim(period: string, holder: Omit<NikHolder, 'row'>, niks: NikClaim[]) {
    const taken = new Map<string, NikHolder>();
    for (const { nik, row } of niks) {
      const key = `${period}#${nik}`;
      const current = this.claims.get(key);
      if (current && current.proposalId !== holder.proposalId) taken.set(nik, current);
      else this.claims.set(key, { ...holder, row });
      const hook = this.onClaim;
      if (hook) await hook(holder.proposalId, nik);
    }
    return taken;
  }
  async holders(period: string, niks: string[]) {
    const found = new Map<string, NikHolder>();
    for (const nik of niks) {
      const h = this.claims.get(`${period}#${nik}`);
      if (h) found.set(nik, h);
    }
    return found;
  }
  async unclaim(period: string, proposalId: string, niks: string[]) {
    for (const nik of niks)
      if (this.claims.get(`${period}#${nik}`)?.proposalId === proposalId) this.claims.delete(`${period}#${nik}`);
  }
  holderOf(nik: string) {
    return [...this.claims.entries()].find(([key]) => key.endsWith(`#${nik}`))?.[1].proposalId;
  }
  heldBy(proposalId: string) {
    return [...this.claims.values()].filter((h) => h.proposalId === proposalId).length;
  }
}

/** Objects by key (and version, where one is given: one key uploaded three times is three objects). */
export class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, Buffer>();
  private static id = (ref: { key: string; versionId?: string }) =>
    ref.versionId ? `${ref.key}?versionId=${ref.versionId}` : ref.key;
  async get(ref: { key: string; versionId?: string }) {
    const body = this.objects.get(MemoryObjects.id(ref));
    if (!body) throw Object.assign(new Error(`NoSuchKey ${ref.key}`), { name: 'NoSuchKey' });
    return { body: Readable.from([body]), metadata: {} };
  }
  async getText(key: string) {
    return this.objects.get(key)?.toString() ?? '';
  }
  async put(key: string, body: string | Buffer | Readable) {
    this.objects.set(key, await bytesOf(body));
  }
  putVersion(ref: { key: string; versionId?: string }, body: string) {
    this.objects.set(MemoryObjects.id(ref), Buffer.from(body));
  }
  async head(ref: { key: string; versionId?: string }) {
    return this.objects.has(MemoryObjects.id(ref)) ? { metadata: {} } : undefined;
  }
}

async function bytesOf(body: string | Buffer | Readable): Promise<Buffer> {
  if (typeof body === 'string' || Buffer.isBuffer(body)) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** Task tokens: `succeed` on a token nobody waits for (any not in `waiting`) is stale, as in Step Functions. */
export class MemoryWorkflow implements WorkflowCallbacks {
  readonly waiting = new Set<string>();
  readonly succeeded: { token: string; output: any }[] = [];
  readonly started: { name: string; input: unknown }[] = [];
  async succeed(token: string, output: unknown) {
    if (!this.waiting.delete(token)) throw new StaleTaskTokenError(token);
    this.succeeded.push({ token, output });
  }
  async fail(token: string) {
    if (!this.waiting.delete(token)) throw new StaleTaskTokenError(token);
  }
  async start(name: string, input: unknown) {
    this.started.push({ name, input });
    return { executionArn: `arn:aws:states:local:0:execution:enrollment:${name}` };
  }
}
