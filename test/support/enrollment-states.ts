import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { enrollmentStateMachine, type EnrollmentFunctions } from '../../workflows/enrollment/state-machine';

/** A state's retriers, as Amazon States Language writes them. */
export type Retrier = { ErrorEquals: string[]; MaxAttempts?: number; IntervalSeconds?: number };

/** The enrollment workflow's states as the construct writes them (no app, no bundling: just the definition). */
export function enrollmentStates() {
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
  return JSON.parse(text(machine!.Properties.DefinitionString)).States as Record<string, { Retry?: Retrier[] }>;
}
