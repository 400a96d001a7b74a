import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { RECORDING_CHUNK, RecordingPausedError } from '../../../functions/core/proposals/use-cases/record-participants';
import { enrollmentStateMachine, type EnrollmentFunctions } from '../../../workflows/enrollment/state-machine';

/** The enrollment workflow's states as the construct writes them (no app, no bundling: just the definition). */
function states() {
  const stack = new Stack(new App(), 'T', { env: { account: '111111111111', region: 'ap-southeast-3' } });
  const fn = (name: string) =>
    LambdaFunction.fromFunctionArn(stack, name, `arn:aws:lambda:ap-southeast-3:111111111111:function:${name}`);
  const names = [
    'registerUpload',
    'validateProposal',
    'requestApproval',
    'resolveApprovalTimeout',
    'submitToBpjs',
    'recordParticipants',
    'notify',
    'markFailed',
  ];
  enrollmentStateMachine(new Construct(stack, 'Enrollment'), {
    stateMachineName: 'enrollment',
    functions: Object.fromEntries(names.map((n) => [n, fn(n)])) as EnrollmentFunctions,
  });
  const [machine] = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
  // Tokens (the partition, ARNs) become a placeholder: only the states' shape matters here.
  const text = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const join = (v as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    return join ? join[1].map(text).join('') : 'TOKEN';
  };
  return JSON.parse(text(machine!.Properties.DefinitionString)).States as Record<
    string,
    { Retry?: { ErrorEquals: string[]; MaxAttempts?: number; IntervalSeconds?: number }[] }
  >;
}

describe('the workflow around a recording that pauses', () => {
  it('comes straight back to a paused recording, before the catch-all, often enough for the largest file', () => {
    const retriers = states().RecordParticipants!.Retry!;
    // The handler throws the use case's error; Step Functions matches its name.
    const paused = retriers.findIndex((r) => r.ErrorEquals.includes(new RecordingPausedError('').name));
    expect(paused).toBeGreaterThanOrEqual(0);
    // Retriers are tried in order: the catch-all first would give a paused run its two tries only.
    expect(paused).toBeLessThan(retriers.findIndex((r) => r.ErrorEquals.includes('States.TaskFailed')));
    // Each run records at least a chunk: enough tries for a 100,000-row proposal even at one chunk a run.
    expect(retriers[paused]!.MaxAttempts! * RECORDING_CHUNK).toBeGreaterThanOrEqual(100_000);
    expect(retriers[paused]!.IntervalSeconds).toBeLessThanOrEqual(5);
  });
});
