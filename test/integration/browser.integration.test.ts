import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import {
  api,
  approvalLink,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

// The console as its people use it: a real browser, the sign-in page, the upload form, the links.
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const csv = proposalCsv([
  [nik('12-05-1985', 'L', 401), 'Budi Santoso', '12-05-1985', 'L', 'Petani'],
  [nik('12-08-1990', 'P', 402), 'Siti Aminah', '12/08/1990', 'P', 'nelayan'],
]);

describe('the operator in a browser', () => {
  it('signs in, uploads for their village through the page, sees the proposal and downloads its report', async () => {
    const page = await browser.newPage();
    const operator = stack.info.users.operator!;
    await page.goto(`${stack.info.api}/app/uploads/new`);
    // Not signed in: the console sends them to the sign-in page first, and back afterwards.
    await page.waitForURL(/\/masuk\?next=/);
    await page.fill('#username', operator.username);
    await page.fill('#password', 'salah-sandi');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('.msg')).toContain('salah');
    await page.fill('#password', operator.password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/app\/uploads\/new$/);

    // Only their own villages to choose from.
    await page.waitForSelector('form[data-upload]');
    const villages = await page.$$eval('#villageCode option', (os) =>
      os.map((o) => (o as unknown as { value: string }).value),
    );
    expect(villages.sort()).toEqual([...operator.villages!].sort());
    await page.selectOption('#programmeId', 'kapuas-2026-apbd');
    await page.selectOption('#villageCode', '62.03.01.2011');
    await page.setInputFiles('#file', { name: 'usulan juni.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('form[data-upload] button[type=submit]');

    // The page follows the upload to its proposal.
    await page.waitForURL(/\/app\/proposals\/prp-[0-9a-f]{20}$/, { timeout: 60_000 });
    const id = page.url().split('/').pop()!;
    await waitForProposal(stack, 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan juni.csv', ['AWAITING_APPROVAL']);
    await page.reload();
    await expect.poll(() => page.textContent('#main'), { timeout: 15_000 }).toContain('Menunggu persetujuan');
    expect(await page.textContent('#main')).toContain('usulan juni.csv');

    // The report comes as a download through a short-lived link, and the download is in the history.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[data-download][href*="format=xlsx"]'),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const history = await api(stack, `/proposals/${id}/history`, { as: 'auditor' });
    expect(history.body.events).toContainEqual(
      expect.objectContaining({ action: 'REPORT_DOWNLOADED', actor: `operator:${operator.username}` }),
    );

    // Another village's proposal does not exist for them.
    const otherKey = 'proposals/kapuas-2026-apbd/62.03.02.2006/usulan-lain.csv';
    await upload(
      stack,
      otherKey,
      proposalCsv([[nik('03-03-1983', 'L', 403), 'Joko Susilo', '03-03-1983', 'L', 'petani']]),
    );
    const other = await waitForProposal(stack, otherKey, ['AWAITING_APPROVAL']);
    await page.goto(`${stack.info.api}/app/proposals/${other.id}`);
    await expect.poll(() => page.textContent('#main')).toContain('Usulan tidak ditemukan');

    // A crafted console address never carries the token to another site.
    const leaked: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== new URL(stack.info.api).origin && r.headers().authorization) leaked.push(r.url());
    });
    const elsewhere = new URL(stack.info.s3.endpoint).host;
    for (const crafted of [`/app//${elsewhere}/x`, `/app/%2F${elsewhere}/x`, `/app/\\${elsewhere}/x`]) {
      await page.goto(`${stack.info.api}${crafted}`);
      await expect.poll(() => page.textContent('#main')).not.toContain('Memuat');
    }
    await page.goto(`${stack.info.api}/masuk?next=${encodeURIComponent(`/app//${elsewhere}/x`)}`);
    await page.fill('#username', operator.username);
    await page.fill('#password', operator.password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/app\/home$/);
    expect(leaked).toEqual([]);
    await page.close();
  });
});

describe('the approver on a phone', () => {
  it('opens the mailed link without signing in and decides with one tap', async () => {
    const key = 'proposals/kapuas-2026-apbd/62.03.01.2020/usulan-hp.csv';
    await upload(
      stack,
      key,
      proposalCsv([[nik('05-05-1975', 'P', 404), 'Rina Wati', '05-05-1975', 'P', 'pedagang pasar']]),
    );
    const waiting = await waitForProposal(stack, key, ['AWAITING_APPROVAL']);
    const { url } = await approvalLink(stack, waiting.id);
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await page.goto(url);
    const approve = page.locator('button.approve');
    expect(await approve.isVisible()).toBe(true);
    // The whole page fits the phone's width: nothing to scroll sideways to find the buttons.
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
            .scrollWidth,
      ),
    ).toBeLessThanOrEqual(390);
    expect(await page.textContent('body')).not.toContain('Rina Wati');
    await approve.tap();
    await expect.poll(() => page.textContent('body')).toContain('Usulan disetujui');
    await waitForProposal(stack, key, ['ENROLLED'], 60_000);
    await phone.close();
  });
});
