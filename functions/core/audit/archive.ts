import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { AuditLog } from '../../ports/audit-log';
import type { ArchiveStore, ExecutionHistories, StepFunctionsHistory } from '../../ports/execution-archive';
import type { AuditEvent } from './audit-event';
import { canonicalJson } from './chain';
import { ArchivedExecution, executionRecord, stateMachineNameOf, type ExecutionRecord } from './execution-record';

/*
 * The archive that outlives the tables and Step Functions' 90 days (issue 11), in a bucket with S3
 * Object Lock in compliance mode:
 * - `executions/<stopDay>/<stateMachine>/<executionName>.json`: an execution's whole history, taken
 *   when it closed;
 * - `events/<day>.jsonl`: the UTC day's audit events, one JSON per line, by entity and position;
 * - `digests/<day>.json`: the day's files with their SHA-256 and size, and the previous day's digest
 *   (key and hash), hashed, so that the days form one chain as CloudTrail's digest files do.
 * Every object is written once: a day or an execution already archived is never written again.
 */

export const ARCHIVE_PREFIXES = { events: 'events/', executions: 'executions/', digests: 'digests/' } as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const Day = z.string().regex(DAY, 'a UTC day, YYYY-MM-DD');

export const eventsKey = (day: string) => `${ARCHIVE_PREFIXES.events}${day}.jsonl`;
export const digestKey = (day: string) => `${ARCHIVE_PREFIXES.digests}${day}.json`;
const executionsPrefix = (day: string) => `${ARCHIVE_PREFIXES.executions}${day}/`;
const executionKey = (stopDay: string, stateMachine: string, executionName: string) =>
  `${executionsPrefix(stopDay)}${stateMachine}/${executionName}.json`;

const dayOfDigestKey = (key: string) => {
  const day = key.slice(ARCHIVE_PREFIXES.digests.length, -'.json'.length);
  return key.startsWith(ARCHIVE_PREFIXES.digests) && key.endsWith('.json') && DAY.test(day) ? day : undefined;
};

/** The UTC day of an instant. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** The day `n` days after `day` (before, for a negative `n`). */
export function addDays(day: string, n: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + n);
  return utcDay(at);
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

export const ArchivedFile = z.object({ key: z.string(), sha256: z.string(), bytes: z.number().int().nonnegative() });
export type ArchivedFile = z.infer<typeof ArchivedFile>;

/** A day's digest: its files, the previous day's digest (null for the first day archived), and its own hash. */
export const ArchiveDigest = z.object({
  day: Day,
  files: z.array(ArchivedFile),
  previous: z.object({ key: z.string(), hash: z.string() }).nullable(),
  hash: z.string(),
});
export type ArchiveDigest = z.infer<typeof ArchiveDigest>;

/** SHA-256 of the digest's canonical JSON without its `hash`. */
export const digestHash = (digest: Omit<ArchiveDigest, 'hash'>) =>
  sha256(canonicalJson({ day: digest.day, files: digest.files, previous: digest.previous }));

function makeDigest(day: string, files: ArchivedFile[], previous: ArchiveDigest['previous']): ArchiveDigest {
  return { day, files, previous, hash: digestHash({ day, files, previous }) };
}

/** An event as the day's file holds it: position is there once the trail is chained (per entity). */
type DayEvent = AuditEvent & { position?: number };

/** The day's events as JSON lines, by entity, then position (or time, for events without one). */
function eventsJsonl(events: DayEvent[]): string {
  const sorted = [...events].sort((a, b) => {
    if (a.entity !== b.entity) return a.entity < b.entity ? -1 : 1;
    if (a.position !== undefined && b.position !== undefined) return a.position - b.position;
    return a.at < b.at ? -1 : a.at > b.at ? 1 : 0;
  });
  return sorted.map((e) => `${JSON.stringify(e)}\n`).join('');
}

/** Writes a file once and answers what is stored under its key: its own bytes, or those written earlier. */
async function createOnce(store: ArchiveStore, key: string, body: Buffer, contentType: string): Promise<Buffer> {
  if ((await store.create(key, body, contentType)) === 'created') return body;
  const stored = await store.read(key);
  if (!stored) throw new Error(`${key} exists but cannot be read`);
  return stored;
}

const fileOf = (key: string, bytes: Buffer): ArchivedFile => ({ key, sha256: sha256(bytes), bytes: bytes.length });

class ExecutionNotFoundError extends Error {
  override name = 'ExecutionNotFoundError';
}

const EXECUTION_ARCHIVED = 'EXECUTION_ARCHIVED';
const executionEntity = (executionArn: string) => `execution#${executionArn}`;

export type ExecutionArchiveDeps = {
  store: ArchiveStore;
  stepFunctions: StepFunctionsHistory;
  audit: Pick<AuditLog, 'append'>;
  actor: string;
};

/**
 * Takes a closed execution's whole history into the archive and records that on the execution's
 * trail. Run again (EventBridge or Lambda retrying) it writes nothing new: the file is there, and
 * the event is keyed `once` and timed when the file was written (S3's time for it, the same on every
 * run), so it falls in the day the archive happened and that day's events file holds it.
 */
export async function archiveExecution(deps: ExecutionArchiveDeps, executionArn: string) {
  const execution = await deps.stepFunctions.execution(executionArn);
  if (!execution) throw new ExecutionNotFoundError(`Step Functions has no execution ${executionArn}`);
  const { summary, events } = execution;
  if (!summary.stopDate) throw new Error(`${executionArn} has not closed (${summary.status})`);
  const stateMachine = stateMachineNameOf(summary.stateMachineArn);
  const stoppedAt = new Date(summary.stopDate);
  const key = executionKey(utcDay(stoppedAt), stateMachine, summary.name);
  const stored = await createOnce(deps.store, key, Buffer.from(`${JSON.stringify(execution)}\n`), 'application/json');
  const file = fileOf(key, stored);
  const writtenAt = await deps.store.writtenAt(key);
  if (!writtenAt) throw new Error(`${key} was written but cannot be found`);
  await deps.audit.append(
    {
      entity: executionEntity(executionArn),
      action: EXECUTION_ARCHIVED,
      actor: deps.actor,
      at: writtenAt.toISOString(),
      execution: executionArn,
      details: { key, sha256: file.sha256, status: summary.status, stateMachine, events: events.length },
    },
    { once: 'archived' },
  );
  return { key, sha256: file.sha256, events: events.length };
}

export type DayArchiveDeps = { store: ArchiveStore; audit: Pick<AuditLog, 'byDay'> };

export class ArchiveOrderError extends Error {
  override name = 'ArchiveOrderError';
}

/** How many days one run archives at most, oldest first, when earlier days were left without a digest. */
const CATCH_UP_DAYS = 31;

/**
 * How many days back a day's digest looks for executions archived after their own day's digest was
 * written (EventBridge retries for a day, the dead-letter queue keeps an event 14 days for a re-drive).
 */
const LATE_DAYS = 14;

/**
 * Archives a UTC day: its events, its executions' files and the digest chaining to the previous
 * day's. Days are archived in order: days after the last digest that have none are archived first
 * (at most CATCH_UP_DAYS in one run; `pending` names the day a next run still has to reach). A day
 * with a digest is not written again, and a day before the last digest cannot join the chain.
 */
export async function archiveDay(deps: DayArchiveDeps, day: string, maxDays = CATCH_UP_DAYS) {
  const digested = (await deps.store.list(ARCHIVE_PREFIXES.digests))
    .map(dayOfDigestKey)
    .filter((d): d is string => d !== undefined)
    .sort();
  if (digested.includes(day)) return { archived: [] as string[], already: true };
  const later = digested.filter((d) => d > day);
  if (later.length)
    throw new ArchiveOrderError(`${day} has no digest but ${later[0]} has: a day cannot join the chain out of order`);
  const last = digested.at(-1);
  const days: string[] = [];
  for (let d = last ? addDays(last, 1) : day; d <= day && days.length < maxDays; d = addDays(d, 1)) days.push(d);
  let previous: ArchiveDigest['previous'] = null;
  if (last) {
    const stored = await deps.store.read(digestKey(last));
    previous = { key: digestKey(last), hash: ArchiveDigest.parse(JSON.parse(String(stored))).hash };
  }
  for (const d of days) previous = await archiveOneDay(deps, d, previous);
  return { archived: days, already: false, ...(days.at(-1) !== day ? { pending: day } : {}) };
}

async function archiveOneDay(deps: DayArchiveDeps, day: string, previous: ArchiveDigest['previous']) {
  const { store } = deps;
  const events = Buffer.from(eventsJsonl(await deps.audit.byDay(day)));
  const files = [fileOf(eventsKey(day), await createOnce(store, eventsKey(day), events, 'application/x-ndjson'))];
  for (const key of [...(await store.list(executionsPrefix(day))).sort(), ...(await lateExecutions(store, day))]) {
    const bytes = await store.read(key);
    if (bytes) files.push(fileOf(key, bytes));
  }
  const digest = makeDigest(day, files, previous);
  const stored = await createOnce(
    store,
    digestKey(day),
    Buffer.from(`${JSON.stringify(digest)}\n`),
    'application/json',
  );
  // Another run may have written the day's digest first: the chain goes on from the one stored.
  return { key: digestKey(day), hash: ArchiveDigest.parse(JSON.parse(String(stored))).hash };
}

/**
 * Executions of the LATE_DAYS days before `day` archived after their day's digest was written (a
 * delivery retried past the daily run): no digest of those days lists them, so this day's does.
 */
async function lateExecutions(store: ArchiveStore, day: string): Promise<string[]> {
  const listed = new Set<string>();
  const digested: string[] = [];
  for (let d = addDays(day, -LATE_DAYS); d < day; d = addDays(d, 1)) {
    const digest = await readDigest(store, digestKey(d));
    if (!digest) continue;
    digested.push(d);
    for (const file of digest.files) listed.add(file.key);
  }
  const late: string[] = [];
  for (const d of digested)
    for (const key of (await store.list(executionsPrefix(d))).sort()) if (!listed.has(key)) late.push(key);
  return late;
}

export type ArchiveBreak = {
  day: string;
  key: string;
  reason: 'file-missing' | 'file-changed' | 'digest-missing' | 'digest-changed' | 'chain';
};
export type ArchiveVerdict = { ok: true; days: number } | { ok: false; days: number; broken: ArchiveBreak };

/**
 * Recomputes the archive's chain from the bucket: each listed file's SHA-256 and size, each digest's
 * hash, each digest's link to the day before, and no day missing between the first and the last.
 * Answers the first broken link (by day), or how many days verified.
 */
export async function verifyArchive(
  store: Pick<ArchiveStore, 'list' | 'read'>,
  options: { from?: string; to?: string } = {},
): Promise<ArchiveVerdict> {
  const days = (await store.list(ARCHIVE_PREFIXES.digests))
    .map(dayOfDigestKey)
    .filter((d): d is string => d !== undefined)
    .filter((d) => (!options.from || d >= options.from) && (!options.to || d <= options.to))
    .sort();
  let verified = 0;
  let before: { day: string; key: string; hash: string } | undefined;
  const broken = (day: string, key: string, reason: ArchiveBreak['reason']): ArchiveVerdict => ({
    ok: false,
    days: verified,
    broken: { day, key, reason },
  });
  for (const day of days) {
    const key = digestKey(day);
    if (before && addDays(before.day, 1) !== day) {
      const missing = addDays(before.day, 1);
      return broken(missing, digestKey(missing), 'digest-missing');
    }
    const digest = await readDigest(store, key);
    if (!digest || digest.day !== day || digestHash(digest) !== digest.hash) return broken(day, key, 'digest-changed');
    if (before) {
      if (digest.previous?.key !== before.key || digest.previous.hash !== before.hash) return broken(day, key, 'chain');
    } else if (digest.previous) {
      // The first day in range: its link is checked against the digest stored before it.
      const earlier = await readDigest(store, digest.previous.key);
      if (!earlier) return broken(dayOfDigestKey(digest.previous.key) ?? day, digest.previous.key, 'digest-missing');
      if (earlier.hash !== digest.previous.hash || digestHash(earlier) !== earlier.hash)
        return broken(day, key, 'chain');
    }
    for (const file of digest.files) {
      const bytes = await store.read(file.key);
      if (!bytes) return broken(day, file.key, 'file-missing');
      if (bytes.length !== file.bytes || sha256(bytes) !== file.sha256) return broken(day, file.key, 'file-changed');
    }
    verified += 1;
    before = { day, key, hash: digest.hash };
  }
  return { ok: true, days: verified };
}

async function readDigest(store: Pick<ArchiveStore, 'read'>, key: string): Promise<ArchiveDigest | undefined> {
  const bytes = await store.read(key);
  if (!bytes) return undefined;
  try {
    return ArchiveDigest.parse(JSON.parse(bytes.toString('utf8')));
  } catch {
    return undefined;
  }
}

export type ExecutionHistoriesDeps = {
  audit: Pick<AuditLog, 'byEntity'>;
  store: Pick<ArchiveStore, 'read'>;
  stepFunctions: StepFunctionsHistory;
};

/**
 * Histories for the console: the archived file its EXECUTION_ARCHIVED event names, or, for an
 * execution not archived yet (running, or closed moments ago), Step Functions' own.
 */
export function executionHistories(deps: ExecutionHistoriesDeps): ExecutionHistories {
  return {
    async history(executionArn: string): Promise<ExecutionRecord | undefined> {
      const archived = (await deps.audit.byEntity(executionEntity(executionArn))).find(
        (e) => e.action === EXECUTION_ARCHIVED,
      );
      const key = archived?.details?.key;
      if (typeof key === 'string') {
        const bytes = await deps.store.read(key);
        if (bytes) return executionRecord(ArchivedExecution.parse(JSON.parse(bytes.toString('utf8'))), 'archive');
      }
      const live = await deps.stepFunctions.execution(executionArn);
      return live && executionRecord(live, 'live');
    },
  };
}
