import { describe, expect, it } from 'vitest';
import type { Participant } from '../../../functions/core/participants/participant';
import { recordParticipants } from '../../../functions/core/proposals/use-cases/record-participants';
import { validateProposal } from '../../../functions/core/proposals/use-cases/validate-proposal';
import { bpjsResultsKey } from '../../../functions/core/proposals/work-keys';
import type { Enrolment, EnrolmentStore } from '../../../functions/ports/enrolment-store';
import { MemoryCoverageStore } from '../contributions/fakes';
import { nik, person, programme, world } from './world';

/**
 * Enrolment in memory, as the DynamoDB store: a person already a participant is left as they are
 * (counted as existed), else their participant and coverage are recorded together.
 */
class MemoryEnrolments implements EnrolmentStore {
  readonly participants = new Map<string, Participant>();
  constructor(private readonly coverages: MemoryCoverageStore) {}
  async record(enrolments: readonly Enrolment[]) {
    const outcome = { recorded: 0, existed: 0, heldElsewhere: 0 };
    for (const { participant: p, coverage } of enrolments) {
      const key = `${p.programmeId}#${p.nik}`;
      const held = this.participants.get(key);
      if (held) {
        if (held.proposalId === p.proposalId) outcome.existed += 1;
        else outcome.heldElsewhere += 1;
        continue;
      }
      this.participants.set(key, p);
      await this.coverages.create(coverage);
      outcome.recorded += 1;
    }
    return outcome;
  }
}

/** A validated proposal of three people that BPJS answered: the first two registered, the third refused. */
async function submitted() {
  const w = world();
  const p = w.upload('usulan.csv', [person(1), person(2), person(3)], '2026-03-02T01:00:00Z', 'A1');
  await validateProposal(w.deps, { proposalId: p.id });
  w.proposals.put({ ...(await w.proposals.get(p.id))!, status: 'SUBMITTING' });
  const results = [
    { nik: nik(1), status: 'REGISTERED', kpj: 'KPJ-0001' },
    { nik: nik(2), status: 'REGISTERED', kpj: 'KPJ-0002' },
    { nik: nik(3), status: 'REJECTED', reason: { code: 'DUPLICATE', message: 'Sudah terdaftar di BPJS.' } },
  ];
  await w.objects.put(bpjsResultsKey(p.id), results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const coverages = new MemoryCoverageStore();
  const enrolments = new MemoryEnrolments(coverages);
  return { w, id: p.id, coverages, enrolments, deps: { ...w.deps, enrolments } };
}

describe('recording participants opens their coverage', () => {
  it('opens one ACTIVE coverage per registered worker, over the programme period, with village and KPJ', async () => {
    const { id, coverages, deps } = await submitted();
    const result = await recordParticipants(deps, { proposalId: id });
    expect(result).toMatchObject({ status: 'PARTIALLY_ENROLLED', enrolled: 2, coveragesOpened: 2 });

    const first = await coverages.get(programme.id, nik(1));
    expect(first).toMatchObject({
      programmeId: programme.id,
      nik: nik(1),
      villageCode: '62.03.01.2011',
      kpj: 'KPJ-0001',
      start: programme.coverage.start,
      end: programme.coverage.end,
      status: 'ACTIVE',
      monthsBilled: 0,
      monthsPaid: 0,
      continuousPaidMonths: 0,
    });
    expect(first!.history).toEqual([expect.objectContaining({ to: 'ACTIVE', reason: 'ENROLLED' })]);
    expect((await coverages.get(programme.id, nik(2)))?.kpj).toBe('KPJ-0002');
    // Whom BPJS refused has no coverage to bill.
    expect(await coverages.get(programme.id, nik(3))).toBeUndefined();
  });

  it('a run that failed after opening coverage, run again, opens nobody twice and changes nobody', async () => {
    const { w, id, coverages, deps } = await submitted();
    // The proposal's closing write fails once: coverages are open, the proposal still SUBMITTING.
    w.proposals.beforeChange = () => {
      w.proposals.beforeChange = undefined;
      throw new Error('DynamoDB unavailable');
    };
    await expect(recordParticipants(deps, { proposalId: id })).rejects.toThrow('unavailable');
    expect(coverages.items.size).toBe(2);
    const opened = await coverages.get(programme.id, nik(1));

    w.advance(60_000);
    const again = await recordParticipants(deps, { proposalId: id });
    expect(again).toMatchObject({ status: 'PARTIALLY_ENROLLED', coveragesOpened: 0 });
    expect(coverages.items.size).toBe(2);
    // The first opening stands (its time and history), not one from the re-run.
    expect(await coverages.get(programme.id, nik(1))).toEqual(opened);
  });
});
