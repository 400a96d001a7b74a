import * as z from 'zod';
import { monthName } from '../contributions/coverage';
import type { FundingSource } from '../programmes/programme';
import type { DashboardFigures, ProgrammeFigures } from './dashboard-figures';

/**
 * The dashboard's charts as plain data, made from the figures `GET /dashboard/figures` answers: the
 * page carries these specs (and a table of the same numbers beside each), the console's script hands
 * each to Chart.js as it is. Bars only: counts and rupiah per category or month read best as bars,
 * on a phone too.
 */
export const ChartSpec = z.object({
  /** Unique on the page: what the canvas names (`data-chart`) and the browser test finds. */
  id: z.string(),
  title: z.string(),
  /** Horizontal bars, for long category names (desa). */
  horizontal: z.boolean(),
  /** Datasets stacked on one bar (used and remaining quota). */
  stacked: z.boolean(),
  /** Values are rupiah (the axis and tooltips say Rp). */
  money: z.boolean(),
  labels: z.array(z.string()),
  datasets: z.array(z.object({ label: z.string(), data: z.array(z.number()) })),
});
export type ChartSpec = z.infer<typeof ChartSpec>;

export const FUNDING_SOURCE_TEXT: Record<FundingSource, string> = {
  APBD: 'APBD',
  DBH_SAWIT: 'DBH Sawit',
  APBDES: 'APBDes',
};

/** A programme as a bar's label: its funding source and budget year ("APBD 2026"). */
export const programmeLabel = (p: Pick<ProgrammeFigures, 'fundingSource' | 'coverage'>) =>
  `${FUNDING_SOURCE_TEXT[p.fundingSource]} ${p.coverage.start.slice(0, 4)}`;

const desaLabel = (d: { name: string; kecamatan: string }) => `${d.name} (${d.kecamatan})`;

const spec = (s: Omit<ChartSpec, 'horizontal' | 'stacked' | 'money'> & Partial<ChartSpec>): ChartSpec => ({
  horizontal: false,
  stacked: false,
  money: false,
  ...s,
});

/** The quota chart over every programme shown: used and remaining, stacked to the limit. */
export function quotaChart(figures: DashboardFigures): ChartSpec | undefined {
  if (!figures.programmes.length) return undefined;
  return spec({
    id: 'quota',
    title: 'Kuota terpakai per sumber dana',
    stacked: true,
    labels: figures.programmes.map(programmeLabel),
    datasets: [
      { label: 'Terpakai', data: figures.programmes.map((p) => p.quota.used) },
      { label: 'Sisa kuota', data: figures.programmes.map((p) => Math.max(0, p.quota.limit - p.quota.used)) },
    ],
  });
}

/** One programme's charts; a chart with nothing to draw is left out (its table says so). */
export function programmeCharts(p: ProgrammeFigures): {
  kecamatan?: ChartSpec;
  desa?: ChartSpec;
  contributions?: ChartSpec;
  claims?: ChartSpec;
} {
  const id = (what: string) => `${what}:${p.programmeId}`;
  return {
    kecamatan:
      p.participants.total > 0
        ? spec({
            id: id('participants-kecamatan'),
            title: 'Peserta per kecamatan',
            labels: p.participants.byKecamatan.map((k) => k.name),
            datasets: [{ label: 'Peserta', data: p.participants.byKecamatan.map((k) => k.participants) }],
          })
        : undefined,
    desa: p.participants.byDesa.length
      ? spec({
          id: id('participants-desa'),
          title: 'Peserta per desa/kelurahan',
          horizontal: true,
          labels: p.participants.byDesa.map(desaLabel),
          datasets: [{ label: 'Peserta', data: p.participants.byDesa.map((d) => d.participants) }],
        })
      : undefined,
    contributions: p.contributions?.length
      ? spec({
          id: id('contributions'),
          title: 'Iuran ditagih dan dibayar per bulan',
          money: true,
          labels: p.contributions.map((m) => monthName(m.month)),
          datasets: [
            { label: 'Ditagih', data: p.contributions.map((m) => m.billed) },
            { label: 'Dibayar', data: p.contributions.map((m) => m.paid) },
          ],
        })
      : undefined,
    claims: p.claimsPaid.length
      ? spec({
          id: id('claims'),
          title: 'Klaim dibayarkan per bulan',
          money: true,
          labels: p.claimsPaid.map((m) => monthName(m.month)),
          datasets: [{ label: 'Dibayarkan', data: p.claimsPaid.map((m) => m.amount) }],
        })
      : undefined,
  };
}
