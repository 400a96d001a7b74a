import * as z from 'zod';

/**
 * One step of an execution as an auditor reads it beside the entity's trail: a state entered or
 * left, a task scheduled (again, after a failure: retried), or a failure with its error name.
 */
const ExecutionStep = z.object({
  name: z.string(),
  type: z.enum(['entered', 'exited', 'failed', 'retried', 'task']),
  at: z.string(),
  error: z.string().optional(),
});
export type ExecutionStep = z.infer<typeof ExecutionStep>;

/**
 * A Step Functions execution as the console shows it: from the archive once it closed and was
 * taken there, or live from Step Functions until then (which keeps it only 90 days after it closes).
 */
export const ExecutionRecord = z.object({
  executionArn: z.string(),
  /** The state machine's name (the last part of its ARN). */
  stateMachine: z.string(),
  status: z.string(),
  startDate: z.string(),
  stopDate: z.string().optional(),
  steps: z.array(ExecutionStep),
  source: z.enum(['archive', 'live']),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecord>;

/**
 * One event of GetExecutionHistory, in AWS's shape (`type`, `id`, `previousEventId`, `timestamp`
 * and one `<type>EventDetails` object); only what the steps need is checked, the rest is kept.
 */
export const HistoryEvent = z.looseObject({
  id: z.number(),
  previousEventId: z.number().optional(),
  timestamp: z.union([z.string(), z.number()]),
  type: z.string(),
});
export type HistoryEvent = z.infer<typeof HistoryEvent>;

/**
 * The execution as it closed, in the shape of the "Step Functions Execution Status Change" event's
 * detail (and DescribeExecution): dates in epoch milliseconds, input and output as JSON text.
 */
const ExecutionSummary = z.looseObject({
  executionArn: z.string(),
  stateMachineArn: z.string(),
  name: z.string(),
  status: z.string(),
  startDate: z.number(),
  stopDate: z.number().nullish(),
  input: z.string().nullish(),
  output: z.string().nullish(),
  error: z.string().nullish(),
  cause: z.string().nullish(),
});
export type ExecutionSummary = z.infer<typeof ExecutionSummary>;

/**
 * What the archive keeps of one execution (`executions/<stopDay>/<machine>/<name>.json`): the summary
 * and every history event as Step Functions gave them. Inputs and outputs may carry NIKs and names;
 * they stay whole (an auditor may need to see what a step was given), so the file is only readable
 * by the audit reader, in a bucket encrypted at rest.
 */
export const ArchivedExecution = z.object({
  summary: ExecutionSummary,
  events: z.array(HistoryEvent),
});
export type ArchivedExecution = z.infer<typeof ArchivedExecution>;

export const stateMachineNameOf = (arn: string) => arn.split(':').pop() ?? arn;

/** A history timestamp (ISO text from the SDK's Date, epoch seconds on the wire) as ISO text. */
const isoOf = (timestamp: string | number) =>
  typeof timestamp === 'number' ? new Date(timestamp * 1000).toISOString() : new Date(timestamp).toISOString();

const detailsOf = (event: HistoryEvent): Record<string, unknown> => {
  for (const [field, value] of Object.entries(event))
    if (field.endsWith('EventDetails') && value && typeof value === 'object') return value as Record<string, unknown>;
  return {};
};

/**
 * The steps of an execution from its history. A task scheduled a second time within one state (AWS
 * schedules a retry as a new TaskScheduled; the local engine says so with `retryAttempt`) is `retried`.
 */
function stepsOf(events: HistoryEvent[], stateMachine: string): ExecutionStep[] {
  const steps: ExecutionStep[] = [];
  let state = stateMachine;
  let scheduled = 0;
  for (const event of events) {
    const details = detailsOf(event);
    const at = isoOf(event.timestamp);
    const named = typeof details.name === 'string' ? details.name : state;
    if (event.type.endsWith('StateEntered')) {
      state = named;
      scheduled = 0;
      steps.push({ name: state, type: 'entered', at });
    } else if (event.type.endsWith('StateExited')) {
      steps.push({ name: named, type: 'exited', at });
    } else if (event.type.endsWith('Scheduled')) {
      scheduled += 1;
      const retried = scheduled > 1 || (typeof details.retryAttempt === 'number' && details.retryAttempt > 0);
      steps.push({ name: state, type: retried ? 'retried' : 'task', at });
    } else if (/(Failed|TimedOut|Aborted)$/.test(event.type)) {
      const name = event.type.startsWith('Execution') ? stateMachine : state;
      const error = typeof details.error === 'string' ? details.error : event.type;
      steps.push({ name, type: 'failed', at, error });
    }
  }
  return steps;
}

/** The record of an execution from its summary and history. */
export function executionRecord(execution: ArchivedExecution, source: ExecutionRecord['source']): ExecutionRecord {
  const { summary, events } = execution;
  const stateMachine = stateMachineNameOf(summary.stateMachineArn);
  return {
    executionArn: summary.executionArn,
    stateMachine,
    status: summary.status,
    startDate: new Date(summary.startDate).toISOString(),
    ...(summary.stopDate ? { stopDate: new Date(summary.stopDate).toISOString() } : {}),
    steps: stepsOf(events, stateMachine),
    source,
  };
}
