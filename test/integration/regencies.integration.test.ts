import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  nik,
  proposalCsv,
  startTestStack,
  uploadAsOperator,
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
});
