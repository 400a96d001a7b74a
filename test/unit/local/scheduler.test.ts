import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { App, Stack, TimeZone } from 'aws-cdk-lib';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaRuntime } from '../../../infra/local/lambda-runtime';
import { LocalResources } from '../../../infra/local/resources';
import { LocalScheduler, withContextAttributes } from '../../../infra/local/scheduler';
import { stateMachineKey } from '../../../infra/local/stack';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions-local';
import type { CfnTemplate } from '../../../infra/local/template';

/** A monthly workflow as the next one will declare it: a state machine, and a schedule in Asia/Jakarta starting it. */
function monthlyTemplate(): CfnTemplate {
  const app = new App();
  const stack = new Stack(app, 'Monthly', { env: { account: '000000000000', region: 'ap-southeast-3' } });
  const stateMachine = new StateMachine(stack, 'StateMachine', {
    stateMachineName: 'jaring-dev-monthly-contributions',
    definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'Done')),
  });
  new Schedule(stack, 'MonthlySchedule', {
    scheduleName: 'jaring-dev-monthly-contributions',
    schedule: ScheduleExpression.cron({ minute: '0', hour: '1', day: '1', timeZone: TimeZone.ASIA_JAKARTA }),
    target: new StepFunctionsStartExecution(stateMachine, {
      input: ScheduleTargetInput.fromObject({
        month: ContextAttribute.scheduledTime,
        schedule: ContextAttribute.scheduleArn,
        run: ContextAttribute.executionId,
      }),
    }),
  });
  return app.synth().getStackByName('Monthly').template as CfnTemplate;
}

describe('LocalScheduler', () => {
  let sfn: LocalStepFunctions;
  let client: SFNClient;
  let scheduler: LocalScheduler;
  let endpoint: string;
  let template: CfnTemplate;
  const lines: string[] = [];

  beforeAll(async () => {
    template = monthlyTemplate();
    const resources = new LocalResources([{ stackName: 'Monthly', template }], 'ap-southeast-3');
    const lambdas = new LambdaRuntime(resources, () => undefined);
    sfn = new LocalStepFunctions(resources, lambdas, mkdtempSync(join(tmpdir(), 'jaring-scheduler-')), () => undefined);
    client = new SFNClient({
      endpoint: await sfn.listen(0),
      region: 'ap-southeast-3',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
    scheduler = new LocalScheduler(resources, client, lambdas, (line) => lines.push(line));
    endpoint = await scheduler.listen(0);
    scheduler.start(new Date('2026-11-25T00:00:00Z'));
  });
  afterAll(async () => {
    await scheduler.stop();
    await sfn.stop();
  });

  const machineArn = 'arn:aws:states:ap-southeast-3:000000000000:stateMachine:jaring-dev-monthly-contributions';
  const scheduleArn = 'arn:aws:scheduler:ap-southeast-3:000000000000:schedule/default/jaring-dev-monthly-contributions';

  it('reads the schedule, its time zone and its target from the synthesized template', () => {
    expect(scheduler.schedules).toHaveLength(1);
    const [schedule] = scheduler.schedules;
    expect(schedule).toMatchObject({
      name: 'jaring-dev-monthly-contributions',
      arn: scheduleArn,
      state: 'ENABLED',
      target: { arn: machineArn },
    });
    expect(schedule!.times).toMatchObject({ expression: 'cron(0 1 1 * ? *)', timezone: 'Asia/Jakarta' });
    expect(scheduler.nextFireTime(schedule!)?.toISOString()).toBe('2026-11-30T18:00:00.000Z');
  });

  it('fires on demand as if at the chosen time, the context attributes filled in', async () => {
    const res = await fetch(`${endpoint}/schedules/jaring-dev-monthly-contributions/fire`, {
      method: 'POST',
      body: JSON.stringify({ time: '2026-12-01T01:00:00+07:00' }),
    });
    expect(res.status).toBe(202);
    const fired = (await res.json()) as { executionArn: string; scheduledTime: string; executionId: string };
    expect(fired.scheduledTime).toBe('2026-11-30T18:00:00Z');
    expect(fired.executionArn).toMatch(
      /^arn:aws:states:ap-southeast-3:000000000000:execution:jaring-dev-monthly-contributions:/,
    );
    await sfn.settled(fired.executionArn);
    const execution = await client.send(new DescribeExecutionCommand({ executionArn: fired.executionArn }));
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.input!)).toEqual({
      month: '2026-11-30T18:00:00Z',
      schedule: scheduleArn,
      run: fired.executionId,
    });
    expect(fired.executionId).toMatch(/^[0-9a-f]{16}$/);
    expect(lines).toContain(
      `schedule jaring-dev-monthly-contributions fired for 2026-11-30T18:00:00Z: started ${fired.executionArn}`,
    );
  });

  it('reads a time without an offset in the schedule time zone', async () => {
    const res = await fetch(`${endpoint}/schedules/jaring-dev-monthly-contributions/fire`, {
      method: 'POST',
      body: JSON.stringify({ time: '2027-01-01T01:00:00' }),
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { scheduledTime: string }).scheduledTime).toBe('2026-12-31T18:00:00Z');
  });

  it('answers 404 for an unknown schedule and 400 for a bad time or body, saying why', async () => {
    const fire = (name: string, body: string) => fetch(`${endpoint}/schedules/${name}/fire`, { method: 'POST', body });
    const unknown = await fire('jaring-dev-claims', JSON.stringify({ time: '2026-12-01T00:00:00Z' }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/No schedule named jaring-dev-claims/);
    const badTime = await fire('jaring-dev-monthly-contributions', JSON.stringify({ time: 'Desember 2026' }));
    expect(badTime.status).toBe(400);
    expect(((await badTime.json()) as { message: string }).message).toMatch(/ISO 8601.*Asia\/Jakarta.*Desember 2026/);
    const notJson = await fire('jaring-dev-monthly-contributions', '{time:');
    expect(notJson.status).toBe(400);
    const unknownField = await fire('jaring-dev-monthly-contributions', JSON.stringify({ at: '2026-12-01T00:00:00Z' }));
    expect(unknownField.status).toBe(400);
  });

  it('lists the schedules with their next fire time', async () => {
    const res = await fetch(`${endpoint}/schedules`);
    expect(res.status).toBe(200);
    const { schedules } = (await res.json()) as { schedules: Record<string, unknown>[] };
    // The next 1st of a month at 01:00 in Jakarta (UTC+7, no daylight saving) from the real now: the list
    // answers from the wall clock, not from the time the test started the scheduler with.
    const jakartaHour = 7 * 3_600_000;
    const wall = new Date(Date.now() + jakartaHour);
    const firstOf = (month: number) => Date.UTC(wall.getUTCFullYear(), month, 1, 1) - jakartaHour;
    const thisMonth = firstOf(wall.getUTCMonth());
    const nextFireTime = new Date(Date.now() < thisMonth ? thisMonth : firstOf(wall.getUTCMonth() + 1)).toISOString();
    expect(schedules).toEqual([
      {
        name: 'jaring-dev-monthly-contributions',
        group: 'default',
        arn: scheduleArn,
        state: 'ENABLED',
        expression: 'cron(0 1 1 * ? *)',
        timezone: 'Asia/Jakarta',
        target: machineArn,
        nextFireTime,
      },
    ]);
  });

  it('fires by itself when its time comes', async () => {
    // A one-time schedule a second or two ahead, written as a template fragment would be.
    const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
    const local = at.toISOString().slice(0, 19);
    const withSoon = structuredClone(template);
    withSoon.Resources.SoonSchedule = {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        Name: 'soon',
        ScheduleExpression: `at(${local})`,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: machineArn,
          RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
          Input: '{"at":"<aws.scheduler.scheduled-time>"}',
        },
      },
    };
    const soon = new LocalScheduler(
      new LocalResources([{ stackName: 'Monthly', template: withSoon }], 'ap-southeast-3'),
      client,
      undefined,
      () => undefined,
    );
    soon.start();
    try {
      const deadline = Date.now() + 10_000;
      let started: string | undefined;
      while (!started && Date.now() < deadline) {
        const { executions = [] } = await client.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
        for (const e of executions) {
          const { input } = await client.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
          if (input === JSON.stringify({ at: `${local}Z` })) started = e.executionArn;
        }
        if (!started) await new Promise((r) => setTimeout(r, 100));
      }
      expect(started).toBeDefined();
      expect(soon.nextFireTime(soon.find('soon')!)).toBeUndefined();
    } finally {
      await soon.stop();
    }
  });
});

describe('withContextAttributes', () => {
  it('replaces every keyword Scheduler documents, wherever it stands, and leaves no input as none', () => {
    const context = {
      scheduleArn: 'arn:s',
      scheduledTime: '2026-11-30T18:00:00Z',
      executionId: 'abc',
      attemptNumber: 1,
    };
    expect(
      withContextAttributes(
        '{"a":"<aws.scheduler.scheduled-time>","b":"<aws.scheduler.scheduled-time>/<aws.scheduler.attempt-number>"}',
        context,
      ),
    ).toBe('{"a":"2026-11-30T18:00:00Z","b":"2026-11-30T18:00:00Z/1"}');
    expect(withContextAttributes(undefined, context)).toBeUndefined();
  });
});

describe('stateMachineKey', () => {
  it("is the state machine's name less the app and stage, in camelCase", () => {
    expect(stateMachineKey('jaring-dev-enrollment', 'EnrollmentStateMachine1A2B3C4D', 'dev')).toBe('enrollment');
    expect(stateMachineKey('jaring-prod-monthly-contributions', 'X', 'prod')).toBe('monthlyContributions');
  });

  it('falls back to the logical id less its hash when the template gives no name', () => {
    expect(stateMachineKey(undefined, 'ClaimsStateMachine1A2B3C4D', 'dev')).toBe('claimsStateMachine');
  });
});
