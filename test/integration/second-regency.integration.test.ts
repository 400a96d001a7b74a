import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUserKey } from '../../infra/local/demo-users';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import { launchBrowser } from '../support/browser';
import {
  api,
  approvalLink,
  decide,
  fireSchedule,
  mails,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  waitForMail,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

/**
 * Issue 13's "done when", in one run of the local stack and a headless Chromium: Kubu Raya's admin
 * creates a 2026 programme through the console's page; an operator of a Kubu Raya desa uploads through
 * the upload page, the proposal is approved and enrolled, and the approval mail and the month's bill
 * price JHT beside JKK and JKM; Kapuas's users see none of it, the auditor of both regencies sees both;
 * an edit through the page shows in the programme's history with who and when, and a change under what
 * stands is refused on the page with the reason.
 */
let stack: TestStack;
let browser: Browser;

const PROGRAMME = 'kuburaya-2026-dbh-sawit';
const VILLAGE = '61.12.07.2005'; // Desa Bintang Mas, Kecamatan Rasau Jaya: the Kubu Raya demo operator's
const FILE = 'usulan bintang mas.csv';
const UPLOAD_KEY = `proposals/${PROGRAMME}/${VILLAGE}/${FILE}`;
// Born in Kubu Raya (61.12.07): a man on 12-05-1985 and a woman on 05-08-1990 (day + 40).
const WORKERS = ['6112071205850701', '6112074508900702'];
/** JKK 1% of Rp1.000.000 + JKM Rp6.800 + JHT 2% of Rp1.000.000 (DOMAIN.md; PP 44/2015, PP 46/2015). */
const PER_PERSON = 10_000 + 6_800 + 20_000;
const KAPUAS_USERS: DemoUserKey[] = ['operator', 'verifier', 'approver', 'finance', 'admin', 'auditor'];

let kapuasProposal: string;
let kubuRayaProposal: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  // A Kapuas proposal beside it, for the auditor of both regencies to find too.
  const key = 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan-kapuas.csv';
  await upload(stack, key, proposalCsv([[nik('12-05-1985', 'L', 801), 'Budi Santoso', '12-05-1985', 'L', 'Petani']]));
  kapuasProposal = (await waitForProposal(stack, key, ['AWAITING_APPROVAL'])).id;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A page signed in as a demo user through the sign-in page, at `path` of the console; dialogs are kept. */
async function signedIn(user: DemoUserKey, path: string) {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.accept();
  });
  const { username, password } = stack.info.users[user]!;
  await page.goto(`${stack.info.api}/masuk?next=${encodeURIComponent(path)}`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.pathname === path);
  return { page, dialogs };
}

/** The console's script answers a form with an alert: the next one to come. */
async function nextDialog(dialogs: string[], from: number) {
  await expect.poll(() => dialogs.length, { timeout: 15_000 }).toBeGreaterThan(from);
  return dialogs[from]!;
}

const fill = async (page: Page, fields: Record<string, string>) => {
  for (const [name, value] of Object.entries(fields)) await page.fill(`#f-${name}`, value);
};

/** Kubu Raya's admin on the programme's page, its form ready to change. */
async function programmeForm() {
  const signed = await signedIn('kubuRayaAdmin', `/app/programmes/${PROGRAMME}`);
  const form = signed.page.locator(`form[data-action="/programmes/${PROGRAMME}"]`);
  await form.waitFor();
  /** Fills the fields given and saves: the answer comes as the next dialog. */
  const save = async (fields: Record<string, string>) => {
    await fill(signed.page, fields);
    await form.locator('button[type=submit]').click();
  };
  return { ...signed, form, save };
}

describe('a second regency, created and run without a deploy', () => {
  it("Kubu Raya's admin creates a 2026 programme through the page, with JHT and JP off", async () => {
    const { page, dialogs } = await signedIn('kubuRayaAdmin', '/app/programmes');
    const form = page.locator('form[data-action="/programmes"]');
    await form.waitFor();
    expect(await form.textContent()).toContain('Kabupaten Kubu Raya (61.12)');
    // The JP setting is off, and the page says why.
    expect(await form.locator('input[name=jpEnabled]').isChecked()).toBe(false);
    expect(await form.textContent()).toContain('PP 45/2015');

    await fill(page, {
      id: PROGRAMME,
      name: 'Perlindungan Pekerja Rentan Kubu Raya 2026 (DBH Sawit)',
      legalBasis: 'Keputusan Bupati Kubu Raya (uji)',
      quotaLimit: '300',
      coverageStart: '2026-01-01',
      coverageEnd: '2026-12-31',
      occupations: findProgramme('kuburaya-2026-apbd')!.occupations.join(', '),
      approverEmail: 'kepala.dinsos@kuburayakab.go.id',
      reason: 'DBH Sawit 2026',
    });
    await page.selectOption('#f-fundingSource', 'DBH_SAWIT');
    await form.locator('input[name=benefitJHT]').check();
    await form.locator('button[type=submit]').click();
    // Created: the script follows to the new programme's page.
    await page.waitForURL(new RegExp(`/app/programmes/${PROGRAMME}$`));
    expect(dialogs).toHaveLength(1);
    await expect.poll(() => page.textContent('#main')).toContain('versi 1');
    expect(await page.textContent('#main')).toContain('Rp36.800');

    const { status, body } = await api(stack, `/programmes/${PROGRAMME}`, { as: 'kubuRayaAdmin' });
    expect(status).toBe(200);
    expect(body.programme).toMatchObject({
      regency: { code: '61.12', name: 'Kabupaten Kubu Raya' },
      fundingSource: 'DBH_SAWIT',
      benefits: ['JKK', 'JKM', 'JHT'],
      quota: { scope: 'programme', limit: 300 },
      coverage: { start: '2026-01-01', end: '2026-12-31' },
      jpEnabled: false,
      version: 1,
      changedBy: 'admin:admin-dinsos-kuburaya',
    });
    await page.close();
  });

  it('a Kubu Raya operator uploads through the page; approved and enrolled, JHT priced in the mail and the bill', async () => {
    const { page } = await signedIn('kubuRayaOperator', '/app/uploads/new');
    await page.waitForSelector('form[data-upload]');
    // The programme made a minute ago is offered; Kapuas's are not.
    const programmes = await page.$$eval('#programmeId option', (os) =>
      os.map((o) => (o as unknown as { value: string }).value),
    );
    expect(programmes).toContain(PROGRAMME);
    expect(programmes.filter((p) => p.startsWith('kapuas-'))).toEqual([]);
    await page.selectOption('#programmeId', PROGRAMME);
    await page.selectOption('#villageCode', VILLAGE);
    const csv = proposalCsv([
      [WORKERS[0]!, 'Ahmad Yani', '12-05-1985', 'L', 'Petani'],
      [WORKERS[1]!, 'Siti Rahmah', '05-08-1990', 'P', 'nelayan'],
    ]);
    await page.setInputFiles('#file', { name: FILE, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('form[data-upload] button[type=submit]');
    await page.waitForURL(/\/app\/proposals\/prp-[0-9a-f]{20}$/, { timeout: 60_000 });
    kubuRayaProposal = page.url().split('/').pop()!;
    await page.close();

    const waiting = await waitForProposal(stack, UPLOAD_KEY, ['AWAITING_APPROVAL'], 60_000, 'kubuRayaVerifier');
    expect(waiting).toMatchObject({ id: kubuRayaProposal, valid: 2, invalid: 0 });
    const ask = await waitForMail(
      stack,
      (m) => m.subject.includes('Mohon persetujuan') && m.subject.includes(PROGRAMME),
    );
    expect(ask.to).toEqual(['kepala.dinsos@kuburayakab.go.id']);
    expect(ask.text).toContain('Yth. Kepala Dinas Sosial Kabupaten Kubu Raya,');
    expect(ask.text).toContain(
      'Iuran JKK+JKM+JHT yang ditanggung Kabupaten Kubu Raya untuk pekerja valid: Rp73.600 per bulan',
    );
    for (const worker of WORKERS) expect(ask.text).not.toContain(worker);

    const { code } = await approvalLink(stack, kubuRayaProposal);
    expect((await decide(stack, kubuRayaProposal, code, 'APPROVED')).status).toBe(200);
    const enrolled = await waitForProposal(
      stack,
      UPLOAD_KEY,
      ['ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED'],
      60_000,
      'kubuRayaVerifier',
    );
    expect(enrolled).toMatchObject({ status: 'ENROLLED', enrolled: 2 });

    // December's bill, the month's schedule fired as at its Jakarta time: two people at JKK+JKM+JHT.
    await fireSchedule(stack, 'billing-monthly', '2026-12-01T01:00:00');
    const bills = await api(stack, `/bills?programmeId=${PROGRAMME}`, { as: 'kubuRayaVerifier' });
    expect(bills.status, JSON.stringify(bills.body)).toBe(200);
    expect(bills.body.bills).toEqual([
      expect.objectContaining({ programmeId: PROGRAMME, month: '2026-12', participants: 2, amount: 2 * PER_PERSON }),
    ]);
    const bill = (await api(stack, bills.body.bills[0].links.self, { as: 'kubuRayaVerifier' })).body;
    expect(bill).toMatchObject({ benefits: ['JKK', 'JKM', 'JHT'], programmeVersion: 1 });
    expect(bill.perParticipant.total).toBe(PER_PERSON);
    expect(bill.perParticipant.lines.map((l: { benefit: string; amount: number }) => [l.benefit, l.amount])).toEqual([
      ['JKK', 10_000],
      ['JKM', 6_800],
      ['JHT', 20_000],
    ]);
    const billMail = await waitForMail(
      stack,
      (m) => m.subject.includes('Tagihan iuran Desember 2026') && m.subject.includes(PROGRAMME),
    );
    expect(billMail.text).toContain('Rp73.600');
  });

  it("Kapuas's users see none of it; the auditor of both regencies sees both", async () => {
    for (const as of KAPUAS_USERS) {
      const seen = {
        as,
        proposal: (await api(stack, `/proposals/${kubuRayaProposal}`, { as })).status,
        programme: (await api(stack, `/programmes/${PROGRAMME}`, { as })).status,
        listed: ((await api(stack, '/programmes', { as })).body.programmes ?? []).some(
          (p: { id: string }) => p.id === PROGRAMME,
        ),
      };
      expect(seen).toEqual({ as, proposal: 404, programme: 404, listed: false });
      const bills = await api(stack, `/bills?programmeId=${PROGRAMME}`, { as });
      expect({ as, bills: [403, 404].includes(bills.status) }).toEqual({ as, bills: true });
      const found = await api(stack, `/search?kind=participant&programme=${PROGRAMME}`, { as });
      expect({ as, rows: found.status === 200 ? found.body.rows.length : 0 }).toEqual({ as, rows: 0 });
    }
    // Kapuas's approver was asked nothing about it.
    expect(
      (await mails(stack)).filter(
        (m) => m.to.includes('kepala.dinsos@kapuaskab.go.id') && m.subject.includes(PROGRAMME),
      ),
    ).toEqual([]);

    const auditor = 'auditorBothRegencies';
    expect((await api(stack, `/proposals/${kubuRayaProposal}`, { as: auditor })).status).toBe(200);
    expect((await api(stack, `/proposals/${kapuasProposal}`, { as: auditor })).status).toBe(200);
    const proposals = await api(stack, '/search?kind=proposal', { as: auditor });
    expect(proposals.status).toBe(200);
    expect(proposals.body.rows.map((r: { programmeId: string }) => r.programmeId).sort()).toEqual([
      'kapuas-2026-apbd',
      PROGRAMME,
    ]);
    const participants = await api(stack, `/search?kind=participant&programme=${PROGRAMME}`, { as: auditor });
    expect(participants.body.rows.map((r: { nik: string }) => r.nik).sort()).toEqual(
      WORKERS.map((n) => `${n.slice(0, 4)}********${n.slice(12)}`).sort(),
    );
    expect(JSON.stringify(participants.body)).not.toContain(WORKERS[0]);
  });

  it("an edit through the page shows in the programme's history with who and when; one under what stands is refused", async () => {
    const { page, dialogs, form, save } = await programmeForm();

    // Two people hold places: a quota of one is refused, and the page says why.
    await save({ quotaLimit: '1', reason: 'uji' });
    expect(await nextDialog(dialogs, 0)).toContain('sudah dipesan');

    const before = Date.now();
    await page.reload();
    await form.waitFor();
    await save({ quotaLimit: '400', reason: 'Perubahan Keputusan Bupati' });
    await nextDialog(dialogs, 1);
    await expect.poll(() => page.textContent('#main'), { timeout: 15_000 }).toContain('versi 2');
    // The newest row of the history first: version 2, when (WIB), who, why, and what changed.
    const newest = (await page.locator('table').nth(1).locator('tbody tr').first().textContent())!;
    expect(newest).toMatch(/^2\d{4}-\d{2}-\d{2} \d{2}:\d{2} WIBadmin:admin-dinsos-kuburaya/);
    expect(newest).toContain('Perubahan Keputusan Bupati');
    expect(newest).toContain('Kuota: 300 → 400');
    await page.close();

    const { body } = await api(stack, `/programmes/${PROGRAMME}`, { as: 'auditorBothRegencies' });
    expect(body.history.map((h: { action: string }) => h.action)).toEqual(['PROGRAMME_CREATED', 'PROGRAMME_CHANGED']);
    const edit = body.history.at(-1);
    expect(edit).toMatchObject({
      actor: 'admin:admin-dinsos-kuburaya',
      version: 2,
      reason: 'Perubahan Keputusan Bupati',
      changes: [{ field: 'quota.limit', from: 300, to: 400 }],
    });
    expect(Date.parse(edit.at)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('a change of approver is mailed to the head of office replaced and to the new address', async () => {
    const { page, dialogs, save } = await programmeForm();
    await save({ approverEmail: 'plt.kepala@kuburayakab.go.id', reason: 'Plt. Kepala Dinas' });
    expect(await nextDialog(dialogs, 0)).toContain('versi 3');
    await page.close();
    const told = await waitForMail(
      stack,
      (m) => m.subject === `[Jaring] Pemberi persetujuan program ${PROGRAMME} diubah`,
    );
    expect(told.to).toEqual(
      expect.arrayContaining(['kepala.dinsos@kuburayakab.go.id', 'plt.kepala@kuburayakab.go.id']),
    );
    expect(told.text).toContain('Diubah oleh admin:admin-dinsos-kuburaya pada ');
    expect(told.text).toContain('Alasan: Plt. Kepala Dinas.');
    expect(told.text).toContain('Dinas Sosial Kabupaten Kubu Raya');
  });
});
