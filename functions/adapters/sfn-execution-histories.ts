import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  paginateGetExecutionHistory,
  type HistoryEvent as SdkHistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { HistoryEvent, type ArchivedExecution } from '../core/audit/execution-record';
import type { StepFunctionsHistory } from '../ports/execution-archive';

/** A history event as JSON keeps it: AWS's fields, the timestamp as ISO text. */
const historyEvent = (event: SdkHistoryEvent): HistoryEvent =>
  HistoryEvent.parse(JSON.parse(JSON.stringify(event)) as unknown);

const millis = (at?: Date) => (at ? at.getTime() : undefined);

/**
 * Step Functions' record of an execution: DescribeExecution as the summary (dates in epoch ms, as the
 * status-change event carries them) and GetExecutionHistory, every page, oldest first.
 */
export class SfnExecutionHistories implements StepFunctionsHistory {
  constructor(private readonly sfn: SFNClient) {}

  async execution(executionArn: string): Promise<ArchivedExecution | undefined> {
    try {
      const d = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const events: HistoryEvent[] = [];
      for await (const page of paginateGetExecutionHistory(
        { client: this.sfn },
        { executionArn, includeExecutionData: true, maxResults: 1000 },
      ))
        events.push(...(page.events ?? []).map(historyEvent));
      const { $metadata: _metadata, ...described } = d;
      return {
        summary: {
          ...(JSON.parse(JSON.stringify(described)) as Record<string, unknown>),
          executionArn: d.executionArn ?? executionArn,
          stateMachineArn: d.stateMachineArn ?? '',
          name: d.name ?? executionArn.split(':').pop()!,
          status: d.status ?? 'UNKNOWN',
          startDate: millis(d.startDate) ?? 0,
          stopDate: millis(d.stopDate) ?? null,
        },
        events,
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist || (error as Error)?.name === 'ExecutionDoesNotExist')
        return undefined;
      throw error;
    }
  }
}
