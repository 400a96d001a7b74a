import type { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEventRouter } from '../../../infra/local/event-router';
import { LocalEventBridge } from '../../../infra/local/eventbridge-local';
import { LocalResources } from '../../../infra/local/resources';
import type { CfnTemplate } from '../../../infra/local/template';

/** A workflow that puts its own events on a bus of its own, and a rule there that starts another workflow. */
const template: CfnTemplate = {
  Resources: {
    ClaimsBus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'jaring-dev-claims' } },
    Payouts: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'jaring-dev-payouts' } },
    ClaimApprovedRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: 'ClaimsBus' },
        EventPattern: {
          source: ['jaring.claims'],
          'detail-type': ['Claim Approved'],
          detail: { amount: [{ exists: true }] },
        },
        Targets: [{ Arn: { Ref: 'Payouts' }, Id: 'Target0' }],
      },
    },
    ProposalUploadedRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { bucket: { name: ['uploads'] }, object: { key: [{ prefix: 'claims/' }] } },
        },
        Targets: [{ Arn: { Ref: 'Payouts' }, Id: 'Target0' }],
      },
    },
    DefaultBusRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['jaring.claims'] },
        Targets: [{ Arn: { Ref: 'Payouts' }, Id: 'Target0' }],
      },
    },
  },
};

describe('LocalEventRouter.uploadTriggers', () => {
  it("names each bucket and key prefix whose uploads start a workflow, from the rules' S3 patterns only", () => {
    const resources = new LocalResources([{ stackName: 'claims', template }], 'ap-southeast-3');
    const router = new LocalEventRouter(resources, {} as SFNClient, () => undefined);
    expect(router.uploadTriggers()).toEqual([
      {
        bucket: 'uploads',
        prefix: 'claims/',
        stateMachineArns: ['arn:aws:states:ap-southeast-3:000000000000:stateMachine:jaring-dev-payouts'],
      },
    ]);
  });
});

describe('LocalEventBridge PutEvents', () => {
  const started: { stateMachineArn?: string; input?: string }[] = [];
  // Records what the router starts, as the Step Functions endpoint would receive it.
  const sfn = {
    send: async (command: StartExecutionCommand) => (started.push(command.input), { executionArn: 'arn:x' }),
  } as unknown as SFNClient;
  let endpoint: string;
  let events: LocalEventBridge;

  beforeAll(async () => {
    const resources = new LocalResources([{ stackName: 'claims', template }], 'ap-southeast-3');
    events = new LocalEventBridge(new LocalEventRouter(resources, sfn, () => undefined), () => undefined);
    endpoint = await events.listen(0);
  });
  afterAll(() => events.stop());

  const putEvents = async (entries: unknown[]) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({ Entries: entries }),
    });
    return {
      status: res.status,
      body: (await res.json()) as { FailedEntryCount: number; Entries: Record<string, string>[] },
    };
  };
  const settle = () => new Promise((r) => setTimeout(r, 50));

  it("routes an event on a bus to the rules on that bus only, with the event as the target's input", async () => {
    started.length = 0;
    const { status, body } = await putEvents([
      {
        EventBusName: 'arn:aws:events:ap-southeast-3:000000000000:event-bus/jaring-dev-claims',
        Source: 'jaring.claims',
        DetailType: 'Claim Approved',
        Detail: JSON.stringify({ claimId: 'c-1', amount: 500000 }),
      },
    ]);
    expect(status).toBe(200);
    expect(body.FailedEntryCount).toBe(0);
    expect(body.Entries[0]!.EventId).toBeTruthy();
    await settle();
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      stateMachineArn: 'arn:aws:states:ap-southeast-3:000000000000:stateMachine:jaring-dev-payouts',
    });
    const event = JSON.parse(started[0]!.input!);
    expect(event).toMatchObject({
      source: 'jaring.claims',
      'detail-type': 'Claim Approved',
      detail: { claimId: 'c-1' },
      account: '000000000000',
    });
  });

  it('puts an event with no bus on the default bus, where its own rules match it', async () => {
    started.length = 0;
    await putEvents([{ Source: 'jaring.claims', DetailType: 'Claim Approved', Detail: '{"amount":1}' }]);
    await settle();
    expect(started).toHaveLength(1);
  });

  it('reports entries it cannot accept in their place, as AWS does, and delivers the rest', async () => {
    started.length = 0;
    const { status, body } = await putEvents([
      { EventBusName: 'jaring-dev-billing', Source: 'jaring.claims', DetailType: 'Claim Approved', Detail: '{}' },
      { EventBusName: 'jaring-dev-claims', Source: 'jaring.claims', DetailType: 'Claim Approved', Detail: 'not json' },
      {
        EventBusName: 'jaring-dev-claims',
        Source: 'jaring.claims',
        DetailType: 'Claim Approved',
        Detail: '{"amount":2}',
      },
    ]);
    expect(status).toBe(200);
    expect(body.FailedEntryCount).toBe(2);
    expect(body.Entries.map((e) => e.ErrorCode)).toEqual(['NotFoundException', 'MalformedDetail', undefined]);
    await settle();
    expect(started).toHaveLength(1);
  });
});
