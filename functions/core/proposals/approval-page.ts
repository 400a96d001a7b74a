import { escapeHtml as esc } from '../html/escape';
import { redactText } from '../privacy/mask';
import type { Programme } from '../programmes/programme';
import { monthlyContributionPerPerson } from '../programmes/programme';
import type { Proposal } from './proposal';
import { villageLabel } from './mails';
import { STATUS_TEXT } from './proposal-view';

/** The approval page the mailed link opens. Deciding takes a deliberate POST: mail scanners that follow links decide nothing. */


const page = (title: string, body: string) => `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} - Jaring</title>
<style>body{font-family:system-ui,sans-serif;max-width:42em;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
button{font-size:1.05em;padding:.5em 1.2em;margin:.3em .5em .3em 0;cursor:pointer}
.approve{background:#1b7f3b;color:#fff;border:0}.reject{background:#b3261e;color:#fff;border:0}
textarea{width:100%;min-height:4em}.note{color:#555}</style></head>
<body><h1>${esc(title)}</h1>${body}</body></html>`;

/** The rows every proposal page starts with: what, from where, and how validation went. */
function summaryRows(p: Proposal, programme: Programme | undefined): [string, string][] {
  const c = p.counts;
  return [
    ['Program', programme ? `${programme.name} (${programme.id})` : p.programmeId],
    ['Desa/Kelurahan', villageLabel(p.villageCode)],
    ['Berkas', redactText(p.fileName)],
    ['Status', STATUS_TEXT[p.status]],
    ['Baris', String(c?.rows ?? 0)],
    ['Valid', String(c?.valid ?? 0)],
    ['Tidak valid', String(c?.invalid ?? 0)],
    ['Melebihi kuota', String(c?.overQuota ?? 0)],
  ];
}

const table = (rows: [string, string][]) => `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;

const issuesList = (p: Proposal) =>
  p.topIssues?.length ? `<h2>Masalah terbanyak</h2><ul>${p.topIssues.map((i) => `<li>${i.rows} baris: ${esc(redactText(i.example))}</li>`).join('')}</ul>` : '';

export function approvalPage(p: Proposal, programme: Programme | undefined, links: { action: string; report?: string }, code: string): string {
  const c = p.counts;
  const rows = summaryRows(p, programme);
  if (programme && c) rows.push(['Iuran per bulan (pekerja valid)', `Rp${(c.valid * monthlyContributionPerPerson(programme)).toLocaleString('id-ID')}`]);
  const summary = table(rows);
  // The report holds every row whole: the approver opens it signed in, from the proposal's page.
  const report = `${issuesList(p)}${links.report ? `<p><a href="${esc(links.report)}">Buka rincian usulan dan laporan validasi (perlu masuk)</a></p>` : ''}`;
  if (p.status !== 'AWAITING_APPROVAL') {
    return page('Usulan sudah diputuskan', `${summary}${report}<p>Usulan ini tidak lagi menunggu persetujuan (${esc(STATUS_TEXT[p.status])}).</p>`);
  }
  const form = `<form method="post" action="${esc(links.action)}">
<input type="hidden" name="code" value="${esc(code)}">
<p><label for="note">Catatan (wajib bila menolak):</label><br><textarea id="note" name="note"></textarea></p>
<button class="approve" type="submit" name="decision" value="APPROVED">Setujui ${c?.valid ?? 0} pekerja</button>
<button class="reject" type="submit" name="decision" value="REJECTED">Tolak usulan</button>
</form><p class="note">Batas waktu keputusan: ${esc(p.approval?.expiresAt.slice(0, 10) ?? '-')}.</p>`;
  return page('Persetujuan usulan pekerja rentan', `${summary}${report}${form}`);
}

export function decisionPage(title: string, message: string): string {
  return page(title, `<p>${esc(message)}</p>`);
}

/**
 * The proposal as a page, for a signed-in person who opens the link in a mail (the console's shell
 * fetches it with their token). Downloads and actions are links the shell's script carries out with
 * the token; they appear only for those the policy lets do them, and the API checks again.
 */
export function proposalPage(p: Proposal, programme: Programme | undefined, links: { reportXlsx?: string; reportJson?: string; redrive?: string; cancel?: string }): string {
  const rows = summaryRows(p, programme);
  rows.push(['Terdaftar di BPJS', String(p.enrolled)], ['Ditolak BPJS', String(p.rejectedByBpjs)], ['Diunggah', p.createdAt.replace('T', ' ').slice(0, 16)]);
  if (p.reason) rows.push(['Alasan', redactText(p.reason.message)]);
  if (p.approval?.note) rows.push(['Catatan Kepala Dinas', redactText(p.approval.note)]);
  const downloads = [
    links.reportXlsx ? `<a href="${esc(links.reportXlsx)}" data-download>Laporan validasi (Excel): perbaiki baris lalu unggah ulang</a>` : '',
    links.reportJson ? `<a href="${esc(links.reportJson)}" data-download>Laporan (JSON)</a>` : '',
  ].filter(Boolean);
  const actions = [
    links.redrive ? `<form data-action="${esc(links.redrive)}" data-confirm="Jalankan ulang usulan ini?"><button type="submit">Jalankan ulang</button></form>` : '',
    links.cancel
      ? `<form data-action="${esc(links.cancel)}" data-confirm="Batalkan usulan ini dan lepaskan kuota serta NIK pekerjanya?"><label for="note">Alasan pembatalan</label><textarea id="note" name="note" required></textarea><button type="submit">Batalkan usulan</button></form>`
      : '',
  ].join('');
  const refused = p.bpjsRejections?.length
    ? `<h2>Ditolak BPJS Ketenagakerjaan (${p.rejectedByBpjs})</h2><table><tr><th>Baris</th><th>NIK</th><th>Alasan</th></tr>${p.bpjsRejections
        .map((r) => `<tr><td>${r.row}</td><td>${esc(r.nik)}</td><td>${esc(r.message)}</td></tr>`)
        .join('')}</table>${p.rejectedByBpjs > p.bpjsRejections.length ? `<p>Daftar lengkap ada di laporan validasi.</p>` : ''}`
    : '';
  return page(`Usulan ${redactText(p.fileName)}`, `${table(rows)}${refused}${issuesList(p)}${downloads.length ? `<p>${downloads.join('<br>')}</p>` : ''}${actions}`);
}
