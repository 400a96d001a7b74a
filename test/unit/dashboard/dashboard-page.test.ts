import { describe, expect, it } from 'vitest';
import { ChartSpec, programmeCharts, quotaChart } from '../../../functions/core/dashboard/dashboard-charts';
import type { DashboardFigures, ProgrammeFigures } from '../../../functions/core/dashboard/dashboard-figures';
import { dashboardPage } from '../../../functions/pages/dashboard-pages';

const apbd: ProgrammeFigures = {
  programmeId: 'kapuas-2026-apbd',
  name: 'Perlindungan Pekerja Rentan Kapuas 2026 (APBD)',
  fundingSource: 'APBD',
  coverage: { start: '2026-01-01', end: '2026-12-31' },
  quota: { scope: 'programme', limit: 5_000, used: 1_234 },
  participants: {
    total: 5,
    byKecamatan: [
      { code: '62.03.01', name: 'Selat', participants: 5 },
      { code: '62.03.02', name: 'Kapuas Hilir', participants: 0 },
    ],
    byDesa: [{ code: '62.03.01.2011', name: 'Pulau Telo <b>', kecamatan: 'Selat', participants: 5 }],
  },
  contributions: [
    { month: '2026-02', billed: 84_000, paid: 84_000 },
    { month: '2026-03', billed: 84_000, paid: 0 },
  ],
  claimsPaid: [],
};
const dbh: ProgrammeFigures = {
  ...apbd,
  programmeId: 'kapuas-2026-dbh-sawit',
  name: 'Perlindungan Pekerja Rentan Kapuas 2026 (DBH Sawit)',
  fundingSource: 'DBH_SAWIT',
  quota: { scope: 'programme', limit: 500, used: 600 },
  participants: { total: 0, byKecamatan: [{ code: '62.03.01', name: 'Selat', participants: 0 }], byDesa: [] },
  contributions: null,
};
const figures: DashboardFigures = {
  regency: { code: '62.03', name: 'Kabupaten Kapuas' },
  scope: 'regency',
  villages: [],
  generatedAt: '2026-12-02T10:00:00.000Z',
  programmes: [apbd, dbh],
};

/** The chart specs the page carries for the console's script. */
function specsIn(page: string): ChartSpec[] {
  const json = /<script type="application\/json" id="dashboard-charts">(.*?)<\/script>/s.exec(page)![1]!;
  return ChartSpec.array().parse(JSON.parse(json));
}

describe('the dashboard charts', () => {
  it('are the figures as bars: quota used and left per funding source, never a negative remainder', () => {
    expect(quotaChart(figures)).toMatchObject({
      stacked: true,
      labels: ['APBD 2026', 'DBH Sawit 2026'],
      datasets: [
        { label: 'Terpakai', data: [1_234, 600] },
        { label: 'Sisa kuota', data: [3_766, 0] },
      ],
    });
    const charts = programmeCharts(apbd);
    expect(charts.kecamatan).toMatchObject({ labels: ['Selat', 'Kapuas Hilir'], datasets: [{ data: [5, 0] }] });
    expect(charts.desa).toMatchObject({
      horizontal: true,
      labels: ['Pulau Telo <b> (Selat)'],
      datasets: [{ data: [5] }],
    });
    expect(charts.contributions).toMatchObject({
      money: true,
      datasets: [
        { label: 'Ditagih', data: [84_000, 84_000] },
        { label: 'Dibayar', data: [84_000, 0] },
      ],
    });
    // Nothing paid yet, nobody enrolled, bills not the viewer's: no chart drawn for them.
    expect(charts.claims).toBeUndefined();
    expect(programmeCharts(dbh)).toEqual({
      kecamatan: undefined,
      desa: undefined,
      contributions: undefined,
      claims: undefined,
    });
  });
});

describe('the dashboard page', () => {
  const page = dashboardPage(figures);

  it('carries one spec per canvas, and each canvas names one spec', () => {
    const specs = specsIn(page);
    const canvases = [...page.matchAll(/<canvas data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(canvases.sort()).toEqual(specs.map((s) => s.id).sort());
    expect(specs.map((s) => s.id)).toEqual([
      'quota',
      'participants-kecamatan:kapuas-2026-apbd',
      'participants-desa:kapuas-2026-apbd',
      'contributions:kapuas-2026-apbd',
    ]);
  });

  it('puts a table of the same figures beside each chart, for print, screen readers and no script', () => {
    expect(page).toContain('<td>Selat</td><td class="n">5</td>');
    expect(page).toContain('<td class="n">Rp84.000</td><td class="n">Rp0</td>');
    expect(page).toContain('<td class="n">1.234</td><td class="n">3.766</td>');
    expect(page).toContain('Belum ada klaim yang dibayarkan.');
    expect(page).toContain('Tagihan iuran dilihat oleh Dinas Sosial dan bagian keuangan.');
    expect(page).toMatch(/@media print\{[^<]*\.chart\{break-inside:avoid\}/);
    // In the body: a fragment parsed as a document puts a leading style sheet in its head, which the console drops.
    expect(page.indexOf('<style>')).toBeGreaterThan(page.indexOf('<h1>'));
  });

  it('escapes names in the markup and cannot be closed from inside the JSON block', () => {
    expect(page).toContain('Pulau Telo &lt;b&gt;');
    expect(page).not.toContain('Pulau Telo <b>');
    expect(specsIn(page)[2]!.labels).toEqual(['Pulau Telo <b> (Selat)']);
  });

  it('tells an operator the figures are their villages’', () => {
    const own = dashboardPage({ ...figures, scope: 'village', villages: ['62.03.01.2011'] });
    expect(own).toContain('Angka desa/kelurahan Anda saja (62.03.01.2011).');
    expect(own).toContain('Peserta tercatat di desa Anda');
  });
});
