import { describe, expect, it } from 'vitest';
import { openCoverage } from '../../../functions/core/contributions/coverage';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import { contributionTermsFor } from '../../../functions/core/contributions/terms';
import { BillSteps } from '../../../functions/core/contributions/use-cases/bill-steps';
import { checkDueDates } from '../../../functions/core/contributions/use-cases/daily-billing-check';
import { issueMonthBills } from '../../../functions/core/contributions/use-cases/issue-month-bills';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import type { Mail } from '../../../functions/ports/mailer';
import { MemoryAuditLog, MemoryObjects, MemoryProposalStore } from '../proposals/fakes';
import { MemoryBillStore, MemoryCoverageStore } from './fakes';
import { PROGRAMME, PULAU_TELO } from './fixtures';

// A month of more participants than one Lambda can update on DynamoDB Local (bill-steps.ts): the step
// answers `more` when out of time, the workflow runs it again, and nobody is updated twice or left out.

const programme = findProgramme(PROGRAMME)!;
const terms = contributionTermsFor(programme);
const PARTICIPANTS = 2_500; // two and a half chunks of 1,000
const nikOf = (n: number) => `62030115068${String(n).padStart(5, '0')}`;

async function world() {
  const coverages = new MemoryCoverageStore();
  coverages.pageSize = 1_000;
  const opened = new Date('2026-01-01T00:00:00Z').toISOString();
  for (let n = 1; n <= PARTICIPANTS; n++) {
    await coverages.create(
      openCoverage(
        { programmeId: PROGRAMME, nik: nikOf(n), villageCode: PULAU_TELO, start: '2026-01-01', end: '2026-12-31' },
        opened,
      ),
    );
  }
  const audit = new MemoryAuditLog();
  const mails: Mail[] = [];
  let now = new Date('2026-02-01T01:00:00+07:00');
  const deps = {
    coverages,
    bills: new MemoryBillStore(),
    objects: new MemoryObjects(),
    proposals: new MemoryProposalStore(),
    holidays: indonesianHolidays,
    steps: new BillSteps(audit, 'system:test'),
    programmes: () => [{ programme, terms }],
    now: () => now,
    mailer: { send: async (m: Mail) => (mails.push(m), { messageId: String(mails.length) }) },
    recipients: () => ({ finance: 'keuangan@kapuaskab.go.id', dinasSosial: ['dinsos@kapuaskab.go.id'], operators: [] }),
    apiUrl: 'https://jaring.example',
    reminderDays: 3,
    // Always out of time: each run stops after the first chunk it changes anything in.
    outOfTime: () => true,
  };
  const steps = () => audit.events.filter((e) => e.action === 'BILL_STEP').map((e) => e.details?.step);
  const states = () => [...coverages.items.values()].map((c) => c.months.at(-1)?.state ?? 'NONE');
  return { deps, coverages, mails, steps, states, at: (t: string) => (now = new Date(`${t}+07:00`)) };
}

const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});

describe('a billing step that runs out of time', () => {
  it('answers more until everyone is billed, then records the step once, with every participant counted', async () => {
    const w = await world();
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const run = await issueMonthBills(w.deps, { month: '2026-02' });
      runs.push(run);
      if (!run.more) break;
    }
    expect(runs.map((r) => r.more)).toEqual([true, true, false]);
    expect(runs.map((r) => r.bills.map((b) => b.outcome))).toEqual([[], [], ['ALREADY_ISSUED']]);
    expect(count(w.states())).toEqual({ BILLED: PARTICIPANTS });
    // The step is recorded when the last run got through, not before: a paused run is never "done".
    expect(w.steps()).toEqual(['DOCUMENTS_WRITTEN', 'BILLED_APPLIED']);
  });

  it('the overdue notice waits for the run that reached everyone, and counts all of them', async () => {
    const w = await world();
    w.deps.outOfTime = () => false;
    await issueMonthBills(w.deps, { month: '2026-02' });
    w.deps.outOfTime = () => true;
    w.at('2026-02-17T06:00:00');
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const run = await checkDueDates(w.deps);
      runs.push(run);
      if (!run.more) break;
    }
    expect(runs.map((r) => r.more)).toEqual([true, true, false]);
    expect(count(w.states())).toEqual({ OVERDUE: PARTICIPANTS });
    const overdue = w.mails.filter((m) => m.subject.includes('belum lunas'));
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.subject).toContain(`${PARTICIPANTS} peserta menunggak`);
    expect(runs.at(-1)!.inArrears).toBe(PARTICIPANTS);
  });
});
