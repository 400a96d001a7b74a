import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardFigures } from '../../functions/core/dashboard/dashboard-figures';
import { launchBrowser } from '../support/browser';
import { api, nik, proposalCsv, startTestStack, type Caller, type TestStack } from '../support/local-stack';
import { enrollProposal } from '../support/enroll-proposal';

// Issue 11's done-when: the dashboard draws its charts with the figures the API returns, and the
// operator sees their villages only. A real browser on the local stack, after real enrolments.
const PROGRAMME = 'kapuas-2026-apbd';
const OWN = '62.03.01.2011'; // Pulau Telo, Kecamatan Selat: the demo operator's
const NEIGHBOUR = '62.03.02.2006'; // Desa Bakungin, Kecamatan Kapuas Hilir: not theirs

let stack: TestStack;
let browser: Browser;

/** Workers with the given serials, enrolled in the village: by its operator, or put in the bucket by Dinas Sosial. */
const enrol = (villageCode: string, serials: number[], by: 'operator' | 'bucket') =>
  enrollProposal(
    stack,
    { programmeId: PROGRAMME, villageCode, fileName: 'usulan-dasbor.csv' },
    proposalCsv(serials.map((s) => [nik('12-05-1985', 'L', s), 'Pekerja Desa', '12-05-1985', 'L', 'petani'])),
    by,
  );

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  await Promise.all([enrol(OWN, [501, 502, 503], 'operator'), enrol(NEIGHBOUR, [601, 602], 'bucket')]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The little of the browser's document the page functions below touch (the tests compile without the DOM's types). */
type Doc = {
  querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }>;
  documentElement: { scrollWidth: number };
};
type DrawnChart = { id: string; labels: string[]; datasets: { label: string; data: number[] }[] };

/** Signs in on the sign-in page as a person would, and opens the console's dashboard. */
async function openDashboard(as: Exclude<Caller, 'anonymous'>, viewport = { width: 1100, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const user = stack.info.users[as]!;
  await page.goto(`${stack.info.api}/masuk?next=${encodeURIComponent('/app/dashboard')}`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app\/dashboard$/);
  await page.waitForSelector('canvas[data-chart]');
  // Drawn: Chart.js (from /vendor/chart.js) holds a chart for every canvas.
  await page.waitForFunction(() => {
    const g = globalThis as unknown as { Chart?: { getChart(c: unknown): unknown }; document: Doc };
    const canvases = [...g.document.querySelectorAll('canvas[data-chart]')];
    return !!g.Chart && canvases.every((c) => g.Chart!.getChart(c));
  });
  return { page, context };
}

/** What Chart.js drew on each canvas: its labels and datasets, as the chart object holds them. */
const drawn = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as {
      Chart: { getChart(c: unknown): { data: { labels: string[]; datasets: { label: string; data: number[] }[] } } };
      document: Doc;
    };
    return [...g.document.querySelectorAll('canvas[data-chart]')].map((canvas) => {
      const { data } = g.Chart.getChart(canvas);
      return {
        id: canvas.getAttribute('data-chart')!,
        labels: [...data.labels],
        datasets: data.datasets.map((d) => ({ label: d.label, data: [...d.data] })),
      };
    });
  }) as Promise<DrawnChart[]>;

/** GET /dashboard/figures from the page, with the token the page holds. */
const figuresSeenBy = (page: Page) =>
  page.evaluate(async () => {
    const g = globalThis as unknown as { sessionStorage: Storage; fetch: typeof fetch };
    const res = await g.fetch('/dashboard/figures', {
      headers: { authorization: `Bearer ${g.sessionStorage.getItem('jaring.token')}` },
    });
    return (await res.json()) as unknown;
  }) as Promise<DashboardFigures>;

const chart = (charts: DrawnChart[], id: string) => {
  const found = charts.find((c) => c.id === id);
  expect(found, id).toBeDefined();
  return found!;
};

describe('the dashboard in a browser', () => {
  it('draws, for the auditor, the very figures the API returns', async () => {
    const { page, context } = await openDashboard('auditor');
    const [charts, figures] = await Promise.all([drawn(page), figuresSeenBy(page)]);
    expect(figures.scope).toBe('regency');
    const apbd = figures.programmes.find((p) => p.programmeId === PROGRAMME)!;
    // The enrolments above, counted where they were enrolled.
    expect(apbd.participants.total).toBe(5);
    expect(apbd.quota.used).toBe(5);
    expect(apbd.participants.byDesa.map((d) => [d.code, d.participants])).toEqual([
      [OWN, 3],
      [NEIGHBOUR, 2],
    ]);

    // Each chart holds exactly the figures' numbers, in the figures' order.
    expect(chart(charts, 'quota').datasets[0]).toEqual({
      label: 'Terpakai',
      data: figures.programmes.map((p) => p.quota.used),
    });
    expect(chart(charts, 'quota').datasets[1]!.data).toEqual(
      figures.programmes.map((p) => Math.max(0, p.quota.limit - p.quota.used)),
    );
    const kecamatan = chart(charts, `participants-kecamatan:${PROGRAMME}`);
    expect(kecamatan.labels).toEqual(apbd.participants.byKecamatan.map((k) => k.name));
    expect(kecamatan.datasets).toEqual([
      { label: 'Peserta', data: apbd.participants.byKecamatan.map((k) => k.participants) },
    ]);
    const desa = chart(charts, `participants-desa:${PROGRAMME}`);
    expect(desa.labels).toEqual(apbd.participants.byDesa.map((d) => `${d.name} (${d.kecamatan})`));
    expect(desa.datasets[0]!.data).toEqual(apbd.participants.byDesa.map((d) => d.participants));
    // A chart for every programme with participants, contributions or claims, and none for nothing.
    const expected = [
      'quota',
      ...figures.programmes.flatMap((p) => [
        ...(p.participants.total ? [`participants-kecamatan:${p.programmeId}`] : []),
        ...(p.participants.byDesa.length ? [`participants-desa:${p.programmeId}`] : []),
        ...(p.contributions?.length ? [`contributions:${p.programmeId}`] : []),
        ...(p.claimsPaid.length ? [`claims:${p.programmeId}`] : []),
      ]),
    ];
    expect(charts.map((c) => c.id)).toEqual(expected);
    for (const p of figures.programmes.filter((q) => q.contributions?.length)) {
      expect(chart(charts, `contributions:${p.programmeId}`).datasets.map((d) => d.data)).toEqual([
        p.contributions!.map((m) => m.billed),
        p.contributions!.map((m) => m.paid),
      ]);
    }

    // Printed: no navigation, every chart with its table beside it.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('header nav')).toBe(false);
    const drawnFigures = await page.locator('figure.chart:has(canvas)').count();
    expect(drawnFigures).toBe(charts.length);
    expect(await page.locator('figure.chart:has(canvas) table').count()).toBe(drawnFigures);
    expect(await page.isVisible(`figure.chart:has(canvas[data-chart="participants-desa:${PROGRAMME}"]) table`)).toBe(
      true,
    );
    expect((await page.pdf({ format: 'A4' })).subarray(0, 4).toString()).toBe('%PDF');
    await context.close();
  });

  it('shows the operator their villages only, on a 390 px phone', async () => {
    const { page, context } = await openDashboard('operator', { width: 390, height: 844 });
    const [charts, figures] = await Promise.all([drawn(page), figuresSeenBy(page)]);
    const operator = stack.info.users.operator!;
    expect(figures.scope).toBe('village');
    expect([...figures.villages].sort()).toEqual([...operator.villages!].sort());
    const apbd = figures.programmes.find((p) => p.programmeId === PROGRAMME)!;
    expect(apbd.participants.total).toBe(3);
    expect(apbd.participants.byDesa.map((d) => d.code)).toEqual([OWN]);
    expect(apbd.participants.byKecamatan.map((k) => k.code)).toEqual(['62.03.01']);
    expect(apbd.contributions).toBeNull();
    const desa = chart(charts, `participants-desa:${PROGRAMME}`);
    expect(desa.labels).toEqual(apbd.participants.byDesa.map((d) => `${d.name} (${d.kecamatan})`));
    expect(desa.datasets[0]!.data).toEqual([3]);
    expect(charts.some((c) => c.id.startsWith('contributions:'))).toBe(false);
    // Nothing of the neighbour's village on the page, in a chart or a table.
    const main = await page.textContent('#main');
    for (const other of [NEIGHBOUR, 'Bakungin', 'Kapuas Hilir']) {
      expect(main).not.toContain(other);
      expect(JSON.stringify(charts)).not.toContain(other);
    }
    // The whole page fits the phone's width.
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: Doc }).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(390);
    await context.close();

    // The API answers an operator's token the same, whatever the page does.
    const direct = await api<DashboardFigures>(stack, '/dashboard/figures', { as: 'operator' });
    expect(direct.body.programmes.find((p) => p.programmeId === PROGRAMME)!.participants).toEqual(apbd.participants);
  });
});
