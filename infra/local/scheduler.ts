import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import type { LambdaRuntime } from './lambda-runtime';
import { readBody } from './read-body';
import type { LocalResources } from './resources';
import { instantIn, scheduleTimes, type ScheduleTimes } from './schedule-expression';

/** A schedule as the template declares it (AWS::Scheduler::Schedule), resolved to local names. */
type LocalSchedule = {
  name: string;
  group: string;
  arn: string;
  logicalId: string;
  state: 'ENABLED' | 'DISABLED';
  times: ScheduleTimes;
  target: { arn: string; input?: string };
};

/** What a fire started: the execution (Step Functions targets) and the values Scheduler put in the input. */
type ScheduleFired = { scheduleArn: string; scheduledTime: string; executionId: string; executionArn?: string };

/** `POST /schedules/<name>/fire`'s body: when to fire as if; without an offset, in the schedule's time zone. */
const FireRequest = z.object({ time: z.string().optional() }).strict();

/** Node timers hold at most 2^31-1 ms (24.8 days): a later fire is waited for in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/** The universal target that starts an execution (Input is the StartExecution request). */
const SFN_UNIVERSAL_TARGET = 'arn:aws:scheduler:::aws-sdk:sfn:startExecution';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Stands in for EventBridge Scheduler: fires every schedule the templates declare at its times and
 * starts its target the way Scheduler does, with the schedule's Input and its context attributes
 * (`<aws.scheduler.scheduled-time>` and the rest) filled in. An endpoint on loopback lists the
 * schedules and fires one on demand as if at a chosen time, so a monthly run can be tried for any month.
 *
 * Like AWS, it does not make up fires it missed: a time that passed while the stack was down is
 * skipped, and the next one after start-up is the first that fires. A flexible time window fires at
 * its start; a failed start is logged, not retried (AWS retries by the target's RetryPolicy).
 */
export class LocalScheduler {
  readonly schedules: LocalSchedule[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly upcoming = new Map<string, Date>();
  private server?: Server;
  private stopped = false;
  /** Until the stack is up (functions configured), a fire would start what cannot run yet. */
  private started = false;

  constructor(
    resources: LocalResources,
    private readonly sfn: SFNClient,
    private readonly lambdas: LambdaRuntime | undefined,
    private readonly log: (line: string) => void,
    /** When rate() schedules without a StartDate count from (AWS: when the schedule was created). */
    rateAnchor = new Date(),
  ) {
    for (const { stack, logicalId, resource } of resources.resourcesOfType('AWS::Scheduler::Schedule')) {
      const props = resources.resolve(stack, resource.Properties ?? {});
      const name = resources.ref(logicalId);
      const group = String(props.GroupName ?? 'default');
      const times = scheduleTimes(String(props.ScheduleExpression), {
        timezone: props.ScheduleExpressionTimezone,
        startDate: props.StartDate ? new Date(props.StartDate) : undefined,
        endDate: props.EndDate ? new Date(props.EndDate) : undefined,
        rateAnchor,
      });
      this.schedules.push({
        name,
        group,
        arn: resources.getAtt(logicalId, 'Arn'),
        logicalId,
        state: props.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        times,
        target: { arn: String(props.Target?.Arn), input: props.Target?.Input },
      });
    }
  }

  /** Arms a timer for each enabled schedule's next time. */
  start(now = new Date()) {
    this.started = true;
    for (const schedule of this.schedules) if (schedule.state === 'ENABLED') this.arm(schedule, now);
  }

  /** By name (or logical id, for a schedule the template leaves unnamed). */
  find(name: string): LocalSchedule | undefined {
    return this.schedules.find((s) => s.name === name) ?? this.schedules.find((s) => s.logicalId === name);
  }

  /** When a schedule fires next: undefined when disabled or done. */
  nextFireTime(schedule: LocalSchedule, after = new Date()): Date | undefined {
    return schedule.state === 'ENABLED'
      ? (this.upcoming.get(schedule.arn) ?? schedule.times.nextAfter(after))
      : undefined;
  }

  /** Starts the schedule's target as Scheduler would at `scheduledTime` (on demand, a disabled one too). */
  async fire(schedule: LocalSchedule, scheduledTime: Date): Promise<ScheduleFired> {
    const executionId = randomBytes(8).toString('hex');
    const context = {
      scheduleArn: schedule.arn,
      scheduledTime: scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      executionId,
    };
    const input = withContextAttributes(schedule.target.input, { ...context, attemptNumber: 1 });
    const { arn } = schedule.target;
    let executionArn: string | undefined;
    if (arn.startsWith('arn:aws:states:') && arn.includes(':stateMachine:')) {
      executionArn = await this.startExecution(arn, input ?? '{}');
    } else if (arn === SFN_UNIVERSAL_TARGET) {
      const request = JSON.parse(input ?? '{}') as { StateMachineArn: string; Input?: string; Name?: string };
      executionArn = await this.startExecution(request.StateMachineArn, request.Input ?? '{}', request.Name);
    } else if (arn.startsWith('arn:aws:lambda:') && this.lambdas) {
      // Scheduler invokes Lambda asynchronously: the fire does not wait for the function.
      this.lambdas
        .invoke(arn, JSON.parse(input ?? '{}'))
        .catch((e: Error) => this.log(`schedule ${schedule.name}: ${e.message}`));
    } else {
      throw new HttpError(501, `The local stack cannot start schedule ${schedule.name}'s target ${arn}`);
    }
    this.log(
      `schedule ${schedule.name} fired for ${context.scheduledTime}${executionArn ? `: started ${executionArn}` : ''}`,
    );
    return { ...context, ...(executionArn ? { executionArn } : {}) };
  }

  async listen(port: number): Promise<string> {
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((error: Error) => {
        const status = error instanceof HttpError ? error.status : 500;
        send(res, status, { message: error.message });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (req.method === 'GET' && path === '/schedules') {
      const now = new Date();
      return send(res, 200, {
        schedules: this.schedules.map((s) => ({
          name: s.name,
          group: s.group,
          arn: s.arn,
          state: s.state,
          expression: s.times.expression,
          timezone: s.times.timezone,
          target: s.target.arn,
          nextFireTime: this.nextFireTime(s, now)?.toISOString() ?? null,
        })),
      });
    }
    const fire = /^\/schedules\/([^/]+)\/fire$/.exec(path);
    if (!fire)
      throw new HttpError(404, `No such route: ${req.method} ${path} (GET /schedules, POST /schedules/<name>/fire)`);
    if (req.method !== 'POST') throw new HttpError(405, 'Fire a schedule with POST');
    const name = decodeURIComponent(fire[1]!);
    const schedule = this.find(name);
    if (!schedule) throw new HttpError(404, `No schedule named ${name}; GET /schedules lists them`);
    if (!this.started) throw new HttpError(503, 'The local stack is still starting; fire again once it is up');
    const raw = (await readBody(req)).toString('utf8').trim();
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      throw new HttpError(400, 'The body must be JSON, e.g. { "time": "2026-12-01T00:00:00+07:00" }');
    }
    const parsed = FireRequest.safeParse(body);
    if (!parsed.success)
      throw new HttpError(400, 'The body takes one field, "time", e.g. { "time": "2026-12-01T00:00:00+07:00" }');
    const { time } = parsed.data;
    const at = time === undefined ? new Date() : instantIn(time, schedule.times.timezone);
    if (!at) {
      throw new HttpError(
        400,
        `"time" must be an ISO 8601 date-time such as 2026-12-01T00:00:00+07:00 (without an offset it is read in ` +
          `${schedule.times.timezone}); got ${JSON.stringify(time)}`,
      );
    }
    return send(res, 202, await this.fire(schedule, at));
  }

  private async startExecution(stateMachineArn: string, input: string, name?: string) {
    const out = await this.sfn.send(new StartExecutionCommand({ stateMachineArn, input, name }));
    return out.executionArn!;
  }

  private arm(schedule: LocalSchedule, after: Date) {
    const next = schedule.times.nextAfter(after);
    this.upcoming.delete(schedule.arn);
    if (!next) return;
    this.upcoming.set(schedule.arn, next);
    const wait = () => {
      const left = next.getTime() - Date.now();
      if (left > 0) {
        const timer = setTimeout(wait, Math.min(left, LONGEST_TIMER_MS));
        timer.unref();
        this.timers.set(schedule.arn, timer);
        return;
      }
      this.fire(schedule, next)
        .catch((e: Error) => this.log(`schedule ${schedule.name}: ${e.message}`))
        .finally(() => !this.stopped && this.arm(schedule, next));
    };
    wait();
  }
}

/** Scheduler's context attributes in the Input, replaced as AWS documents them. */
export function withContextAttributes(
  input: string | undefined,
  context: { scheduleArn: string; scheduledTime: string; executionId: string; attemptNumber: number },
): string | undefined {
  return input
    ?.replaceAll('<aws.scheduler.schedule-arn>', context.scheduleArn)
    .replaceAll('<aws.scheduler.scheduled-time>', context.scheduledTime)
    .replaceAll('<aws.scheduler.execution-id>', context.executionId)
    .replaceAll('<aws.scheduler.attempt-number>', String(context.attemptNumber));
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
