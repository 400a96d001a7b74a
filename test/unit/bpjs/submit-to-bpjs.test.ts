import { describe, expect, it } from 'vitest';
import { RegistrationResult } from '../../../functions/core/bpjs/contract';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { SUBMISSION_RESERVE_MS, submitToBpjs } from '../../../functions/core/proposals/use-cases/submit-to-bpjs';
import { bpjsBatchKey, bpjsResultsKey } from '../../../functions/core/proposals/work-keys';
import { readJsonLines } from '../../../functions/core/proposals/jsonl';
import { BpjsRequestRejectedError, BpjsUnavailableError } from '../../../functions/ports/bpjs';
import type { ProposalStore } from '../../../functions/ports/proposal-store';
import { approvedProposal, FakeBpjs, FakeClock, MemoryObjects, MemoryProposals, workers } from './fakes';

function setup(count: number) {
  const clock = new FakeClock();
  const objects = new MemoryObjects();
  const bpjs = new FakeBpjs(clock);
  const p = approvedProposal(objects, workers(count));
  const proposals = new MemoryProposals(p);
  const deps = {
    proposals: proposals as unknown as ProposalStore,
    audit: proposals.trail,
    objects,
    bpjs,
    findProgramme,
    clock,
  };
  const run = (deadline?: number) => submitToBpjs(deps, { proposalId: p.id }, { deadline });
  const results = async () => {
    const out: RegistrationResult[] = [];
    for await (const r of readJsonLines((await objects.get({ key: bpjsResultsKey(p.id) })).body, RegistrationResult))
      out.push(r);
    return out;
  };
  const ref = (batch: number) => `${p.id}-${batch}`;
  return { clock, objects, bpjs, p, proposals, run, results, ref };
}

const unavailable = (retry: { retryAfterMs?: number; rateLimited?: boolean } = {}) =>
  new BpjsUnavailableError('BPJS menjawab 503', retry);
const failsWith = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  if (!error) throw new Error('expected the submission to stop');
  return error;
};

describe('submitting approved workers to BPJS', () => {
  it('resumes after the last batch BPJS answered, and keeps each answer as it comes', async () => {
    const s = setup(250);
    s.bpjs.faults = [undefined, undefined, { before: new BpjsRequestRejectedError('BPJS menolak permintaan (400)') }];
    expect((await failsWith(s.run())).name).toBe('BpjsRequestRejectedError');
    // What BPJS registered before the refusal is kept, so nothing it did is lost if the proposal stops here.
    expect(JSON.parse(s.objects.objects.get(bpjsBatchKey(s.p.id, 1))!).results).toHaveLength(100);
    expect(JSON.parse(s.objects.objects.get(bpjsBatchKey(s.p.id, 2))!).results).toHaveLength(100);
    expect(s.proposals.audit.filter((a) => a.action === 'BPJS_BATCH_ANSWERED')).toHaveLength(2);

    expect(await s.run()).toMatchObject({ registered: 250, rejected: 0 });
    expect([s.bpjs.sent(s.ref(1)), s.bpjs.sent(s.ref(2)), s.bpjs.sent(s.ref(3))]).toEqual([1, 1, 2]);
    const results = await s.results();
    expect(results.filter((r) => r.status === 'REGISTERED')).toHaveLength(250);
    expect(new Set(results.map((r) => r.nik)).size).toBe(250);
    expect(s.bpjs.registry.size).toBe(250);
  });

  it('waits as long as Retry-After asks before sending the same batch again', async () => {
    const s = setup(100);
    s.bpjs.faults = [{ before: unavailable({ retryAfterMs: 3_000, rateLimited: true }) }];
    expect(await s.run()).toMatchObject({ registered: 100 });
    expect(s.bpjs.calls.map((c) => c.reference)).toEqual([s.ref(1), s.ref(1)]);
    expect(s.bpjs.calls[1]!.at - s.bpjs.calls[0]!.at).toBeGreaterThanOrEqual(3_000);
  });

  it('backs off longer and longer when BPJS rate-limits without saying for how long', async () => {
    const s = setup(100);
    s.bpjs.faults = Array.from({ length: 4 }, () => ({ before: unavailable({ rateLimited: true }) }));
    expect(await s.run()).toMatchObject({ registered: 100 });
    const gaps = s.bpjs.calls.slice(1).map((c, i) => c.at - s.bpjs.calls[i]!.at);
    expect(gaps).toHaveLength(4);
    expect(gaps[0]).toBeGreaterThanOrEqual(500);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]!);
  });

  it("keeps to the adapter's rate between requests", async () => {
    const s = setup(1_000);
    s.bpjs.limits = { maxRequestsPerSecond: 4, timeoutMs: 1_000 };
    await s.run();
    expect(s.bpjs.calls).toHaveLength(10);
    for (let i = 1; i < s.bpjs.calls.length; i++)
      expect(s.bpjs.calls[i]!.at - s.bpjs.calls[i - 1]!.at).toBeGreaterThanOrEqual(250);
  });

  it('registers nobody twice when BPJS processed a batch but its answer was lost', async () => {
    const s = setup(150);
    s.bpjs.faults = [{ loseAnswer: unavailable() }, undefined, { loseAnswer: unavailable() }];
    expect(await s.run()).toMatchObject({ registered: 150 });
    expect(s.bpjs.registry.size).toBe(150);
    for (const r of await s.results()) {
      expect(r).toMatchObject({ status: 'REGISTERED', kpj: s.bpjs.registry.get(`kapuas-2026-apbd#${r.nik}`)!.kpj });
    }
  });

  it("stops cleanly before the Lambda's deadline, keeping what was done, and the next run finishes", async () => {
    const s = setup(500);
    const start = s.clock.t;
    // Room for two batches at 2 requests a second: a third would start too close to the deadline.
    const deadline = start + SUBMISSION_RESERVE_MS + s.bpjs.limits.timeoutMs + 600;
    const paused = await failsWith(s.run(deadline));
    expect(paused.name).toBe('BpjsSubmissionPausedError');
    expect(s.bpjs.calls.map((c) => c.reference)).toEqual([s.ref(1), s.ref(2)]);
    for (const c of s.bpjs.calls)
      expect(c.at + s.bpjs.limits.timeoutMs + SUBMISSION_RESERVE_MS).toBeLessThanOrEqual(deadline);
    expect(s.clock.t).toBeLessThanOrEqual(deadline);

    expect(await s.run()).toMatchObject({ registered: 500 });
    expect(s.bpjs.calls.map((c) => c.reference)).toEqual([1, 2, 3, 4, 5].map(s.ref));
  });

  it('hands a BPJS that stays down back to the workflow as unavailable when nothing got through', async () => {
    const s = setup(100);
    s.bpjs.faults = Array.from({ length: 50 }, () => ({ before: unavailable() }));
    expect((await failsWith(s.run())).name).toBe('BpjsUnavailableError');
    expect(s.bpjs.calls.length).toBeGreaterThan(1);
    expect(s.bpjs.calls.length).toBeLessThan(10);
    expect(s.objects.objects.has(bpjsBatchKey(s.p.id, 1))).toBe(false);
  });

  it('pauses instead, when batches got through before BPJS went down, so the workflow comes back for the rest', async () => {
    const s = setup(200);
    s.bpjs.faults = [undefined, ...Array.from({ length: 50 }, () => ({ before: unavailable() }))];
    expect((await failsWith(s.run())).name).toBe('BpjsSubmissionPausedError');
    expect(s.objects.objects.has(bpjsBatchKey(s.p.id, 1))).toBe(true);
    s.bpjs.faults = [];
    expect(await s.run()).toMatchObject({ registered: 200 });
    expect(s.bpjs.sent(s.ref(1))).toBe(1);
  });

  it('asks BPJS about the workers its answer left out, and takes what its register says', async () => {
    const s = setup(100);
    s.bpjs.faults = [
      {
        answer: (request, honest) => {
          // BPJS registered the first 80; of the 40 it says nothing about, the last 20 were never registered.
          for (const w of request.workers.slice(80)) s.bpjs.registry.delete(`${request.programmeId}#${w.nik}`);
          return { ...honest, results: honest.results.slice(0, 60) };
        },
      },
    ];
    expect(await s.run()).toMatchObject({ registered: 80, rejected: 20 });
    expect(s.bpjs.lookups).toHaveLength(40);
    const results = await s.results();
    expect(results).toHaveLength(100);
    for (const r of results.slice(60, 80))
      expect(r).toMatchObject({ status: 'REGISTERED', kpj: s.bpjs.registry.get(`kapuas-2026-apbd#${r.nik}`)!.kpj });
    for (const r of results.slice(80))
      expect(r).toMatchObject({ status: 'REJECTED', reason: { code: 'BPJS_NO_ANSWER' } });
  });

  it('ignores answers about NIKs it did not send, and asks about NIKs answered two ways', async () => {
    const s = setup(100);
    const stranger = '6203011506889999';
    s.bpjs.faults = [
      {
        answer: (_request, honest) => ({
          ...honest,
          results: [
            ...honest.results,
            { nik: stranger, status: 'REGISTERED', kpj: '26000009999' },
            { nik: honest.results[0]!.nik, status: 'REJECTED', reason: { code: 'X', message: 'x' } },
          ],
        }),
      },
    ];
    expect(await s.run()).toMatchObject({ registered: 100, rejected: 0 });
    const results = await s.results();
    expect(results.map((r) => r.nik)).not.toContain(stranger);
    expect(results).toHaveLength(100);
    expect(s.bpjs.lookups).toEqual([results[0]!.nik]);
    expect(s.proposals.audit.find((a) => a.action === 'BPJS_BATCH_ANSWERED')!.details).toMatchObject({ unexpected: 1 });
  });

  it('refuses to resume over a batch file that holds other workers than the batch', async () => {
    const s = setup(100);
    s.objects.objects.set(
      bpjsBatchKey(s.p.id, 1),
      JSON.stringify({ reference: s.ref(1), niks: ['6203011506889999'], results: [] }),
    );
    await expect(s.run()).rejects.toThrow(/batch 1/);
    expect(s.bpjs.calls).toHaveLength(0);
  });
});
