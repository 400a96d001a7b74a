import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeTemplates } from '../../infra/local/template';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * The scheduler and events endpoints of a running stack, as stack.json announces them. Firing a real
 * schedule and its workflow is the business of that workflow's own tests; the scheduler's parsing and
 * firing are in test/unit/local/scheduler.test.ts.
 */
describe('local stack: scheduler and events endpoints', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  }, 180_000);
  afterAll(() => stack?.stop());

  it('announces both endpoints and every state machine by its short name in stack.json', () => {
    const written = JSON.parse(readFileSync(join(stack.home, 'stack.json'), 'utf8'));
    expect(written.scheduler.endpoint).toBe(stack.info.scheduler.endpoint);
    expect(written.events.endpoint).toBe(stack.info.events.endpoint);
    expect(written.stepfunctions.stateMachines.enrollment).toMatch(/^arn:aws:states:[^:]+:\d{12}:stateMachine:/);
  });

  it('lists exactly the schedules the synthesized templates declare, each with its next fire time', async () => {
    const templates = synthesizeTemplates();
    const declared = [templates.stateful, templates.stateless].flatMap((t) =>
      Object.values(t.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule'),
    );
    const res = await fetch(`${stack.info.scheduler.endpoint}/schedules`);
    expect(res.status).toBe(200);
    const { schedules } = (await res.json()) as {
      schedules: { name: string; state: string; nextFireTime: string | null }[];
    };
    expect(schedules).toHaveLength(declared.length);
    for (const s of schedules)
      if (s.state === 'ENABLED') expect(Date.parse(s.nextFireTime!)).toBeGreaterThan(Date.now());
  });

  it('answers 404 for a schedule nobody declared', async () => {
    const res = await fetch(`${stack.info.scheduler.endpoint}/schedules/no-such-schedule/fire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ time: '2026-12-01T00:00:00+07:00' }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('no-such-schedule');
  });

  it('accepts PutEvents on the default bus and refuses a bus nobody declared, entry by entry', async () => {
    const res = await fetch(stack.info.events.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({
        Entries: [
          { Source: 'jaring.test', DetailType: 'Nothing Listens', Detail: '{}' },
          { EventBusName: 'no-such-bus', Source: 'jaring.test', DetailType: 'Nothing Listens', Detail: '{}' },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      FailedEntryCount: number;
      Entries: { EventId?: string; ErrorCode?: string }[];
    };
    expect(body.FailedEntryCount).toBe(1);
    expect(body.Entries[0]!.EventId).toBeTruthy();
    expect(body.Entries[1]!.ErrorCode).toBe('NotFoundException');
  });
});
