import { createHash } from 'node:crypto';
import { ChainedAuditEvent, type AuditEvent } from './audit-event';

/**
 * The audit trail's hash chain, one per entity (a proposal, a participant, a bill, a claim ...).
 * Each event stores its `position` (1, 2, 3 ... within its entity), `prev` (the hash of the event at
 * the position before; GENESIS for the first) and `hash`, the sha256 of its canonical JSON. Changing
 * an event's content breaks its own hash; removing or reordering events breaks a `prev` or leaves a
 * position missing; so the first broken link names where the trail stops being trustworthy.
 *
 * What one entity's chain cannot show: its LAST events removed (or the last one rewritten with its
 * hash recomputed). A shorter chain is still a whole chain. That is covered outside it, by the
 * archive's daily digest (functions/core/audit/archive.ts), which fixes each day's events, chained
 * day to day, in storage nobody can change.
 */

/** The `prev` of an entity's first event. */
export const GENESIS = '0'.repeat(64);

/** The fields a hash covers, and nothing else: storage keys or a write's `once` key are not the event. */
const HASHED = ['entity', 'position', 'prev', 'action', 'actor', 'at', 'execution', 'from', 'to', 'details'] as const;
export type ChainFields = Pick<ChainedAuditEvent, 'position' | 'prev'> & AuditEvent;

/** Where an entity's chain ends: the next event goes at `position + 1`, its `prev` is `hash`. */
export type ChainHead = { position: number; hash: string };

export type BrokenLink = {
  /** The first position that cannot be trusted (for a gap: the position missing). */
  position: number;
  at?: string;
  action?: string;
  /**
   * `hash`: the event's content no longer matches its hash (it was changed);
   * `prev`: it does not name the event before it (an event before it was changed, removed or moved);
   * `gap`: no event holds this position (removed).
   */
  reason: 'hash' | 'prev' | 'gap';
};
export type ChainVerdict =
  { ok: true; count: number; head?: string } | { ok: false; count: number; broken: BrokenLink };

/**
 * JSON with object keys sorted at every depth and undefined members dropped, so the same event
 * always gives the same text, whichever order its fields were written or read back in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const members = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${members.join(',')}}`;
}

/** sha256 (hex) of the canonical JSON of the event's hashed fields. */
export function eventHash(fields: ChainFields): string {
  const picked = Object.fromEntries(HASHED.map((k) => [k, fields[k]]));
  return createHash('sha256').update(canonicalJson(picked)).digest('hex');
}

/**
 * The event as the next link after `head` (none: the entity's first event). Its details are taken
 * through JSON first, so what is hashed is exactly what storage gives back (no undefined inside a
 * list, no Date objects): a hash computed on write must match the one recomputed on read.
 */
export function chainEvent(event: AuditEvent, head?: ChainHead): ChainedAuditEvent {
  const plain = JSON.parse(JSON.stringify(event)) as AuditEvent;
  const linked = { ...plain, position: (head?.position ?? 0) + 1, prev: head?.hash ?? GENESIS };
  return ChainedAuditEvent.parse({ ...linked, hash: eventHash(linked) });
}

/** One entity's events, in the order they were appended, as the chain the trail stores them in. */
export function chainAll(events: readonly AuditEvent[]): ChainedAuditEvent[] {
  const chained: ChainedAuditEvent[] = [];
  for (const event of events) chained.push(chainEvent(event, chained.at(-1)));
  return chained;
}

/**
 * Recomputes one entity's chain and names its FIRST broken link, the point after which nothing
 * can be trusted. Events are taken in position order whatever order they are given in.
 */
export function verifyChain(events: readonly ChainedAuditEvent[]): ChainVerdict {
  const ordered = [...events].sort((a, b) => a.position - b.position);
  let previous: ChainedAuditEvent | undefined;
  for (const [i, event] of ordered.entries()) {
    const expected = i + 1;
    const broken = (reason: BrokenLink['reason']): ChainVerdict => ({
      ok: false,
      count: ordered.length,
      broken: { position: event.position, at: event.at, action: event.action, reason },
    });
    // Removed: the position that should come next is held by nobody.
    if (event.position > expected)
      return { ok: false, count: ordered.length, broken: { position: expected, reason: 'gap' } };
    // Two events claiming one position: the second cannot follow the first.
    if (event.position < expected) return broken('prev');
    if (eventHash(event) !== event.hash) return broken('hash');
    if (event.prev !== (previous?.hash ?? GENESIS)) return broken('prev');
    previous = event;
  }
  return { ok: true, count: ordered.length, ...(previous && { head: previous.hash }) };
}
