import type { BillStatus } from '../core/contributions/bill';
import type { billDetail, billSummary, participantRow } from '../core/contributions/contribution-views';
import type { CoverageStatus } from '../core/contributions/coverage';
import { villageLabel } from '../core/regions/village-label';
import { markup } from './html';

/**
 * The console's views of participants and bills, in Bahasa Indonesia: fragments the console's shell
 * puts in its page (functions/pages/app-script.ts), from the same views the JSON answers carry.
 */

const COVERAGE_TEXT: Record<CoverageStatus, string> = {
  ACTIVE: 'Aktif',
  ARREARS: 'Menunggak',
  LAPSED: 'Nonaktif (tunggakan)',
  ENDED: 'Berakhir',
  DECEASED: 'Meninggal dunia',
};
const BILL_TEXT: Record<BillStatus, string> = {
  ISSUED: 'Terbit',
  PARTLY_PAID: 'Dibayar sebagian',
  PAID: 'Lunas',
  OVERDUE: 'Lewat jatuh tempo',
  OVERPAID: 'Lebih bayar',
};
const rupiah = (n: number) => `Rp${n.toLocaleString('id-ID')}`;

/** A village's participants, a page at a time; NIKs masked, as in the JSON list. */
export function participantsPage(input: {
  programmeId: string;
  villageCode: string;
  rows: ReturnType<typeof participantRow>[];
  nextPage?: string;
}): string {
  const rows = input.rows.map(
    (r) =>
      markup`<tr><td>${r.nik}</td><td>${r.kpj ?? '-'}</td><td>${COVERAGE_TEXT[r.status]}</td><td>${r.monthsPaid} dari ${r.monthsBilled}</td><td>${r.continuousPaidMonths}</td></tr>`,
  );
  return markup`<h1>Peserta ${villageLabel(input.villageCode)}</h1>
<p>Program ${input.programmeId}. NIK disamarkan; buka satu peserta dengan NIK lengkapnya (tercatat di riwayat).</p>
${
  input.rows.length
    ? markup`<table><tr><th>NIK</th><th>KPJ</th><th>Status</th><th>Bulan dibayar</th><th>Bulan berturut-turut</th></tr>${rows}</table>`
    : markup`<p>Belum ada peserta.</p>`
}
${input.nextPage ? markup`<p><a href="${input.nextPage}">Halaman berikutnya</a></p>` : undefined}`.value;
}

/** A programme's bills, newest month first. */
export function billsPage(bills: (ReturnType<typeof billSummary> & { links: { self: string } })[]): string {
  const rows = bills.map(
    (b) =>
      markup`<tr><td><a href="/app${b.links.self}">${b.label}</a></td><td>${BILL_TEXT[b.status]}</td><td>${rupiah(b.amount)}</td><td>${rupiah(b.paid)}</td><td>${b.dueDate}</td></tr>`,
  );
  return markup`<h1>Tagihan iuran</h1>
${
  bills.length
    ? markup`<table><tr><th>Bulan</th><th>Status</th><th>Jumlah</th><th>Dibayar</th><th>Jatuh tempo</th></tr>${rows}</table>`
    : markup`<p>Belum ada tagihan.</p>`
}`.value;
}

/** One bill: amounts, villages, payments, and (for finance) the form to record a transfer. */
export function billPage(b: ReturnType<typeof billDetail>, payAction?: string): string {
  const facts: [string, string][] = [
    ['Program', b.programmeId],
    ['Status', BILL_TEXT[b.status]],
    ['Peserta', String(b.participants)],
    ['Iuran per peserta', rupiah(b.perParticipant.total)],
    ['Jumlah', rupiah(b.amount)],
    ['Dibayar', rupiah(b.paid)],
    ['Sisa', rupiah(b.outstanding)],
    ['Lebih bayar', rupiah(b.overpaid)],
    ['Jatuh tempo', b.dueDate],
    ['Kode iuran', b.paymentCode ?? 'belum terbit'],
  ];
  return markup`<h1>Tagihan ${b.label}</h1>
<table>${facts.map(([k, v]) => markup`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>
<h2>Per desa/kelurahan</h2>
<table><tr><th>Desa/Kelurahan</th><th>Peserta</th><th>Jumlah</th></tr>${b.lines.map(
    (l) => markup`<tr><td>${l.village}</td><td>${l.participants}</td><td>${rupiah(l.amount)}</td></tr>`,
  )}</table>
<h2>Pembayaran</h2>
${
  b.payments.length
    ? markup`<table><tr><th>Referensi bank</th><th>Jumlah</th><th>Tanggal bayar</th><th>Dicatat oleh</th></tr>${b.payments.map(
        (p) =>
          markup`<tr><td>${p.bankReference}</td><td>${rupiah(p.amount)}</td><td>${p.paidOn}</td><td>${p.recordedBy}</td></tr>`,
      )}</table>`
    : markup`<p>Belum ada pembayaran.</p>`
}
${
  payAction
    ? markup`<h2>Catat pembayaran</h2>
<form data-action="${payAction}" data-confirm="Catat pembayaran ini? Referensi bank yang sama tidak dapat dicatat dua kali.">
<label for="amount">Jumlah (rupiah, tanpa titik)</label><input id="amount" name="amount" inputmode="numeric" pattern="[0-9]+" required>
<label for="paidOn">Tanggal bayar</label><input id="paidOn" name="paidOn" type="date" required>
<label for="bankReference">Referensi bank</label><input id="bankReference" name="bankReference" required>
<button type="submit">Catat</button></form>`
    : undefined
}`.value;
}
