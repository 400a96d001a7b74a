import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA } from '../../infra/constructs/jaring-function';
import { resourceIn, resourcesOfType, synthesizeApp, type CfnResource } from './synthesized-app';

const app = synthesizeApp({ bundling: false });
afterAll(app.cleanUp);

const template = app.templates.stateless;
const schedules = resourcesOfType(template, 'AWS::Scheduler::Schedule');
const scheduleNamed = (suffix: string) => {
  const found = schedules.find(([, s]) => String(s.Properties?.Name).endsWith(suffix));
  if (!found) throw new Error(`No schedule named *${suffix}`);
  return found[1];
};
/** The logical id behind a Ref or Fn::GetAtt. */
const refTo = (value: unknown): string | undefined =>
  (value as { Ref?: string })?.Ref ?? (value as { 'Fn::GetAtt'?: [string] })?.['Fn::GetAtt']?.[0];

const functionByEntry = (entry: string) => {
  const found = resourcesOfType(template, 'AWS::Lambda::Function').find(
    ([, f]) => f.Metadata?.[ENTRY_METADATA] === entry,
  );
  if (!found) throw new Error(`No function for ${entry}`);
  return found;
};
/** Every statement of the policies attached to a function's role. */
function statementsOf(functionId: string) {
  const role = refTo(resourceIn(template, functionId).Properties!.Role);
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties!.Roles as unknown[]).some((r) => refTo(r) === role))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
}
const actionsOf = (functionId: string) => statementsOf(functionId).flatMap((s) => [s.Action].flat());
/** The logical ids of stateful-stack resources a function's policy names (imports carry the id in their name). */
const resourcesNamed = (functionId: string, action: string) =>
  JSON.stringify(
    statementsOf(functionId)
      .filter((s) => [s.Action].flat().includes(action))
      .map((s) => s.Resource),
  );

const [stateMachineId, stateMachine] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine').find(([, m]) =>
  String(m.Properties?.StateMachineName).endsWith('-billing'),
)!;

describe('the billing workflow', () => {
  it('starts from two Asia/Jakarta schedules, the 1st of the month and daily, with no flexible window', () => {
    const monthly = scheduleNamed('billing-monthly');
    const daily = scheduleNamed('billing-daily');
    expect(monthly.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 1 1 * ? *)',
      ScheduleExpressionTimezone: 'Asia/Jakarta',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
    expect(daily.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Jakarta',
    });
    for (const [s, run] of [
      [monthly, 'MONTHLY'],
      [daily, 'DAILY'],
    ] as [CfnResource, string][]) {
      expect(refTo(s.Properties!.Target.Arn)).toBe(stateMachineId);
      // The time Scheduler was due to fire, not when it did: a late start bills the right month.
      expect(JSON.parse(s.Properties!.Target.Input)).toEqual({ run, scheduledTime: '<aws.scheduler.scheduled-time>' });
      expect(s.Properties!.Target.DeadLetterConfig.Arn).toBeDefined();
      expect(s.Properties!.Target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 8 });
    }
  });

  it("lets the schedules' role start this state machine and nothing else", () => {
    const role = refTo(scheduleNamed('billing-monthly').Properties!.Target.RoleArn)!;
    const statements = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties!.Roles as unknown[]).some((r) => refTo(r) === role))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const starts = statements.filter((s) => [s.Action].flat().includes('states:StartExecution'));
    expect(starts.map((s) => refTo(s.Resource))).toEqual([stateMachineId]);
    expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(['sqs:SendMessage', 'states:StartExecution']);
  });

  it('runs its five functions, traced and logged', () => {
    const definition = JSON.stringify(stateMachine.Properties!.DefinitionString);
    for (const entry of [
      'billing-issue',
      'billing-payment-codes',
      'billing-mail-issued',
      'billing-poll-payments',
      'billing-check-due-dates',
    ]) {
      const [id] = functionByEntry(`functions/handlers/${entry}.ts`);
      expect(definition).toContain(id);
    }
    // A step out of time answers `more` and runs again (bill-steps.ts): each loops on its own Choice.
    for (const [step, result] of [
      ['IssueBills', '$.issued'],
      ['PollPayments', '$.payments'],
      ['CheckDueDates', '$.dueDates'],
    ]) {
      expect(definition).toContain(
        JSON.stringify(
          `"${step} done?":{"Type":"Choice","Choices":[{"Variable":"${result}.more","BooleanEquals":true,"Next":"${step}"}]`,
        ).slice(1, -1),
      );
    }
    expect(stateMachine.Properties).toMatchObject({
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL' },
    });
  });

  it('grants each function only what its step needs', () => {
    const [issue] = functionByEntry('functions/handlers/billing-issue.ts');
    const [codes] = functionByEntry('functions/handlers/billing-payment-codes.ts');
    const [mail] = functionByEntry('functions/handlers/billing-mail-issued.ts');
    const [poll] = functionByEntry('functions/handlers/billing-poll-payments.ts');
    const [due] = functionByEntry('functions/handlers/billing-check-due-dates.ts');
    // Nothing deletes a bill, a coverage or an audit event.
    for (const id of [issue, codes, mail, poll, due]) {
      expect(actionsOf(id)).not.toContain('dynamodb:DeleteItem');
      expect(actionsOf(id)).not.toContain('dynamodb:BatchWriteItem');
      expect(actionsOf(id)).not.toContain('s3:DeleteObject*');
    }
    // Only the issuing step writes files, and only under bills/.
    expect(actionsOf(issue)).toContain('s3:PutObject');
    expect(resourcesNamed(issue, 's3:PutObject')).toContain('/bills/*');
    for (const id of [codes, mail, poll, due]) expect(actionsOf(id)).not.toContain('s3:PutObject');
    for (const id of [poll, due]) expect(resourcesNamed(id, 's3:GetObject*')).toContain('/bills/*');
    // Whoever reads bill files reads nothing else of the bucket (proposals, reports).
    for (const id of [issue, poll, due]) expect(resourcesNamed(id, 's3:GetObject*')).not.toMatch(/proposals|reports/);
    // Mail only from the steps that mail; the payment-code step neither mails nor touches coverages.
    for (const id of [mail, poll, due]) expect(actionsOf(id)).toEqual(expect.arrayContaining(['ses:SendEmail']));
    for (const id of [issue, codes]) expect(actionsOf(id).some((a) => a.startsWith('ses:'))).toBe(false);
    expect(resourcesNamed(codes, 'dynamodb:GetItem')).not.toMatch(/Coverage/);
    expect(resourcesNamed(mail, 'dynamodb:GetItem')).not.toMatch(/Coverage/);
    // Only the due-date check reads proposals (each village operator's address), and it changes none.
    expect(resourcesNamed(due, 'dynamodb:Query')).toMatch(/Proposals/);
    expect(resourcesNamed(due, 'dynamodb:PutItem')).not.toMatch(/Proposals/);
    expect(resourcesNamed(due, 'dynamodb:UpdateItem')).not.toMatch(/Proposals/);
    for (const id of [issue, codes, mail, poll]) expect(resourcesNamed(id, 'dynamodb:Query')).not.toMatch(/Proposals/);
    // The mail step reads bills and never changes one.
    expect(resourcesNamed(mail, 'dynamodb:PutItem')).not.toMatch(/Bills/);
    // BPJS's address only where BPJS is called.
    const env = (id: string) => resourceIn(template, id).Properties!.Environment.Variables as Record<string, unknown>;
    expect(env(codes).BPJS_URL).toBeDefined();
    expect(env(poll).BPJS_URL).toBeDefined();
    for (const id of [issue, mail, due]) expect(env(id).BPJS_URL).toBeUndefined();
    expect(env(due).BILL_REMINDER_DAYS).toBe('3');
  });

  it("has alarms on failed, timed-out and aborted runs, each function, and the schedules' dead letters", () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(
      ([, a]) => a.Properties as Record<string, any>,
    );
    const on = (metric: string, id: string) =>
      alarms.filter((a) => a.MetricName === metric && JSON.stringify(a.Dimensions ?? []).includes(`"${id}"`));
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])
      expect(on(metric, stateMachineId)).toHaveLength(1);
    for (const entry of [
      'billing-issue',
      'billing-payment-codes',
      'billing-mail-issued',
      'billing-poll-payments',
      'billing-check-due-dates',
    ]) {
      const [id] = functionByEntry(`functions/handlers/${entry}.ts`);
      expect(on('Errors', id)).toHaveLength(1);
      expect(on('Throttles', id)).toHaveLength(1);
    }
    const dlq = refTo(scheduleNamed('billing-daily').Properties!.Target.DeadLetterConfig.Arn)!;
    expect(on('ApproximateNumberOfMessagesVisible', dlq)).toHaveLength(1);
  });
});
