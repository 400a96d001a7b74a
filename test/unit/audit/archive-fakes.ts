import type { AuditEvent } from '../../../functions/core/audit/audit-event';
import type { ArchivedExecution } from '../../../functions/core/audit/execution-record';
import type { AppendOptions } from '../../../functions/ports/audit-log';
import type { ArchiveStore, StepFunctionsHistory } from '../../../functions/ports/execution-archive';

/** The archive bucket in memory; `create` never overwrites, as the S3 adapter never does. */
export class MemoryArchive implements ArchiveStore {
  readonly objects = new Map<string, Buffer>();
  writes: string[] = [];

  async list(prefix: string) {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async read(key: string) {
    return this.objects.get(key);
  }

  /** When each object was written: the clock a test sets (S3's time, to the second). */
  readonly written = new Map<string, Date>();
  now = new Date('2026-11-30T08:05:00Z');

  async writtenAt(key: string) {
    return this.written.get(key);
  }

  async create(key: string, body: Buffer) {
    if (this.objects.has(key)) return 'exists' as const;
    this.objects.set(key, Buffer.from(body));
    this.written.set(key, this.now);
    this.writes.push(key);
    return 'created' as const;
  }

  /** A change made behind the archive's back (what Object Lock prevents in AWS). */
  tamper(key: string, change: (text: string) => string) {
    this.objects.set(key, Buffer.from(change(this.objects.get(key)!.toString('utf8'))));
  }
}

/** An event with its place in its entity's chain (the chain's own hashes do not matter here). */
type StoredEvent = AuditEvent & { position: number; prev: string; hash: string };

/** The trail in memory: events by day (UTC day of `at`), `once` keys written once. */
export class MemoryTrail {
  readonly events: StoredEvent[] = [];
  private readonly onceKeys = new Set<string>();

  async append(event: AuditEvent, options: AppendOptions = {}) {
    const key = `${event.entity}|${options.once}`;
    if (options.once && this.onceKeys.has(key)) return;
    if (options.once) this.onceKeys.add(key);
    const position = this.events.filter((e) => e.entity === event.entity).length + 1;
    this.events.push({ ...event, position, prev: '0'.repeat(64), hash: `h${this.events.length}` });
  }

  async byDay(day: string) {
    return this.events.filter((e) => e.at.startsWith(day));
  }

  async byEntity(entity: string) {
    return this.events.filter((e) => e.entity === entity);
  }
}

/** Step Functions with the executions a test gives it. */
export class FakeStepFunctions implements StepFunctionsHistory {
  readonly executions = new Map<string, ArchivedExecution>();
  async execution(arn: string) {
    return this.executions.get(arn);
  }
}

const machineArn = 'arn:aws:states:ap-southeast-3:123456789012:stateMachine:jaring-dev-enrollment';

export function closedExecution(name: string, stop: string, status = 'SUCCEEDED'): ArchivedExecution {
  const executionArn = `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const startDate = new Date(stop).getTime() - 60_000;
  const t = (s: number) => new Date(startDate + s * 1000).toISOString();
  return {
    summary: {
      executionArn,
      stateMachineArn: machineArn,
      name,
      status,
      startDate,
      stopDate: new Date(stop).getTime(),
      input: '{"detail":{"object":{"key":"proposals/x/62.03.01.2011/a.csv"}}}',
      output: '{}',
    },
    events: [
      { id: 1, previousEventId: 0, timestamp: t(0), type: 'ExecutionStarted', executionStartedEventDetails: {} },
      {
        id: 2,
        previousEventId: 1,
        timestamp: t(1),
        type: 'TaskStateEntered',
        stateEnteredEventDetails: { name: 'Validate' },
      },
      {
        id: 3,
        previousEventId: 2,
        timestamp: t(2),
        type: 'TaskScheduled',
        taskScheduledEventDetails: { resource: 'x' },
      },
      {
        id: 4,
        previousEventId: 3,
        timestamp: t(3),
        type: 'TaskFailed',
        taskFailedEventDetails: { error: 'Throttled' },
      },
      {
        id: 5,
        previousEventId: 4,
        timestamp: t(4),
        type: 'TaskScheduled',
        taskScheduledEventDetails: { resource: 'x' },
      },
      {
        id: 6,
        previousEventId: 5,
        timestamp: t(5),
        type: 'TaskStateExited',
        stateExitedEventDetails: { name: 'Validate' },
      },
      {
        id: 7,
        previousEventId: 6,
        timestamp: t(6),
        type: status === 'SUCCEEDED' ? 'ExecutionSucceeded' : 'ExecutionFailed',
        ...(status === 'SUCCEEDED'
          ? { executionSucceededEventDetails: {} }
          : { executionFailedEventDetails: { error: 'States.TaskFailed' } }),
      },
    ],
  };
}
