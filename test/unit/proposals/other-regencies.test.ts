import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import type { Programme } from '../../../functions/core/programmes/programme';
import { overlappingElsewhere } from '../../../functions/core/proposals/other-regencies';
import { periodOf } from '../../../functions/core/proposals/reservations';
import { validateProposal, type ValidateDeps } from '../../../functions/core/proposals/use-cases/validate-proposal';
import { reportKeys } from '../../../functions/core/proposals/work-keys';
import type { ValidationReport } from '../../../functions/core/validation/report';
import { nik, person, programme as kapuas, world, type World } from './world';

// Kubu Raya's programme for the same budget year as the world's Kapuas APBDes one.
const kubuRaya: Programme = {
  ...findProgramme('kapuas-2026-apbd')!,
  id: 'kuburaya-test-apbd',
  name: 'Perlindungan Pekerja Rentan Kubu Raya (uji)',
  regency: { code: '61.12', name: 'Kabupaten Kubu Raya' },
  approverEmail: 'kepala.dinsos@kuburaya.test',
};
const BINTANG_MAS = '61.12.07.2005';
const programmes = [kapuas, kubuRaya];

const depsOf = (w: World, all: readonly Programme[] = programmes): ValidateDeps => ({
  ...w.deps,
  findProgramme: (id) => all.find((p) => p.id === id),
  allProgrammes: () => all,
  tell: { mailer: w.deps.mailer, apiUrl: 'http://api.test', opsEmail: 'dinsos@jaring.test' },
});

async function reportOf(w: World, id: string): Promise<ValidationReport> {
  return JSON.parse(await w.objects.getText(reportKeys(id).json)) as ValidationReport;
}

/** Kapuas holds people 1 and 2 (validated, awaiting approval); Kubu Raya then proposes people 1 and 3. */
async function twoRegencies(w: World, all: readonly Programme[] = programmes) {
  const deps = depsOf(w, all);
  const home = w.upload('kapuas.csv', [person(1), person(2)], '2026-03-02T01:00:00Z', '01');
  await validateProposal(deps, { proposalId: home.id });
  const moved = w.upload('kubu.csv', [person(1), person(3)], '2026-03-03T01:00:00Z', '02', {
    programmeId: kubuRaya.id,
    villageCode: BINTANG_MAS,
  });
  const result = await validateProposal(deps, { proposalId: moved.id });
  return { home, moved, result };
}

describe('the same person proposed in two regencies for the same period', () => {
  it('is refused in the second, naming the first regency, and both Dinas Sosial are told', async () => {
    const w = world();
    const { moved, result } = await twoRegencies(w);
    expect(result).toMatchObject({ status: 'VALIDATED', valid: 1 });

    const rows = (await reportOf(w, moved.id)).rows;
    const refused = rows.find((r) => r.errors.some((e) => e.code === 'NIK_ENROLLED_IN_OTHER_REGENCY'))!;
    expect(refused.row).toBe(2);
    expect(refused.status).toBe('invalid');
    const reason = refused.errors.find((e) => e.code === 'NIK_ENROLLED_IN_OTHER_REGENCY')!.message;
    expect(reason).toContain('diusulkan dan masih diproses di Kabupaten Kapuas pada periode yang sama');
    expect(reason).toContain('pindah domisili');
    expect(reason).toContain('Dinas Sosial Kabupaten Kubu Raya dan Dinas Sosial Kabupaten Kapuas sudah diberi tahu');
    expect(rows.find((r) => r.row === 3)?.status).toBe('valid');

    // Kapuas keeps its claim; Kubu Raya holds only the person nobody else had.
    expect(w.ledger.claims.get(`${periodOf(kapuas)}#${nik(1)}`)?.proposalId).not.toBe(moved.id);
    expect(w.ledger.claims.has(`${periodOf(kubuRaya)}#${nik(1)}`)).toBe(false);
    expect(w.ledger.claims.get(`${periodOf(kubuRaya)}#${nik(3)}`)?.proposalId).toBe(moved.id);

    expect(w.sent.map((m) => m.to)).toEqual([
      ['kepala.dinsos@kuburaya.test', 'dinsos@jaring.test'],
      [kapuas.approverEmail],
    ]);
    const [toKubuRaya, toKapuas] = w.sent;
    expect(toKubuRaya!.subject).toBe(
      '[Jaring] 1 NIK terdaftar di Kabupaten Kapuas dan diusulkan di Kabupaten Kubu Raya (pindah domisili?)',
    );
    expect(toKubuRaya!.text).toContain('Yth. Dinas Sosial Kabupaten Kubu Raya,');
    expect(toKubuRaya!.text).toContain('baris 2: NIK 6203********0001');
    expect(toKubuRaya!.text).toContain('http://api.test/app/proposals/');
    expect(toKapuas!.text).toContain('Yth. Dinas Sosial Kabupaten Kapuas,');
    expect(toKapuas!.text).toContain('Desa Bintang Mas (61.12.07.2005)');
    expect(toKapuas!.text).toContain('Mohon berkoordinasi dengan Dinas Sosial Kabupaten Kubu Raya');
    // Masked in every mail: the whole NIK is in the report and the console, not in mailboxes.
    for (const m of w.sent) expect(`${m.text}${m.html}`).not.toContain(nik(1));
  });

  it('lets the person be proposed once the first regency gave them back (a rejected proposal)', async () => {
    const w = world();
    const deps = depsOf(w);
    const home = w.upload('kapuas.csv', [person(1)], '2026-03-02T01:00:00Z', '01');
    await validateProposal(deps, { proposalId: home.id });
    // A leftover claim of a proposal that gave its people back is stale.
    w.proposals.put({ ...(await w.proposals.get(home.id))!, status: 'REJECTED' });
    const moved = w.upload('kubu.csv', [person(1)], '2026-03-03T01:00:00Z', '02', {
      programmeId: kubuRaya.id,
      villageCode: BINTANG_MAS,
    });
    expect(await validateProposal(deps, { proposalId: moved.id })).toMatchObject({ status: 'VALIDATED', valid: 1 });
    expect(w.sent).toEqual([]);
  });

  it('does not hold a person across regencies whose periods do not overlap', async () => {
    const later = { ...kubuRaya, coverage: { start: '2027-01-01', end: '2027-12-31' } };
    expect(overlappingElsewhere(kapuas, [kapuas, later])).toEqual([]);
    expect(overlappingElsewhere(later, [findProgramme('kapuas-2025-apbd')!, kapuas, later])).toEqual([]);
    // One read per other regency's period, however many of its programmes share it.
    const apbd = findProgramme('kapuas-2026-apbd')!;
    expect(overlappingElsewhere(kubuRaya, [kapuas, apbd, kubuRaya]).map(periodOf)).toEqual([periodOf(kapuas)]);

    const w = world();
    const { result } = await twoRegencies(w, [kapuas, { ...later, id: kubuRaya.id }]);
    expect(result).toMatchObject({ status: 'VALIDATED', valid: 2 });
    expect(w.sent).toEqual([]);
  });

  it('still refuses the same person twice within one regency as before, with no mail', async () => {
    const w = world();
    const deps = depsOf(w);
    const first = w.upload('a.csv', [person(1)], '2026-03-02T01:00:00Z', '01');
    await validateProposal(deps, { proposalId: first.id });
    const other = w.upload('b.csv', [person(1), person(4)], '2026-03-02T02:00:00Z', '02', {
      villageCode: '62.03.01.2020',
    });
    await validateProposal(deps, { proposalId: other.id });
    const codes = (await reportOf(w, other.id)).rows.flatMap((r) => r.errors.map((e) => e.code));
    expect(codes).toContain('NIK_ALREADY_ENROLLED');
    expect(codes).not.toContain('NIK_ENROLLED_IN_OTHER_REGENCY');
    expect(w.sent).toEqual([]);
  });
});
