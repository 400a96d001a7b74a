import { redactText } from '../core/privacy/mask';
import { monthlyContributionPerPerson, type Programme } from '../core/programmes/programme';
import type { Proposal } from '../core/proposals/proposal';
import { STATUS_TEXT } from '../core/proposals/proposal-view';
import { villageLabel } from '../core/regions/village-label';
import { markup, LINK_PAGE_STYLE, page, type SafeHtml } from './html';

/**
 * The approval page the mailed link opens. Deciding takes a deliberate POST: mail scanners that follow links decide
 * nothing.
 */

const titled = (title: string, body: SafeHtml) =>
  page({ title, style: LINK_PAGE_STYLE, body: markup`<h1>${title}</h1>${body}` });

/** The rows every proposal page starts with: what, from where, and how validation went. */
function summaryRows(p: Proposal, programme: Programme | undefined): [string, string][] {
  const c = p.counts;
  return [
    ['Program', programme ? `${programme.name} (${programme.id})` : p.programmeId],
    ...(programme ? ([['Kabupaten', programme.regency.name]] as [string, string][]) : []),
    ['Desa/Kelurahan', villageLabel(p.villageCode)],
    ['Berkas', redactText(p.fileName)],
    ['Status', STATUS_TEXT[p.status]],
    ['Baris', String(c?.rows ?? 0)],
    ['Valid', String(c?.valid ?? 0)],
    ['Tidak valid', String(c?.invalid ?? 0)],
    ['Melebihi kuota', String(c?.overQuota ?? 0)],
  ];
}

const table = (rows: [string, string][]) =>
  markup`<table>${rows.map(([k, v]) => markup`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>`;

const issuesList = (p: Proposal) =>
  p.topIssues?.length
    ? markup`<h2>Masalah terbanyak</h2><ul>${p.topIssues.map((i) => markup`<li>${i.rows} baris: ${redactText(i.example)}</li>`)}</ul>`
    : undefined;

export function approvalPage(
  p: Proposal,
  programme: Programme | undefined,
  links: { action: string; report?: string },
  code: string,
): string {
  const c = p.counts;
  const rows = summaryRows(p, programme);
  if (programme && c)
    rows.push([
      `Iuran ${programme.benefits.join('+')} per bulan (pekerja valid)`,
      `Rp${(c.valid * monthlyContributionPerPerson(programme)).toLocaleString('id-ID')}`,
    ]);
  const summary = table(rows);
  // The report holds every row whole: the approver opens it signed in, from the proposal's page.
  const report = markup`${issuesList(p)}${
    links.report
      ? markup`<p><a href="${links.report}">Buka rincian usulan dan laporan validasi (perlu masuk)</a></p>`
      : undefined
  }`;
  if (p.status !== 'AWAITING_APPROVAL') {
    return titled(
      'Usulan sudah diputuskan',
      markup`${summary}${report}<p>Usulan ini tidak lagi menunggu persetujuan (${STATUS_TEXT[p.status]}).</p>`,
    );
  }
  const form = markup`<form method="post" action="${links.action}">
<input type="hidden" name="code" value="${code}">
<p><label for="note">Catatan (wajib bila menolak):</label><br><textarea id="note" name="note"></textarea></p>
<button class="approve" type="submit" name="decision" value="APPROVED">Setujui ${c?.valid ?? 0} pekerja</button>
<button class="reject" type="submit" name="decision" value="REJECTED">Tolak usulan</button>
</form><p class="note">Batas waktu keputusan: ${p.approval?.expiresAt.slice(0, 10) ?? '-'}.</p>`;
  return titled('Persetujuan usulan pekerja rentan', markup`${summary}${report}${form}`);
}

export function decisionPage(title: string, message: string): string {
  return titled(title, markup`<p>${message}</p>`);
}

/**
 * The proposal as a page, for a signed-in person who opens the link in a mail (the console's shell
 * fetches it with their token). Downloads and actions are links the shell's script carries out with
 * the token; they appear only for those the policy lets do them, and the API checks again.
 */
export function proposalPage(
  p: Proposal,
  programme: Programme | undefined,
  links: { reportXlsx?: string; reportJson?: string; redrive?: string; cancel?: string },
  /** Whether the viewer may upload the village's next file: only they are told to fix rows and upload again. */
  mayUpload = false,
): string {
  const rows = summaryRows(p, programme);
  rows.push(
    ['Terdaftar di BPJS', String(p.enrolled)],
    ['Ditolak BPJS', String(p.rejectedByBpjs)],
    ['Diunggah', p.createdAt.replace('T', ' ').slice(0, 16)],
  );
  if (p.reason) rows.push(['Alasan', redactText(p.reason.message)]);
  if (p.approval?.note) rows.push(['Catatan Kepala Dinas', redactText(p.approval.note)]);
  const downloads = [
    links.reportXlsx
      ? markup`<a href="${links.reportXlsx}" data-download>Laporan validasi (Excel)${mayUpload ? ': perbaiki baris lalu unggah ulang' : ''}</a>`
      : undefined,
    links.reportJson ? markup`<a href="${links.reportJson}" data-download>Laporan (JSON)</a>` : undefined,
  ].filter((d) => d !== undefined);
  const actions = [
    links.redrive
      ? markup`<form data-action="${links.redrive}" data-confirm="Jalankan ulang usulan ini?"><button type="submit">Jalankan ulang</button></form>`
      : undefined,
    links.cancel
      ? markup`<form data-action="${links.cancel}" data-confirm="Batalkan usulan ini dan lepaskan kuota serta NIK pekerjanya?"><label for="note">Alasan pembatalan</label><textarea id="note" name="note" required></textarea><button type="submit">Batalkan usulan</button></form>`
      : undefined,
  ];
  const refused = p.bpjsRejections?.length
    ? markup`<h2>Ditolak BPJS Ketenagakerjaan (${p.rejectedByBpjs})</h2><table><tr><th>Baris</th><th>NIK</th><th>Alasan</th></tr>${p.bpjsRejections.map(
        (r) => markup`<tr><td>${r.row}</td><td>${r.nik}</td><td>${r.message}</td></tr>`,
      )}</table>${p.rejectedByBpjs > p.bpjsRejections.length ? markup`<p>Daftar lengkap ada di laporan validasi.</p>` : undefined}`
    : undefined;
  const downloadList = downloads.length
    ? markup`<p>${downloads.map((d, i) => (i ? markup`<br>${d}` : d))}</p>`
    : undefined;
  return titled(
    `Usulan ${redactText(p.fileName)}`,
    markup`${table(rows)}${refused}${issuesList(p)}${downloadList}${actions}`,
  );
}
