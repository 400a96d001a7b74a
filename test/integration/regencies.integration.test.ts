import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  nik,
  proposalCsv,
  startTestStack,
  uploadAsOperator,
  waitForMail,
  waitForProposal,
  type Caller,
  type TestStack,
} from '../support/local-stack';

// Two regencies side by side on the local stack (issue 13): Kubu Raya's demo users and an auditor of
// both, as `npm start` creates them; a Kapuas proposal seen by whom it should be, and by nobody else.
let stack: TestStack;
let kapuasProposal: string;

beforeAll(async () => {
  stack = await startTestStack();
  const key = await uploadAsOperator(
    stack,
    { programmeId: 'kapuas-2026-apbd', villageCode: '62.03.01.2011', fileName: 'usulan-dua-kabupaten.csv' },
    proposalCsv([[nik('12-05-1985', 'L', 613), 'Budi Santoso', '12-05-1985', 'L', 'Petani']]),
  );
  kapuasProposal = (await waitForProposal(stack, key, ['AWAITING_APPROVAL'])).id;
});
afterAll(async () => {
  await stack?.stop();
});

describe('demo users of two regencies', () => {
  it("are created and signed in, Kubu Raya's beside Kapuas's, each with its regency", async () => {
    const users = stack.info.users;
    expect(users.kubuRayaOperator).toMatchObject({
      username: 'operator-rasau-jaya',
      villages: ['61.12.07.2005', '61.12.07.2006'],
    });
    expect(users.operator?.username).toBe('operator-pulau-telo');
    const usernames = Object.values(users).map((u) => u.username);
    expect(new Set(usernames).size).toBe(usernames.length);

    const me = async (as: Caller) => (await api(stack, '/me', { as })).body;
    expect(await me('kubuRayaAdmin')).toMatchObject({ roles: ['admin'], regency: '61.12' });
    expect(await me('kubuRayaOperator')).toMatchObject({ roles: ['operator'], regency: '61.12' });
    expect(await me('auditorBothRegencies')).toMatchObject({
      roles: ['auditor'],
      regency: '62.03',
      regencies: ['62.03', '61.12'],
    });
  });

  it("lets Kubu Raya's Dinas Sosial see nothing of a Kapuas proposal, and the auditor of both see it", async () => {
    const path = `/proposals/${kapuasProposal}`;
    for (const as of ['kubuRayaVerifier', 'kubuRayaApprover', 'kubuRayaAdmin', 'kubuRayaOperator'] as const)
      expect({ as, status: (await api(stack, path, { as })).status }).toEqual({ as, status: 404 });
    expect((await api(stack, path, { as: 'auditorBothRegencies' })).status).toBe(200);
    expect((await api(stack, path, { as: 'verifier' })).status).toBe(200);
    // A Kubu Raya operator may not upload for a Kapuas desa.
    const upload = await api(stack, '/uploads', {
      as: 'kubuRayaOperator',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ programmeId: 'kapuas-2026-apbd', villageCode: '62.03.01.2011', fileName: 'x.csv' }),
    });
    expect([403, 404]).toContain(upload.status);
  });

  it('refuses in Kubu Raya a person Kapuas holds for 2026, says why, and tells both Dinas Sosial', async () => {
    const moved = nik('12-05-1985', 'L', 613); // proposed in Kapuas above
    const local = '6112071205850615'; // born in Kubu Raya (61.12.07), nobody else's
    const key = await uploadAsOperator(
      stack,
      { programmeId: 'kuburaya-2026-apbd', villageCode: '61.12.07.2005', fileName: 'usulan-bintang-mas.csv' },
      proposalCsv([
        [moved, 'Budi Santoso', '12-05-1985', 'L', 'Petani'],
        [local, 'Ahmad Yani', '12-05-1985', 'L', 'Nelayan'],
      ]),
      'kubuRayaOperator',
    );
    let proposal: any;
    for (let i = 0; i < 200 && proposal?.status !== 'AWAITING_APPROVAL'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const { body } = await api(stack, `/proposals?uploadKey=${encodeURIComponent(key)}`, { as: 'kubuRayaVerifier' });
      proposal = body.proposals?.[0];
    }
    expect(proposal).toMatchObject({ status: 'AWAITING_APPROVAL', valid: 1, invalid: 1 });
    const issue = proposal.topIssues.find((i: { code: string }) => i.code === 'NIK_ENROLLED_IN_OTHER_REGENCY');
    expect(issue.example).toContain('di Kabupaten Kapuas pada periode yang sama');

    const subject = '1 NIK terdaftar di Kabupaten Kapuas dan diusulkan di Kabupaten Kubu Raya (pindah domisili?)';
    const toKubuRaya = await waitForMail(
      stack,
      (m) => m.subject.endsWith(subject) && m.to.includes('kepala.dinsos@kuburayakab.go.id'),
    );
    expect(toKubuRaya.text).toContain('Yth. Dinas Sosial Kabupaten Kubu Raya,');
    const toKapuas = await waitForMail(
      stack,
      (m) => m.subject.endsWith(subject) && m.to.includes('kepala.dinsos@kapuaskab.go.id'),
    );
    expect(toKapuas.text).toContain('Desa Bintang Mas (61.12.07.2005)');
    for (const m of [toKubuRaya, toKapuas]) expect(m.text).not.toContain(moved);
    // Kubu Raya's approver is asked for the one valid worker, with JHT priced in: Rp10.000 + Rp6.800 + Rp20.000.
    const ask = await waitForMail(
      stack,
      (m) => m.subject.includes('Mohon persetujuan') && m.subject.includes('kuburaya-2026-apbd'),
    );
    expect(ask.text).toContain('Yth. Kepala Dinas Sosial Kabupaten Kubu Raya,');
    expect(ask.text).toContain(
      'Iuran JKK+JKM+JHT yang ditanggung Kabupaten Kubu Raya untuk pekerja valid: Rp36.800 per bulan',
    );
  });
});
