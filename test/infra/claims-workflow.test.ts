import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA } from '../../infra/constructs/jaring-function';
import { resourcesOfType, synthesizeApp, tokensToText } from './synthesized-app';

const app = synthesizeApp({ bundling: false });
afterAll(app.cleanUp);

const template = app.templates.stateless;
const machineNamed = (suffix: string) => {
  const found = resourcesOfType(template, 'AWS::StepFunctions::StateMachine').find(([, m]) =>
    String(m.Properties?.StateMachineName).endsWith(suffix),
  );
  if (!found) throw new Error(`No state machine named *${suffix}`);
  return found;
};
type State = {
  Type: string;
  Next?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  TimeoutSecondsPath?: string;
  SecondsPath?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
};
const definitionOf = (suffix: string) =>
  JSON.parse(tokensToText(machineNamed(suffix)[1].Properties!.DefinitionString)) as {
    TimeoutSeconds: number;
    States: Record<string, State>;
  };
const claims = definitionOf('-claims');
const state = (name: string) => {
  const found = claims.States[name];
  if (!found) throw new Error(`No state ${name}: ${Object.keys(claims.States).join(', ')}`);
  return found;
};

describe('the claims workflow', () => {
  it('waits on people with task tokens, the documents wait timing out into a reminder', () => {
    for (const name of ['AwaitDocuments', 'AwaitVerification', 'AwaitApproval'])
      expect(state(name).Resource, name).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(state('AwaitDocuments').TimeoutSecondsPath).toBe('$.opened.documentReminderSeconds');
    expect(state('AwaitDocuments').Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'RemindDocuments' }),
    ]);
    // Only the claim's id travels: no names, NIKs or accounts in the execution history.
    expect(Object.keys(state('AwaitApproval').Parameters!.Payload as object).sort()).toEqual(
      ['claimId.$', 'executionArn.$', 'taskToken.$'].sort(),
    );
  });

  it('retries BPJS outages, and goes back to waiting when one outlasts the retries, never failing the claim', () => {
    for (const name of ['SubmitToBpjs', 'CheckBpjs', 'RecordPayout'])
      expect(
        state(name).Retry!.some((r) => r.ErrorEquals.includes('BpjsUnavailableError')),
        name,
      ).toBe(true);
    expect(state('CheckBpjs').Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['BpjsUnavailableError'], Next: 'WaitForBpjs' }),
    ]);
    expect(state('WaitForBpjs')).toMatchObject({ Type: 'Wait', SecondsPath: '$.opened.bpjsPollSeconds' });
    // A move the claim's rules refuse is not retried.
    expect(state('SubmitToBpjs').Retry!.find((r) => r.ErrorEquals.includes('ClaimTransitionError'))).toMatchObject({
      MaxAttempts: 0,
    });
  });

  it('fits the local engine (timeouts under 24.8 days) and polls hourly, reminds after 3 days in AWS', () => {
    expect(claims.TimeoutSeconds).toBeLessThanOrEqual(Math.floor((2 ** 31 - 1) / 1000));
    const open = resourcesOfType(template, 'AWS::Lambda::Function').find(
      ([, f]) => f.Metadata?.[ENTRY_METADATA] === 'functions/handlers/claims-open.ts',
    )![1];
    expect(open.Properties!.Environment.Variables).toMatchObject({
      CLAIM_BPJS_POLL_SECONDS: '3600',
      CLAIM_DOCUMENT_REMINDER_SECONDS: String(3 * 86_400),
    });
  });

  it('hands each document uploaded under claims/ to the claim-documents state machine', () => {
    const [documentsId] = machineNamed('-claim-documents');
    const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, r]) =>
      JSON.stringify(r.Properties!.Targets).includes(documentsId),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties!.EventPattern).toMatchObject({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { object: { key: [{ prefix: 'claims/' }] } },
    });
  });

  it('raises alarms on failed, timed-out and aborted executions', () => {
    const [claimsId] = machineNamed('-claims');
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
      JSON.stringify(a.Properties!.Dimensions ?? []).includes(claimsId),
    );
    expect(alarms.map(([, a]) => a.Properties!.MetricName).sort()).toEqual(
      ['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut'].sort(),
    );
  });
});
