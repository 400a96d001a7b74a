import {
  FUNDING_SOURCE_TEXT,
  programmeCharts,
  programmeLabel,
  quotaChart,
  type ChartSpec,
} from '../core/dashboard/dashboard-charts';
import type { DashboardFigures, ProgrammeFigures } from '../core/dashboard/dashboard-figures';
import { monthName } from '../core/contributions/coverage';
import { markup, trusted, type SafeHtml } from './html';

/**
 * The console's dashboard (issue 11), in Bahasa Indonesia: a fragment the console's shell puts in its
 * page. Each chart is a canvas the console's script draws with Chart.js from the specs in the page's
 * JSON block (made from the same figures `GET /dashboard/figures` answers), beside a table of the
 * same numbers: what a screen reader reads, what is left when scripts do not run, what prints.
 */

const STYLE = trusted(`<style>
.chart{margin:1em 0 2em}.chart figcaption{font-weight:600;margin-bottom:.4em}
.chart-box{position:relative;width:100%;height:16em}
.chart table{margin-top:.6em;font-size:.92em}.chart td.n,.chart th.n{text-align:right}
.scope{color:#555}
@media print{header nav,.no-print{display:none}body{max-width:none;font-size:11pt}
.chart{break-inside:avoid}.chart-box{height:14em}.chart table{display:table;overflow:visible}
section{break-before:page}section:first-of-type{break-before:auto}}
</style>`);

const rupiah = (n: number) => `Rp${n.toLocaleString('id-ID')}`;
const count = (n: number) => n.toLocaleString('id-ID');

/** A desa chart grows with its bars so each name stays readable; the others keep the box's height. */
const boxHeight = (spec: ChartSpec) =>
  spec.horizontal ? `height:${Math.max(10, 1.9 * spec.labels.length + 4)}em` : '';

function chartFigure(title: string, spec: ChartSpec | undefined, table: SafeHtml | undefined, empty: string) {
  if (!spec || !table) return markup`<figure class="chart"><figcaption>${title}</figcaption><p>${empty}</p></figure>`;
  return markup`<figure class="chart"><figcaption>${spec.title}</figcaption>
<div class="chart-box" style="${boxHeight(spec)}"><canvas data-chart="${spec.id}" role="img" aria-label="${spec.title}; angka lengkap pada tabel di bawahnya"></canvas></div>
${table}</figure>`;
}

function quotaTable(figures: DashboardFigures) {
  const rows = figures.programmes.map(
    (p) =>
      markup`<tr><td>${programmeLabel(p)}</td><td>${p.name}</td><td class="n">${count(p.quota.limit)}${
        p.quota.scope === 'desa' ? markup` (${p.quota.desa ?? 0} desa)` : undefined
      }</td><td class="n">${count(p.quota.used)}</td><td class="n">${count(Math.max(0, p.quota.limit - p.quota.used))}</td></tr>`,
  );
  return markup`<table><tr><th>Sumber dana</th><th>Program</th><th class="n">Kuota</th><th class="n">Terpakai</th><th class="n">Sisa</th></tr>${rows}</table>`;
}

function programmeSection(p: ProgrammeFigures, operator: boolean) {
  const charts = programmeCharts(p);
  const kecamatan = markup`<table><tr><th>Kecamatan</th><th class="n">Peserta</th></tr>${p.participants.byKecamatan.map(
    (k) => markup`<tr><td>${k.name}</td><td class="n">${count(k.participants)}</td></tr>`,
  )}</table>`;
  const desa = markup`<table><tr><th>Desa/kelurahan</th><th>Kecamatan</th><th class="n">Peserta</th></tr>${p.participants.byDesa.map(
    (d) => markup`<tr><td>${d.name}</td><td>${d.kecamatan}</td><td class="n">${count(d.participants)}</td></tr>`,
  )}</table>`;
  const contributions = p.contributions
    ? markup`<table><tr><th>Bulan</th><th class="n">Ditagih</th><th class="n">Dibayar</th></tr>${p.contributions.map(
        (m) =>
          markup`<tr><td>${monthName(m.month)}</td><td class="n">${rupiah(m.billed)}</td><td class="n">${rupiah(m.paid)}</td></tr>`,
      )}</table>`
    : undefined;
  const claims = markup`<table><tr><th>Bulan</th><th class="n">Klaim</th><th class="n">Dibayarkan</th></tr>${p.claimsPaid.map(
    (m) =>
      markup`<tr><td>${monthName(m.month)}</td><td class="n">${count(m.claims)}</td><td class="n">${rupiah(m.amount)}</td></tr>`,
  )}</table>`;
  return markup`<section data-programme="${p.programmeId}"><h2>${p.name}</h2>
<p>${FUNDING_SOURCE_TEXT[p.fundingSource]}, masa pertanggungan ${p.coverage.start} s.d. ${p.coverage.end}. Peserta tercatat${
    operator ? ' di desa Anda' : ''
  }: <strong>${count(p.participants.total)}</strong> (semua status).</p>
${chartFigure('Peserta per kecamatan', charts.kecamatan, kecamatan, 'Belum ada peserta.')}
${chartFigure('Peserta per desa/kelurahan', charts.desa, desa, 'Belum ada peserta.')}
${
  p.contributions
    ? chartFigure(
        'Iuran ditagih dan dibayar per bulan',
        charts.contributions,
        contributions,
        'Belum ada tagihan iuran.',
      )
    : markup`<p>Tagihan iuran dilihat oleh Dinas Sosial dan bagian keuangan.</p>`
}
${chartFigure('Klaim dibayarkan per bulan', charts.claims, claims, 'Belum ada klaim yang dibayarkan.')}
</section>`;
}

/** Everything the charts need, as JSON in the page; `<` escaped so no value can close the script block. */
function chartData(figures: DashboardFigures) {
  const specs = [quotaChart(figures), ...figures.programmes.flatMap((p) => Object.values(programmeCharts(p)))].filter(
    (s): s is ChartSpec => s !== undefined,
  );
  return trusted(
    `<script type="application/json" id="dashboard-charts">${JSON.stringify(specs).replace(/</g, '\\u003c')}</script>`,
  );
}

export function dashboardPage(figures: DashboardFigures): string {
  const operator = figures.scope === 'village';
  // The style sheet after the heading: the console's script parses the fragment as a document, where a
  // style sheet before any content would be put in a head it never copies.
  return markup`<h1>Dasbor ${figures.regency.name}</h1>${STYLE}
<p class="scope">${
    operator
      ? `Angka desa/kelurahan Anda saja (${figures.villages.join(', ')}).`
      : 'Angka seluruh desa dan kelurahan kabupaten.'
  } Dihitung ${figures.generatedAt.slice(0, 16).replace('T', ' ')} UTC.</p>
<p class="no-print"><a href="/dashboard/figures" data-download-file="angka-dasbor.json">Unduh angka (JSON)</a></p>
${chartData(figures)}
${
  figures.programmes.length
    ? markup`<section><h2>Kuota per sumber dana</h2>${chartFigure('Kuota terpakai per sumber dana', quotaChart(figures), quotaTable(figures), '')}</section>
${figures.programmes.map((p) => programmeSection(p, operator))}`
    : markup`<p>Belum ada program untuk kabupaten Anda.</p>`
}`.value;
}
