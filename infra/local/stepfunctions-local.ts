import { StateMachine as Engine } from 'aws-local-stepfunctions';

/** The engine's event log entries (its type is not exported). */
type EventLog = { type: string; timestamp: number; [field: string]: any };
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LambdaInvocationError, type LambdaRuntime } from './lambda-runtime';
import type { LocalResources } from './resources';

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
type HistoryEvent = {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
};
type Execution = {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: Status;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
};
type Waiter = {
  executionArn: string;
  answer: Promise<unknown>;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  state: 'waiting' | 'done';
};
type Definition = { arn: string; name: string; definition: Record<string, any> };

/** The event Step Functions puts on the default bus when an execution starts or closes (EventBridge's shape). */
export type ExecutionStatusChange = {
  version: '0';
  id: string;
  'detail-type': 'Step Functions Execution Status Change';
  source: 'aws.states';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
};

class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** An error raised inside a task, carrying the name and cause Step Functions would record. */
class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

const TOKEN_PREFIX = 'jaring-local-token-';

/**
 * Step Functions on loopback: the state machines from the synthesized template run in
 * aws-local-stepfunctions, behind an endpoint that speaks the Step Functions JSON protocol, so
 * @aws-sdk/client-sfn (and the AWS CLI) work against it unchanged. The engine has no task tokens
 * of its own; this adds them for `.waitForTaskToken` tasks.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, Definition>();
  private readonly executions = new Map<string, Execution>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();
  private server?: Server;
  private readonly file: string;
  private readonly account: string;
  private readonly region: string;
  /**
   * Where status changes go (the local event router), as Step Functions sends every standard
   * execution's to EventBridge: RUNNING when it starts, and its closing status.
   */
  onStatusChange?: (event: ExecutionStatusChange) => Promise<unknown>;

  constructor(
    resources: LocalResources,
    private readonly lambdas: LambdaRuntime,
    dataDir: string,
    private readonly log: (line: string) => void,
  ) {
    this.account = resources.account;
    this.region = resources.region;
    for (const { stack, logicalId, resource } of resources.resourcesOfType('AWS::StepFunctions::StateMachine')) {
      const props = resources.resolve(stack, resource.Properties ?? {});
      const arn = resources.stateMachineArn(logicalId);
      const definition =
        typeof props.DefinitionString === 'string' ? JSON.parse(props.DefinitionString) : props.Definition;
      assertTimeoutsFit(definition, arn);
      carryTimeoutPaths(definition);
      this.machines.set(arn, { arn, name: arn.split(':').pop()!, definition });
    }
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'executions.json');
    this.load();
  }

  stateMachineArns(): string[] {
    return [...this.machines.keys()];
  }

  async listen(port: number): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.replace(/^AWSStepFunctions\./, '');
        let body: Record<string, any> = {};
        try {
          body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf-8')) : {};
        } catch {
          body = {};
        }
        Promise.resolve()
          .then(() => this.call(operation, body))
          .then((result) => {
            res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
            res.end(JSON.stringify(result ?? {}));
          })
          .catch((error: Error) => {
            const type = error instanceof SfnError ? error.type : 'InternalFailure';
            res.writeHead(error instanceof SfnError ? 400 : 500, {
              'content-type': 'application/x-amz-json-1.0',
              'x-amzn-errortype': type,
            });
            res.end(JSON.stringify({ __type: type, message: error.message }));
          });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    for (const run of this.running.values()) run.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    this.save();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }

  /** The operations the code and the CLI use, with AWS's request and response shapes. */
  call(operation: string, body: Record<string, any>): unknown {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(body.stateMachineArn, body.input ?? '{}', body.name);
      case 'DescribeExecution':
        return this.describe(this.mustGetExecution(body.executionArn));
      case 'ListExecutions': {
        const list = [...this.executions.values()]
          .filter(
            (e) => e.stateMachineArn === body.stateMachineArn && (!body.statusFilter || e.status === body.statusFilter),
          )
          .sort((a, b) => b.startDate - a.startDate)
          .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({
            executionArn,
            stateMachineArn,
            name,
            status,
            startDate,
            stopDate,
          }));
        return { executions: list };
      }
      case 'GetExecutionHistory': {
        const e = this.mustGetExecution(body.executionArn);
        const events = body.reverseOrder ? [...e.history].reverse() : e.history;
        return { events };
      }
      case 'SendTaskSuccess':
        return this.completeTask(body.taskToken, (w) => w.resolve(JSON.parse(body.output ?? 'null')));
      case 'SendTaskFailure':
        return this.completeTask(body.taskToken, (w) =>
          w.reject(new TaskError(body.error ?? 'States.TaskFailed', body.cause ?? '')),
        );
      case 'SendTaskHeartbeat':
        return this.completeTask(body.taskToken, () => undefined, false);
      case 'StopExecution': {
        const e = this.mustGetExecution(body.executionArn);
        this.running.get(e.executionArn)?.abort();
        return { stopDate: Date.now() / 1000 };
      }
      case 'ListStateMachines':
        return {
          stateMachines: [...this.machines.values()].map((m) => ({
            stateMachineArn: m.arn,
            name: m.name,
            type: 'STANDARD',
            creationDate: 0,
          })),
        };
      case 'DescribeStateMachine': {
        const m = this.machines.get(body.stateMachineArn);
        if (!m)
          throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
        return {
          stateMachineArn: m.arn,
          name: m.name,
          status: 'ACTIVE',
          definition: JSON.stringify(m.definition),
          roleArn: 'arn:aws:iam::000000000000:role/local',
          type: 'STANDARD',
          creationDate: 0,
        };
      }
      default:
        throw new SfnError('UnknownOperationException', `The local stack does not serve ${operation}`);
    }
  }

  startExecution(stateMachineArn: string, input: string, name?: string) {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const executionName = name ?? randomUUID();
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // AWS: the same name and input while running is idempotent; anything else is refused.
      if (existing.status === 'RUNNING' && existing.input === input)
        return { executionArn, startDate: existing.startDate };
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name: executionName,
      status: 'RUNNING',
      startDate: Date.now() / 1000,
      input,
      history: [],
    };
    this.executions.set(executionArn, execution);
    this.run(machine, execution, parsed);
    this.save();
    this.publishStatus(execution);
    return { executionArn, startDate: execution.startDate };
  }

  /** Resolves when an execution stops; for tests and the re-drive at start-up. */
  async settled(executionArn: string): Promise<void> {
    await this.running.get(executionArn)?.done;
  }

  private run(machine: Definition, execution: Execution, input: unknown) {
    const engine = new Engine(machine.definition as never, {
      validationOptions: { checkPaths: false, checkArn: false },
    });
    const overrides: Record<string, (input: any) => Promise<any>> = {};
    for (const [stateName, state] of Object.entries(machine.definition.States as Record<string, any>)) {
      if (state.Type === 'Task')
        overrides[stateName] = (taskInput) => this.runTask(execution.executionArn, state.Resource, taskInput);
    }
    const mint = () => this.mintToken(execution.executionArn);
    const context = {
      Execution: {
        Id: execution.executionArn,
        Name: execution.name,
        Input: input,
        StartTime: new Date(execution.startDate * 1000).toISOString(),
        RoleArn: 'arn:aws:iam::000000000000:role/local',
      },
      StateMachine: { Id: machine.arn, Name: machine.name },
      get Task() {
        return {
          get Token() {
            return mint();
          },
        };
      },
    };
    const handle = engine.run(input as never, {
      overrides: { taskResourceLocalHandlers: overrides },
      context: context as never,
    });
    const record = this.recordHistory(execution, handle.eventLogs as AsyncGenerator<EventLog>);
    const done = handle.result
      .then((output) => {
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(output ?? null);
      })
      .catch((error: Error & { cause?: unknown }) => {
        const name = error?.name ?? 'Error';
        if (name === 'ExecutionAbortedError') {
          execution.status = 'ABORTED';
        } else {
          execution.status = name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
          const failed = error as unknown as { name: string; message: string; cause?: unknown };
          execution.error = failed.name;
          execution.cause = typeof failed.cause === 'string' ? failed.cause : failed.message;
        }
      })
      .then(() => record)
      .finally(() => {
        execution.stopDate = Date.now() / 1000;
        for (const [token, waiter] of this.waiters)
          if (waiter.executionArn === execution.executionArn) this.waiters.delete(token);
        this.running.delete(execution.executionArn);
        this.save();
        this.log(`execution ${execution.name} ${execution.status}${execution.error ? ` (${execution.error})` : ''}`);
        this.publishStatus(execution);
      });
    this.running.set(execution.executionArn, { abort: () => handle.abort(), done: done.then(() => undefined) });
  }

  private async runTask(executionArn: string, resource: string, stateInput: any): Promise<unknown> {
    // A copy: the engine evaluates the timeout path on the same object after this starts.
    const input =
      stateInput && typeof stateInput === 'object' && TIMEOUT_FIELD in stateInput
        ? omit(stateInput, TIMEOUT_FIELD)
        : stateInput;
    const invoke = async (functionName: string, payload: unknown) => {
      try {
        return await this.lambdas.invoke(functionName, payload);
      } catch (error) {
        if (error instanceof LambdaInvocationError) throw new TaskError(error.errorType, error.taskCause);
        throw error;
      }
    };
    if (resource.startsWith('arn:aws:lambda:')) return invoke(resource, input);
    if (resource === 'arn:aws:states:::lambda:invoke') {
      const payload = await invoke(input.FunctionName, input.Payload);
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    }
    if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
      const tokens = findTokens(input.Payload, (t) => this.waiters.get(t)?.executionArn === executionArn);
      if (tokens.length !== 1)
        throw new TaskError('States.Runtime', 'A waitForTaskToken task must pass exactly one $$.Task.Token');
      const waiter = this.waiters.get(tokens[0]!)!;
      await invoke(input.FunctionName, input.Payload);
      return waiter.answer;
    }
    throw new TaskError('States.Runtime', `The local stack cannot run task resource ${resource}`);
  }

  private mintToken(executionArn: string): string {
    const token = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
    // The answer may come before the task awaits it (a decision already on record): the promise keeps it.
    const answer = Promise.withResolvers<unknown>();
    answer.promise.catch(() => undefined);
    this.waiters.set(token, {
      executionArn,
      answer: answer.promise,
      resolve: answer.resolve,
      reject: answer.reject,
      state: 'waiting',
    });
    return token;
  }

  private completeTask(token: string | undefined, complete: (w: Waiter) => void, finish = true) {
    if (!token || !token.startsWith(TOKEN_PREFIX)) throw new SfnError('InvalidToken', 'Invalid Token');
    const waiter = this.waiters.get(token);
    if (!waiter || waiter.state === 'done') throw new SfnError('TaskDoesNotExist', 'Task Does Not Exist');
    complete(waiter);
    if (finish) {
      waiter.state = 'done';
      this.waiters.delete(token);
    }
    return {};
  }

  private async recordHistory(execution: Execution, events: AsyncGenerator<EventLog>) {
    let id = 0;
    const add = (type: string, details: Record<string, unknown>, timestamp: number) => {
      id += 1;
      execution.history.push({ id, previousEventId: id - 1, timestamp: timestamp / 1000, type, ...details });
    };
    const stateType = (t: string) => (t === 'Task' ? 'Task' : t);
    for await (const event of events) {
      const e = event;
      switch (e.type) {
        case 'ExecutionStarted':
          add(
            'ExecutionStarted',
            {
              executionStartedEventDetails: {
                input: JSON.stringify(e.input),
                roleArn: 'arn:aws:iam::000000000000:role/local',
              },
            },
            e.timestamp,
          );
          break;
        case 'ExecutionSucceeded':
          add(
            'ExecutionSucceeded',
            { executionSucceededEventDetails: { output: JSON.stringify(e.output) } },
            e.timestamp,
          );
          break;
        case 'ExecutionFailed':
          add(
            'ExecutionFailed',
            { executionFailedEventDetails: { error: e.Error, cause: String(e.Cause ?? '') } },
            e.timestamp,
          );
          break;
        case 'ExecutionTerminated':
          add('ExecutionAborted', { executionAbortedEventDetails: {} }, e.timestamp);
          break;
        case 'StateEntered':
          add(
            `${stateType(e.state.type)}StateEntered`,
            { stateEnteredEventDetails: { name: e.state.name, input: JSON.stringify(e.state.input) } },
            e.timestamp,
          );
          break;
        case 'StateExited':
          add(
            `${stateType(e.state.type)}StateExited`,
            { stateExitedEventDetails: { name: e.state.name, output: JSON.stringify(e.state.output ?? null) } },
            e.timestamp,
          );
          break;
        case 'StateFailed':
          if (e.Error === 'States.Timeout') {
            // A task that timed out no longer waits: its token answers TaskTimedOut from now on.
            for (const [token, w] of this.waiters)
              if (w.executionArn === execution.executionArn) this.waiters.delete(token);
          }
          add(
            'TaskFailed',
            {
              taskFailedEventDetails: {
                resourceType: 'lambda',
                resource: e.state.name,
                error: e.Error,
                cause: String(e.Cause ?? ''),
              },
            },
            e.timestamp,
          );
          break;
        case 'StateRetried':
          // AWS shows a retry as the task being scheduled again; the attempt number is kept for readers.
          add(
            'TaskScheduled',
            {
              taskScheduledEventDetails: {
                resourceType: 'lambda',
                resource: e.state.name,
                region: 'local',
                parameters: JSON.stringify(e.state.input),
                retryAttempt: e.retry.attempt,
              },
            },
            e.timestamp,
          );
          break;
        default:
          break;
      }
    }
  }

  /** An execution's status-change event as it is now, in AWS's shape (epoch ms dates, input and output JSON text). */
  statusChangeEvent(e: Execution): ExecutionStatusChange {
    const closed = e.status !== 'RUNNING';
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: this.account,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: [e.executionArn],
      detail: {
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: Math.round(e.startDate * 1000),
        stopDate: closed && e.stopDate ? Math.round(e.stopDate * 1000) : null,
        input: e.input,
        output: closed ? (e.output ?? null) : null,
        stateMachineVersionArn: null,
        stateMachineAliasArn: null,
        redriveCount: 0,
        redriveDate: null,
        redriveStatus: closed && e.status !== 'SUCCEEDED' ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
        redriveStatusReason:
          closed && e.status !== 'SUCCEEDED' ? null : `Execution is ${e.status} and cannot be redriven`,
        inputDetails: { included: true },
        outputDetails: closed && e.output !== undefined ? { included: true } : null,
        error: e.error ?? null,
        cause: e.cause ?? null,
      },
    };
  }

  private publishStatus(e: Execution) {
    this.onStatusChange?.(this.statusChangeEvent(e)).catch((error: Error) =>
      this.log(`status change of ${e.name}: ${error.message}`),
    );
  }

  private describe(e: Execution) {
    const { history: _history, ...rest } = e;
    return rest;
  }

  private mustGetExecution(arn: string): Execution {
    const e = this.executions.get(arn);
    if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  }

  private load() {
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf-8')) as Execution[];
      for (const e of saved) {
        // The engine keeps nothing across restarts: what was running stopped with the stack.
        if (e.status === 'RUNNING')
          Object.assign(e, {
            status: 'ABORTED',
            stopDate: Date.now() / 1000,
            cause: 'The local stack stopped while this execution ran.',
          });
        this.executions.set(e.executionArn, e);
      }
    } catch {
      /* first start */
    }
  }

  private save() {
    writeFileSync(this.file, JSON.stringify([...this.executions.values()]));
  }
}

function findTokens(value: unknown, known: (t: string) => boolean): string[] {
  if (typeof value === 'string') return value.startsWith(TOKEN_PREFIX) && known(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => findTokens(v, known));
  if (value && typeof value === 'object') return Object.values(value).flatMap((v) => findTokens(v, known));
  return [];
}

/** Node timers hold at most 2^31-1 ms (24.8 days); a longer timeout would fire at once in the engine. */
function assertTimeoutsFit(definition: Record<string, any>, arn: string) {
  const limit = Math.floor((2 ** 31 - 1) / 1000);
  const states = Object.entries((definition.States ?? {}) as Record<string, { TimeoutSeconds?: number }>);
  for (const [name, seconds] of [
    ['(state machine)', definition.TimeoutSeconds],
    ...states.map(([n, s]) => [n, s.TimeoutSeconds]),
  ] as [string, number | undefined][]) {
    if (seconds && seconds > limit)
      throw new Error(`${arn} ${name}: TimeoutSeconds ${seconds} exceeds what the local engine can time (${limit} s)`);
  }
}

const TIMEOUT_FIELD = '__localTimeoutSeconds';

/**
 * AWS reads TimeoutSecondsPath from the state's input; aws-local-stepfunctions reads it from the
 * input after Parameters. So the local copy of the definition (never the deployed one) carries
 * the value through Parameters under a field of its own, which runTask removes again before the
 * Lambda sees its payload.
 */
function carryTimeoutPaths(definition: Record<string, any>) {
  for (const state of Object.values((definition.States ?? {}) as Record<string, any>)) {
    if (state.Type !== 'Task' || !state.TimeoutSecondsPath || !state.Parameters) continue;
    state.Parameters[`${TIMEOUT_FIELD}.$`] = state.TimeoutSecondsPath;
    state.TimeoutSecondsPath = `$.${TIMEOUT_FIELD}`;
  }
}

function omit(value: Record<string, unknown>, field: string): Record<string, any> {
  const { [field]: _dropped, ...rest } = value;
  return rest;
}
