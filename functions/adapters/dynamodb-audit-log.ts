import {
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ChainedAuditEvent, type AuditEvent } from '../core/audit/audit-event';
import { chainEvent, type ChainHead } from '../core/audit/chain';
import type { AppendOptions, AuditLog } from '../ports/audit-log';
import { queryAll, scanAll } from './dynamodb-pages';
import { readWriteFailure, withTransientRetries } from './dynamodb-transactions';
import { AUDIT_INDEXES } from './table-design';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** One event to write, with how (see AppendOptions). */
export type AuditWrite = { event: AuditEvent } & AppendOptions;

/** Digits of the sort key: positions up to 9,999,999,999 per entity sort as numbers do. */
const SEQ_DIGITS = 10;
export const seqOf = (position: number) => String(position).padStart(SEQ_DIGITS, '0');

/**
 * Writes that lose the race for an entity's next position before giving up. Each loser re-reads the
 * end of the chain and takes the place after it, so every attempt that fails is one some other writer
 * won; many are allowed because the writers of one busy entity (a proposal's trail) can be many.
 */
const CHAIN_ATTEMPTS = 25;

export class AuditChainContentionError extends Error {
  constructor(entities: string[]) {
    super(`The audit trail of ${entities.join(', ')} kept moving under ${CHAIN_ATTEMPTS} attempts to append to it`);
    this.name = 'AuditChainContentionError';
  }
}

/** The end of an entity's chain as last read: `seq` of its last event, to read only what came after. */
type End = { head?: ChainHead; seq?: string };

/**
 * The audit trail in one DynamoDB table, each entity's events a hash chain (functions/core/audit/chain.ts):
 * - `entity` (partition key): what the event belongs to, `proposal#<id>`, `participant#<programme>#<nik>`, ...
 * - `seq` (sort key): the event's `position` in its entity's chain, zero-padded to 10 digits, so
 *   the key order is the chain order and a position can be taken only once.
 * - `position`, `prev`, `hash`: the chain; `once`: the caller's once-key, when it gave one (not hashed:
 *   how an event was written is not what happened).
 * - `day` (partition key of the `byDay` index): the UTC day of `at`. The index's sort key is `seq`,
 *   which orders nothing across entities; `byDay` reads the day whole and sorts it by time.
 *
 * Appending reads the end of the entity's chain (one Query, consistent, newest first, one item) and
 * puts the event at the next position on the condition that the key is new; a writer that loses the
 * race reads the end again and takes the place after it. Nothing is ever overwritten, and the
 * functions' grants on the table are PutItem and reads (infra/constructs/bindings.ts; checked by
 * test/infra/audit-grants.test.ts).
 *
 * `once`: an append with a once-key first looks through the entity's events for one with the same
 * key and time (a re-run of the step that wrote it) and writes nothing if it is there; the key is
 * stored on the event itself, so a once-event costs no item of its own. In a store's transaction the
 * store's own conditions (an item that must be new, a version) already make a re-run fail, so the
 * events' once-keys are looked for only after an audit put lost its place, among the events that
 * took it.
 *
 * Events written before the chain (sort key `<at>#<unique>`, no position) are not migrated: the
 * system was not in production, and such an entity cannot be appended to (its end has no position).
 */
export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  ) {}

  async append(event: AuditEvent, options: AppendOptions = {}) {
    await this.write([], [{ event, ...options }], true);
  }

  /**
   * The caller's items and the events recording them in one transaction, so the trail can never miss
   * a state an entity was in. Each event is chained after its entity's end (several events of one
   * entity, in the order given, chain to each other). An event that lost its place to another writer
   * is placed again after the new end, transparently; a condition of the caller's own items that does
   * not hold reaches the caller as before (readWriteFailure: its indexes are the caller's, events
   * come after them). Conflicts and throttles are retried here (withTransientRetries).
   */
  async transactWithEvents(items: readonly TransactItem[], events: readonly AuditWrite[]) {
    await this.write(items, events, false);
  }

  /** One entity's events, by position: consistent, so a verification never sees a chain half-read. */
  async byEntity(entity: string) {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'entity = :e',
      ExpressionAttributeValues: { ':e': entity },
      ConsistentRead: true,
    });
    return items.map((i) => ChainedAuditEvent.parse(i));
  }

  async byDay(day: string) {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: AUDIT_INDEXES.byDay,
      KeyConditionExpression: '#day = :d',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':d': day },
    });
    return items
      .map((i) => ChainedAuditEvent.parse(i))
      .sort((a, b) => a.at.localeCompare(b.at) || a.entity.localeCompare(b.entity) || a.position - b.position);
  }

  /**
   * Every stored event, for a whole-trail verification (scripts/audit-verify.ts): a Scan, so for
   * that script and never a request path. Items that are not chained events at all (a field
   * overwritten with something of the wrong type) come back apart, with their keys.
   */
  async everything() {
    const events: ChainedAuditEvent[] = [];
    const unreadable: { entity: string; seq: string }[] = [];
    for (const item of await scanAll(this.db, { TableName: this.table, ConsistentRead: true })) {
      const parsed = ChainedAuditEvent.safeParse(item);
      if (parsed.success) events.push(parsed.data);
      else unreadable.push({ entity: String(item.entity), seq: String(item.seq) });
    }
    return { events, unreadable };
  }

  private async write(items: readonly TransactItem[], writes: readonly AuditWrite[], onceFirst: boolean) {
    let pending = [...writes];
    const ends = new Map<string, End>();
    // Entities whose end must be read (again) before the next attempt: all at first, then those that lost a place.
    let stale = new Set(pending.map((w) => w.event.entity));
    for (let attempt = 1; attempt <= CHAIN_ATTEMPTS; attempt++) {
      await Promise.all(
        [...stale].map(async (entity) => {
          const mine = pending.filter((w) => w.event.entity === entity);
          // A new entity's first event is tried at position 1 unread; only once, a taken place says it is not new.
          if (attempt === 1 && mine.every((w) => w.newEntity)) return ends.set(entity, {});
          const onces = mine.some((w) => w.once !== undefined) && (onceFirst || attempt > 1);
          const end = await this.readEnd(entity, ends.get(entity), onces);
          ends.set(entity, end.end);
          if (end.written.size)
            pending = pending.filter(
              (w) => w.event.entity !== entity || w.once === undefined || !end.written.has(onceKey(w.event.at, w.once)),
            );
        }),
      );
      if (!pending.length && !items.length) return;
      const puts = this.chainedPuts(pending, ends);
      try {
        await withTransientRetries<unknown>(() =>
          items.length === 0 && puts.length === 1
            ? this.db.send(new PutCommand(puts[0]!.Put))
            : this.db.send(new TransactWriteCommand({ TransactItems: [...items, ...puts] })),
        );
        return;
      } catch (error) {
        const failure = readWriteFailure(error);
        if (failure.kind !== 'condition' || failure.items.some((i) => i < items.length)) throw error;
        stale = new Set(failure.items.map((i) => pending[i - items.length]!.event.entity));
        // The winner is writing now: step aside a little, more the more often it happened.
        await this.sleep(Math.random() * 10 * Math.min(attempt, 10));
      }
    }
    throw new AuditChainContentionError([...stale]);
  }

  /** Each pending event chained after its entity's end as read, in the order given. */
  private chainedPuts(pending: readonly AuditWrite[], ends: ReadonlyMap<string, End>) {
    const heads = new Map([...ends].map(([entity, end]) => [entity, end.head]));
    return pending.map(({ event, once }) => {
      const chained = chainEvent(event, heads.get(event.entity));
      heads.set(event.entity, { position: chained.position, hash: chained.hash });
      return {
        Put: {
          TableName: this.table,
          Item: {
            ...chained,
            seq: seqOf(chained.position),
            day: chained.at.slice(0, 10),
            ...(once !== undefined && { once }),
          },
          ConditionExpression: 'attribute_not_exists(seq)',
        },
      };
    });
  }

  /**
   * The end of an entity's chain. Without once-keys to look for: its last event alone. With them:
   * every event after the end read before (all of them the first time), newest first, with the
   * once-keys they were written with.
   */
  private async readEnd(entity: string, before: End | undefined, onces: boolean) {
    const names = { '#seq': 'seq', '#position': 'position', '#hash': 'hash', '#once': 'once', '#at': 'at' };
    const projection = onces ? '#seq, #position, #hash, #once, #at' : '#seq, #position, #hash';
    const after = onces ? before?.seq : undefined;
    const query = {
      TableName: this.table,
      KeyConditionExpression: after ? 'entity = :e AND #seq > :after' : 'entity = :e',
      ExpressionAttributeNames: onces ? names : { '#seq': 'seq', '#position': 'position', '#hash': 'hash' },
      ExpressionAttributeValues: { ':e': entity, ...(after && { ':after': after }) },
      ProjectionExpression: projection,
      ScanIndexForward: false,
      ConsistentRead: true,
    };
    const found = onces
      ? await queryAll(this.db, query)
      : ((await withTransientRetries(() => this.db.send(new QueryCommand({ ...query, Limit: 1 })))).Items ?? []);
    const last = found[0];
    const written = new Set(
      found.filter((i) => i.once !== undefined).map((i) => onceKey(String(i.at), String(i.once))),
    );
    if (!last) return { end: after ? before! : {}, written };
    if (typeof last.position !== 'number' || typeof last.hash !== 'string')
      throw new Error(`The audit trail of ${entity} ends in an event with no place in a chain (${String(last.seq)})`);
    return { end: { head: { position: last.position, hash: last.hash }, seq: String(last.seq) }, written };
  }
}

const onceKey = (at: string, once: string) => `${at}\u0000${once}`;
