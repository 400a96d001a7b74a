import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb-client';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log';
import { DynamoDbBillStore } from '../../functions/adapters/dynamodb-bill-store';
import { DynamoDbCoverageStore } from '../../functions/adapters/dynamodb-coverage-store';
import { DynamoDbQuotaLedger } from '../../functions/adapters/dynamodb-quota-ledger';
import { BillTally, issueBill } from '../../functions/core/contributions/bill';
import { indonesianHolidays } from '../../functions/core/contributions/holidays';
import { allProgrammes, findProgramme } from '../../functions/core/programmes/catalogue';
import { JP_DISABLED_REASON, type Programme } from '../../functions/core/programmes/programme';
import { quotaOf } from '../../functions/core/proposals/reservations';
import { coverage, PULAU_TELO, terms } from '../unit/contributions/fixtures';
import { api, startTestStack, type TestStack } from '../support/local-stack';

/**
 * Programmes as data on the local stack (issue 13): the seed is in the table after `npm start`, the
 * regency's admin creates and edits a programme through the API and the console's form, every version
 * shows in the history with who and when, and each change that would break what stands is refused:
 * reservations in the quota ledger, participants' coverage records and issued bills, written by the
 * stores the workflows use.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.stop());

const ID = 'kapuas-2027-apbd';
const { version: _v, changedBy: _b, changedAt: _a, reason: _r, ...kapuas2026 } = findProgramme('kapuas-2026-apbd')!;
const draft = {
  ...kapuas2026,
  id: ID,
  name: 'Perlindungan Pekerja Rentan Kapuas 2027 (APBD)',
  legalBasis: 'Keputusan Bupati Kapuas (contoh, 2027)',
  quota: { scope: 'programme' as const, limit: 3_000 },
  coverage: { start: '2027-01-01', end: '2027-12-31' },
};
const json = (method: string, body: unknown) => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const put = (id: string, body: Record<string, unknown>, as: 'admin' | 'verifier' = 'admin') =>
  api(stack, `/programmes/${id}`, { as, ...json('PUT', body) });
const current = async () => (await api(stack, `/programmes/${ID}`, { as: 'admin' })).body;
const change = async (over: Partial<Programme>, reason = 'uji') => {
  const { programme } = await current();
  const { version, changedBy: _cb, changedAt: _ca, reason: _re, ...rest } = programme as Programme;
  return put(ID, { ...rest, ...over, expectedVersion: version, reason });
};

describe('the seed', () => {
  it('is in the table after start: a regency sees its own programmes, each at version 1 created by the seed', async () => {
    const { status, body } = await api(stack, '/programmes');
    expect(status).toBe(200);
    expect(body.programmes.map((p: Programme) => p.id)).toEqual(
      allProgrammes()
        .filter((p) => p.regency.code === '62.03')
        .map((p) => p.id),
    );
    const one = await api(stack, '/programmes/kapuas-2026-apbd');
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.programme).toMatchObject({ version: 1, changedBy: 'system:programme-seed' });
    expect(one.body.history).toEqual([
      expect.objectContaining({ action: 'PROGRAMME_CREATED', actor: 'system:programme-seed', version: 1 }),
    ]);
    // Kubu Raya's programme is in the table too, and not there for Kapuas's users.
    expect((await api(stack, '/programmes/kuburaya-2026-apbd')).status).toBe(404);
  });
});

describe('create, edit, history', () => {
  it('the admin creates a programme; the history names who and when', async () => {
    const before = Date.now();
    const created = await api(stack, '/programmes', {
      as: 'admin',
      ...json('POST', { ...draft, reason: 'APBD 2027' }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.programme).toMatchObject({ id: ID, version: 1, changedBy: 'admin:admin-dinsos' });
    const { history } = await current();
    expect(history).toEqual([
      expect.objectContaining({ action: 'PROGRAMME_CREATED', actor: 'admin:admin-dinsos', reason: 'APBD 2027' }),
    ]);
    expect(Date.parse(history[0].at)).toBeGreaterThanOrEqual(before - 1000);
    // Every reader of the regency lists it at once (the API's own container forgot its catalogue).
    const listed = await api(stack, '/programmes', { as: 'operator' });
    expect(listed.body.programmes.map((p: Programme) => p.id)).toContain(ID);
  });

  it('an edit makes version 2 with what changed; the edit of a version moved on from is refused', async () => {
    const edited = await change({ quota: { scope: 'programme', limit: 3_500 } }, 'Keputusan Bupati perubahan');
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.programme).toMatchObject({ version: 2, changedBy: 'admin:admin-dinsos' });
    const { programme, history, versions } = await current();
    expect(programme.quota).toEqual({ scope: 'programme', limit: 3_500 });
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(history.at(-1)).toMatchObject({
      action: 'PROGRAMME_CHANGED',
      actor: 'admin:admin-dinsos',
      version: 2,
      reason: 'Keputusan Bupati perubahan',
      changes: [{ field: 'quota.limit', from: 3_000, to: 3_500 }],
    });
    const stale = await put(ID, { ...draft, name: 'lama', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('VERSION_CONFLICT');
  });

  it("the console's form changes it too, and its page shows the history and the JP setting off with why", async () => {
    const { programme } = await current();
    const p = programme as Programme;
    const form = {
      form: 'programme',
      expectedVersion: String(p.version),
      name: p.name,
      fundingSource: p.fundingSource,
      legalBasis: p.legalBasis ?? '',
      quotaScope: 'programme',
      quotaLimit: '3600',
      coverageStart: p.coverage.start,
      coverageEnd: p.coverage.end,
      benefitJKK: 'on',
      benefitJKM: 'on',
      declaredMonthlyIncome: String(p.declaredMonthlyIncome),
      jkkPercentOfIncome: '1',
      jkmMonthly: '6800',
      jhtPercentOfIncome: '2',
      jpMonthly: '0',
      lapseAfterUnpaidMonths: '3',
      ageMin: '18',
      ageMax: '65',
      occupations: p.occupations.join(', '),
      dtsenDecileThreshold: '4',
      approverEmail: p.approverEmail,
      approvalTimeoutDays: '14',
      reason: 'lewat formulir',
    };
    const posted = await api(stack, `/programmes/${ID}`, { as: 'admin', ...json('POST', form) });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(posted.body.programme).toMatchObject({ version: 3, quota: { limit: 3_600 }, jpEnabled: false });
    const page = await api(stack, `/programmes/${ID}`, { as: 'admin', headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Riwayat');
    expect(page.body).toContain('admin:admin-dinsos');
    expect(page.body).toContain('lewat formulir');
    expect(page.body).toContain('PP 45/2015');
    expect(JP_DISABLED_REASON).toContain('PP 45/2015');
    // A reader who may not change it sees no form.
    const read = await api(stack, `/programmes/${ID}`, { as: 'verifier', headers: { accept: 'text/html' } });
    expect(read.body).not.toContain('data-action');
  });

  it('only the admin of its regency writes: a verifier is refused, another regency is not there', async () => {
    expect(
      (await api(stack, '/programmes', { as: 'verifier', ...json('POST', { ...draft, id: 'x-2027' }) })).status,
    ).toBe(403);
    expect((await put(ID, { ...draft, name: 'x', expectedVersion: 3 }, 'verifier')).status).toBe(403);
    const {
      version: _ver,
      changedBy: _c,
      changedAt: _t,
      reason: _why,
      ...kubuRaya
    } = findProgramme('kuburaya-2026-apbd')!;
    expect((await put('kuburaya-2026-apbd', { ...kubuRaya, name: 'x', expectedVersion: 1 })).status).toBe(404);
    const elsewhere = { ...draft, id: 'kuburaya-2027-x', regency: kubuRaya.regency };
    expect((await api(stack, '/programmes', { as: 'admin', ...json('POST', elsewhere) })).status).toBe(403);
  });
});

describe('regencies side by side', () => {
  /** A request as one of the demo users stack.json lists by key (Kubu Raya's, the auditor of both). */
  const as = async (user: string, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${stack.info.users[user]!.token}`);
    const res = await fetch(`${stack.info.api}${path}`, { ...init, headers });
    const text = await res.text();
    return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  };
  const kubuRaya = findProgramme('kuburaya-2026-apbd')!;
  const form = {
    form: 'programme',
    id: 'kuburaya-2026-dbh-sawit',
    name: 'Perlindungan Pekerja Rentan Kubu Raya 2026 (DBH Sawit)',
    fundingSource: 'DBH_SAWIT',
    quotaScope: 'programme',
    quotaLimit: '300',
    coverageStart: '2026-01-01',
    coverageEnd: '2026-12-31',
    benefitJKK: 'on',
    benefitJKM: 'on',
    benefitJHT: 'on',
    declaredMonthlyIncome: '1000000',
    jkkPercentOfIncome: '1',
    jkmMonthly: '6800',
    jhtPercentOfIncome: '2',
    jpMonthly: '0',
    lapseAfterUnpaidMonths: '3',
    ageMin: '18',
    ageMax: '65',
    occupations: kubuRaya.occupations.join(', '),
    dtsenDecileThreshold: '4',
    approverEmail: kubuRaya.approverEmail,
    approvalTimeoutDays: '14',
    reason: 'DBH Sawit 2026',
  };

  it("Kubu Raya's admin creates its programme through the console's form; Kapuas sees none of it, the auditor of both sees both", async () => {
    const page = await as('kubuRayaAdmin', '/programmes', { headers: { accept: 'text/html' } });
    expect(page.body).toContain('Kabupaten Kubu Raya (61.12)');
    const created = await as('kubuRayaAdmin', '/programmes', json('POST', form));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.programme).toMatchObject({
      regency: { code: '61.12', name: 'Kabupaten Kubu Raya' },
      benefits: ['JKK', 'JKM', 'JHT'],
      version: 1,
      jpEnabled: false,
    });
    const ids = async (user: string) =>
      ((await as(user, '/programmes')).body.programmes as Programme[]).map((p) => p.id);
    expect(await ids('kubuRayaVerifier')).toEqual(['kuburaya-2026-apbd', 'kuburaya-2026-dbh-sawit']);
    expect(await ids('verifier')).not.toContain('kuburaya-2026-dbh-sawit');
    expect((await api(stack, '/programmes/kuburaya-2026-dbh-sawit', { as: 'admin' })).status).toBe(404);
    expect(await ids('auditorBothRegencies')).toEqual(
      expect.arrayContaining(['kapuas-2026-apbd', 'kuburaya-2026-dbh-sawit']),
    );
    const history = (await as('auditorBothRegencies', '/programmes/kuburaya-2026-dbh-sawit')).body.history;
    expect(history).toEqual([expect.objectContaining({ action: 'PROGRAMME_CREATED', reason: 'DBH Sawit 2026' })]);
    // Nor does Kubu Raya's admin reach Kapuas's programmes.
    const { version: _v2, changedBy: _b2, changedAt: _a2, reason: _r2, ...apbd } = findProgramme('kapuas-2026-apbd')!;
    const edit = await as(
      'kubuRayaAdmin',
      '/programmes/kapuas-2026-apbd',
      json('PUT', { ...apbd, name: 'x', expectedVersion: 1 }),
    );
    expect(edit.status).toBe(404);
  });
});

describe('refusals against what stands', () => {
  const programme = async () => (await current()).programme as Programme;

  it('a quota below what proposals reserved', async () => {
    const ledger = new DynamoDbQuotaLedger(documentClient, stack.info.dynamodb.tables.quotas!);
    await ledger.reserve(quotaOf(await programme(), PULAU_TELO), 'prp-programmes-test', 40);
    const refused = await change({ quota: { scope: 'programme', limit: 39 } });
    expect(refused.status).toBe(422);
    expect(refused.body.refusals).toEqual([expect.objectContaining({ code: 'QUOTA_BELOW_RESERVED' })]);
    expect(refused.body.message).toContain('40 tempat sudah dipesan');
    expect((await change({ quota: { scope: 'programme', limit: 40 } })).status).toBe(200);
  });

  it('coverage dates moved under enrolled participants', async () => {
    const coverages = new DynamoDbCoverageStore(documentClient, {
      coverage: stack.info.dynamodb.tables.coverage!,
      audit: stack.info.dynamodb.tables.audit!,
    });
    await coverages.create(coverage(1, { programmeId: ID, start: '2027-01-01', end: '2027-12-31' }));
    const refused = await change({ coverage: { start: '2027-02-01', end: '2027-12-31' } });
    expect(refused.status).toBe(422);
    expect(refused.body.refusals).toEqual([expect.objectContaining({ code: 'COVERAGE_UNDER_ENROLLED' })]);
    expect(refused.body.message).toContain('1 peserta sudah terdaftar');
    // Extending the period takes nobody's months away.
    expect((await change({ coverage: { start: '2027-01-01', end: '2028-01-31' } })).status).toBe(200);
  });

  it('rates changed for months already billed; a change from a month not billed is taken', async () => {
    const bills = new DynamoDbBillStore(documentClient, {
      bills: stack.info.dynamodb.tables.bills!,
      audit: stack.info.dynamodb.tables.audit!,
    });
    const tally = new BillTally(ID, '2027-01');
    tally.addCounts([{ villageCode: PULAU_TELO, participants: 1 }]);
    const bill = issueBill({
      programme: { id: ID, fundingSource: 'APBD', benefits: ['JKK', 'JKM'] },
      tally,
      terms: terms(),
      holidays: indonesianHolidays,
      issuedAt: '2027-01-01T01:00:00.000Z',
    })!;
    await bills.issue(bill);
    const p = await programme();
    const refused = await change({ rates: { ...p.rates, jkmMonthly: 7_000 } });
    expect(refused.status).toBe(422);
    expect(refused.body.refusals).toEqual([expect.objectContaining({ code: 'RATES_OF_BILLED_MONTHS' })]);
    expect(refused.body.message).toContain('2027-01');
    const fromFebruary = await change({
      rateChanges: [
        { effectiveFrom: '2027-02', declaredMonthlyIncome: 1_000_000, rates: { ...p.rates, jkmMonthly: 7_000 } },
      ],
    });
    expect(fromFebruary.status, JSON.stringify(fromFebruary.body)).toBe(200);
  });

  it('left the history whole: every version in the audit trail, its chain intact', async () => {
    const audit = new DynamoDbAuditLog(documentClient, stack.info.dynamodb.tables.audit!);
    const events = await audit.byEntity(`programme#${ID}`);
    const { versions } = await current();
    expect(events.map((e) => e.to)).toEqual(versions.map((v: { version: number }) => `v${v.version}`));
    expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
  });
});
