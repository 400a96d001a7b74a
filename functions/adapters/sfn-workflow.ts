import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { StaleTaskTokenError, type WorkflowCallbacks } from '../ports/workflow';

const STALE_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export class SfnWorkflow implements WorkflowCallbacks {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async succeed(taskToken: string, output: unknown) {
    await this.guard(() => this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));
  }

  async fail(taskToken: string, error: string, cause: string) {
    await this.guard(() => this.sfn.send(new SendTaskFailureCommand({ taskToken, error, cause })));
  }

  async start(name: string, input: unknown) {
    const out = await this.sfn.send(
      new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return { executionArn: out.executionArn ?? '' };
  }

  private async guard(call: () => Promise<unknown>) {
    try {
      await call();
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (STALE_TOKEN_ERRORS.has(name)) throw new StaleTaskTokenError(`${name}: ${(error as Error).message}`);
      throw error;
    }
  }
}
