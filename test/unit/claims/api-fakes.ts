import type { AuditEvent } from '../../../functions/core/audit/audit-event';
import { chainAll } from '../../../functions/core/audit/chain';
import type { Principal, Role } from '../../../functions/core/access/principal';
import { Claim } from '../../../functions/core/claims/claim';
import type { CalendarMonth } from '../../../functions/core/contributions/calendar';
import type { AuditLog } from '../../../functions/ports/audit-log';
import {
  ClaimNotFoundError,
  ClaimStatusConflictError,
  ClaimVersionConflictError,
  DeathAlreadyClaimedError,
  holdsDeathClaim,
  type ClaimAudit,
  type ClaimChange,
  type ClaimStore,
  type PaidTotal,
  type StoredClaim,
} from '../../../functions/ports/claim-store';
import { StaleTaskTokenError, type WorkflowCallbacks } from '../../../functions/ports/workflow';
import { maskNik } from '../../../functions/core/privacy/mask';

/** Claims in memory with the store's rules: idempotent create, one standing death claim per NIK, versioned changes. */
export class MemoryClaimStore implements ClaimStore {
  readonly items = new Map<string, StoredClaim>();
  readonly audit: AuditEvent[] = [];
  /** Runs before the next change's write, as another writer would (a race). */
  beforeNextWrite?: (store: MemoryClaimStore) => void;

  private standingDeathClaim(nik: string, except?: string) {
    return [...this.items.values()].find((c) => c.nik === nik && c.id !== except && holdsDeathClaim(c));
  }

  private record(c: Claim, audit: ClaimAudit, from?: string) {
    this.audit.push({
      ...audit,
      entity: `claim#${c.id}`,
      at: audit.at ?? new Date().toISOString(),
      from,
      to: c.status,
    });
  }

  async create(claim: Claim, audit: ClaimAudit) {
    if (this.items.has(claim.id)) return 'exists' as const;
    const standing = holdsDeathClaim(claim) && this.standingDeathClaim(claim.nik);
    if (standing) throw new DeathAlreadyClaimedError(maskNik(claim.nik), standing.id);
    this.items.set(claim.id, { ...Claim.parse(claim), version: 1 });
    this.record(claim, audit);
    return 'created' as const;
  }

  async get(id: string) {
    const c = this.items.get(id);
    return c && structuredClone(c);
  }

  async change(id: string, change: ClaimChange) {
    const hook = this.beforeNextWrite;
    this.beforeNextWrite = undefined;
    hook?.(this);
    const current = this.items.get(id);
    if (!current) throw new ClaimNotFoundError(id);
    if (change.expectedVersion !== undefined && change.expectedVersion !== current.version)
      throw new ClaimVersionConflictError(id, change.expectedVersion, current.version);
    if (change.from && !change.from.includes(current.status))
      throw new ClaimStatusConflictError(id, current.status, change.from);
    const { version, ...claim } = structuredClone(current);
    const next = change.next(claim);
    if (next === claim) return structuredClone(current);
    if (holdsDeathClaim(next) && this.standingDeathClaim(next.nik, id))
      throw new DeathAlreadyClaimedError(maskNik(next.nik), this.standingDeathClaim(next.nik, id)!.id);
    const stored = { ...Claim.parse(next), version: version + 1 };
    this.items.set(id, stored);
    this.record(stored, change.audit, current.status);
    return structuredClone(stored);
  }

  private newestFirst(filter: (c: StoredClaim) => boolean) {
    return [...this.items.values()]
      .filter(filter)
      .sort((a, b) => b.filedAt.localeCompare(a.filedAt))
      .map((c) => structuredClone(c));
  }

  async byParticipant(nik: string) {
    return this.newestFirst((c) => c.nik === nik);
  }
  async byVillage(programmeId: string, villageCode: string, page: { limit: number; cursor?: string }) {
    return this.paged(
      this.newestFirst((c) => c.programmeId === programmeId && c.villageCode === villageCode),
      page,
    );
  }
  async byProgramme(programmeId: string, page: { limit: number; cursor?: string }) {
    return this.paged(
      this.newestFirst((c) => c.programmeId === programmeId),
      page,
    );
  }
  private paged(all: StoredClaim[], page: { limit: number; cursor?: string }) {
    const from = page.cursor ? Number(page.cursor) : 0;
    const next = from + page.limit;
    return { items: all.slice(from, next), ...(next < all.length && { cursor: String(next) }) };
  }
  async paidTotals(programmeId: string, month?: CalendarMonth): Promise<PaidTotal[]> {
    const byMonth = new Map<string, PaidTotal & { claimIds: Set<string> }>();
    for (const c of this.items.values()) {
      if (c.programmeId !== programmeId) continue;
      for (const p of c.payouts) {
        const m = p.paidOn.slice(0, 7);
        if (month && m !== month) continue;
        const t = byMonth.get(m) ?? { month: m, amount: 0, payouts: 0, claims: 0, byType: {}, claimIds: new Set() };
        t.amount += p.amount;
        t.payouts += 1;
        t.claimIds.add(c.id);
        t.claims = t.claimIds.size;
        t.byType[c.type] = (t.byType[c.type] ?? 0) + p.amount;
        byMonth.set(m, t);
      }
    }
    return [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month)).map(({ claimIds: _ids, ...t }) => t);
  }
}

/** The claims workflow's callbacks: what was started and which tokens came back with what. */
export class FakeClaimsWorkflow implements WorkflowCallbacks {
  readonly started: { name: string; input: unknown }[] = [];
  readonly succeeded: { taskToken: string; output: unknown }[] = [];
  readonly staleTokens = new Set<string>();

  async succeed(taskToken: string, output: unknown) {
    if (this.staleTokens.has(taskToken)) throw new StaleTaskTokenError(`TaskTimedOut: ${taskToken}`);
    this.succeeded.push({ taskToken, output });
  }
  async fail() {
    throw new Error('not used by the claims API');
  }
  async start(name: string, input: unknown) {
    if (this.started.some((s) => s.name === name))
      throw Object.assign(new Error(`Execution ${name} already exists`), { name: 'ExecutionAlreadyExists' });
    this.started.push({ name, input });
    return { executionArn: `arn:execution:${name}` };
  }
}

export class MemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];
  async append(event: AuditEvent) {
    this.events.push(event);
  }
  async byEntity(entity: string) {
    return chainAll(this.events.filter((e) => e.entity === entity));
  }
  async byDay(day: string) {
    const entities = new Set(this.events.map((e) => e.entity));
    return [...entities]
      .flatMap((entity) => chainAll(this.events.filter((e) => e.entity === entity)))
      .filter((e) => e.at.startsWith(day))
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}

/** A signed-in person of Kapuas; an operator holds Pulau Telo. */
export const person = (role: Role, name: string = role, over: Partial<Principal> = {}): Principal => ({
  id: `id-${name}`,
  username: name,
  email: `${name}@kapuaskab.go.id`,
  roles: [role],
  regency: '62.03',
  villages: role === 'operator' ? ['62.03.01.2011'] : [],
  ...over,
});
