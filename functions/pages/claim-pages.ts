import type { ClaimType, DocumentType, Relationship } from '../core/claims/claim';
import type { ClaimDetail, ClaimRow } from '../core/claims/use-cases/claim-views';
import type { Programme } from '../core/programmes/programme';
import { villageLabel } from '../core/regions/village-label';
import { markup, page, LINK_PAGE_STYLE, type SafeHtml } from './html';

/**
 * The console's claim pages, in Bahasa Indonesia and phone-sized (a village office files from a
 * phone): fragments the console's shell (functions/pages/app-script.ts) puts in its page, from the
 * same views the JSON answers carry, plus the approval page the mailed link opens. Buttons appear
 * only for whom the policy lets act; the API checks again.
 */

const rupiah = (n: number) => `Rp${n.toLocaleString('id-ID')}`;
const TYPE_TEXT: Record<ClaimType, string> = {
  JKM: 'JKM: meninggal dunia (bukan kecelakaan kerja)',
  JKK: 'JKK: kecelakaan kerja',
  JKK_DEATH: 'JKK: meninggal dunia karena kecelakaan kerja',
};
const RELATIONSHIP_TEXT: Record<Relationship, string> = {
  SPOUSE: 'Janda/duda',
  CHILD: 'Anak',
  PARENT: 'Orang tua',
  GRANDCHILD: 'Cucu',
  GRANDPARENT: 'Kakek/nenek',
  SIBLING: 'Saudara kandung',
  PARENT_IN_LAW: 'Mertua',
  WILL_NAMED: 'Ditunjuk dalam wasiat',
};
const DECISION_TEXT: Record<ClaimDetail['decisions'][number]['action'], string> = {
  VERIFIED: 'Diverifikasi',
  APPROVED: 'Disetujui',
  REJECTED: 'Ditolak',
  RECLASSIFIED: 'Diklasifikasi ulang',
  FLAGGED: 'Ditandai',
  REFUSED: 'Ditolak pemeriksaan',
};
/** How many heirs the filing form offers; a family with more files the rest through the API. */
const HEIR_ROWS = 3;

const at = (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '-');
const facts = (rows: [string, string | SafeHtml][]) =>
  markup`<table>${rows.map(([k, v]) => markup`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>`;
const options = (items: [string, string][], selected?: string) =>
  items.map(
    ([v, label]) => markup`<option value="${v}"${v === selected ? markup` selected` : undefined}>${label}</option>`,
  );

/** The filing form: the participant, what happened and the heirs with their bank accounts. */
export function claimFilingPage(programmes: Programme[]): string {
  const heir = (i: number) => markup`<fieldset><legend>Ahli waris ${i + 1}${i ? ' (bila ada)' : ''}</legend>
<label for="h${i}nik">NIK</label><input id="h${i}nik" name="heirs.${i}.nik" inputmode="numeric" pattern="[0-9]{16}"${i ? undefined : markup` data-death-required`}>
<label for="h${i}name">Nama (sesuai KTP)</label><input id="h${i}name" name="heirs.${i}.name">
<label for="h${i}rel">Hubungan dengan peserta</label><select id="h${i}rel" name="heirs.${i}.relationship">${options(
    Object.entries(RELATIONSHIP_TEXT),
  )}</select>
<label for="h${i}bank">Bank</label><input id="h${i}bank" name="heirs.${i}.bank">
<label for="h${i}acc">Nomor rekening</label><input id="h${i}acc" name="heirs.${i}.accountNumber" inputmode="numeric" pattern="[0-9]{5,20}">
<label for="h${i}holder">Nama pemilik rekening</label><input id="h${i}holder" name="heirs.${i}.holder">
<label><input type="checkbox" name="heirs.${i}.recipient" value="true"> Penerima manfaat</label></fieldset>`;
  return markup`<h1>Ajukan klaim</h1>
<p>Untuk peserta yang meninggal dunia (JKM) atau mengalami kecelakaan kerja (JKK). Dokumen diunggah setelah klaim tercatat.</p>
<form data-action="/claims" data-confirm="Ajukan klaim ini?">
<label for="type">Jenis klaim</label><select id="type" name="type" required>${options(Object.entries(TYPE_TEXT))}</select>
<label for="programmeId">Program (kosongkan bila tidak tahu)</label><select id="programmeId" name="programmeId"><option value="">-</option>${options(
    programmes.map((p) => [p.id, `${p.name} (${p.id})`]),
  )}</select>
<label for="nik">NIK peserta</label><input id="nik" name="nik" inputmode="numeric" pattern="[0-9]{16}">
<label for="kpj">atau nomor KPJ</label><input id="kpj" name="kpj">
<label for="eventDate">Tanggal kejadian</label><input id="eventDate" name="eventDate" type="date" required>
<label for="description">Kronologi kejadian</label><textarea id="description" name="description" minlength="10" required></textarea>
<label for="declaredIncome">Penghasilan yang dilaporkan per bulan (JKK; kosongkan untuk nilai program)</label><input id="declaredIncome" name="declaredIncome" inputmode="numeric" pattern="[0-9]*">
<label for="incapacityDays">Hari tidak mampu bekerja menurut dokter (JKK)</label><input id="incapacityDays" name="incapacityDays" inputmode="numeric" pattern="[0-9]*">
${Array.from({ length: HEIR_ROWS }, (_, i) => heir(i))}
<button type="submit">Ajukan klaim</button><p class="msg" role="status"></p>
</form>`.value;
}

/** One claim: facts, reasons, the benefit line by line, documents, heirs, decisions, payouts, the actions allowed. */
export function claimPage(
  c: ClaimDetail,
  links: { uploadDocument?: string; documents?: string; verify?: string; reject?: string },
  /** The version shown: a verification or rejection from this page is refused if the claim changed since. */
  version?: number,
): string {
  const issues = c.issues.length
    ? markup`<h2>Hasil pemeriksaan</h2><ul>${c.issues.map(
        (i) => markup`<li>${i.severity === 'REFUSAL' ? 'Ditolak: ' : 'Perhatian: '}${i.message}</li>`,
      )}</ul>`
    : undefined;
  const benefit = c.benefit
    ? markup`<h2>Perhitungan manfaat</h2><table><tr><th>Manfaat</th><th>Jumlah</th><th>Dasar</th></tr>${c.benefit.parts.map(
        (p) => markup`<tr><td>${p.label}</td><td>${rupiah(p.amount)}</td><td>${p.explanation}</td></tr>`,
      )}<tr><th>Jumlah</th><th>${rupiah(c.benefit.total)}</th><td>${c.benefit.legalBasis}</td></tr></table>${
        c.benefit.scholarship ? markup`<p>Beasiswa: ${c.benefit.scholarship.reason}</p>` : undefined
      }`
    : undefined;
  const missing = c.requiredDocuments.filter((d) => !d.present);
  // The file itself through a one-minute link the console's script asks for (audited), for whom may check it.
  const received = (d: ClaimDetail['requiredDocuments'][number]) =>
    markup` (diterima ${at(d.receivedAt)}${
      links.documents ? markup`, <a href="${links.documents}${d.type}" data-download>lihat</a>` : undefined
    })`;
  const documents = markup`<h2>Dokumen</h2><ul>${c.requiredDocuments.map(
    (d) => markup`<li>${d.present ? '✔' : '✘'} ${d.label}${d.present ? received(d) : undefined}</li>`,
  )}</ul>${
    links.uploadDocument && missing.length
      ? markup`<form data-claim-document="${links.uploadDocument}">
<label for="documentType">Unggah dokumen</label><select id="documentType" name="documentType">${options(
          missing.map((d): [DocumentType, string] => [d.type, d.label]),
        )}</select>
<label for="file">Berkas (foto atau PDF)</label><input id="file" name="file" type="file" accept="image/*,.pdf" required>
<button type="submit">Unggah</button><p class="msg" role="status"></p></form>`
      : undefined
  }`;
  const heirs = c.heirs.length
    ? markup`<h2>Ahli waris</h2><table><tr><th>Nama</th><th>Hubungan</th><th>NIK</th><th>Rekening</th></tr>${c.heirs.map(
        (h) =>
          markup`<tr><td>${h.name}${h.recipient ? ' (penerima)' : undefined}</td><td>${RELATIONSHIP_TEXT[h.relationship]}</td><td>${h.nik}</td><td>${h.bankAccount.bank} ${h.bankAccount.number} a.n. ${h.bankAccount.holder}</td></tr>`,
      )}</table>${c.whole ? undefined : markup`<p>NIK dan nomor rekening disamarkan.</p>`}`
    : undefined;
  const decisions = markup`<h2>Keputusan</h2>${
    c.decisions.length
      ? markup`<ul>${c.decisions.map(
          (d) =>
            markup`<li>${at(d.at)}: ${DECISION_TEXT[d.action]} oleh ${d.by}${d.reason ? markup`: ${d.reason}` : undefined}</li>`,
        )}</ul>`
      : markup`<p>Belum ada keputusan.</p>`
  }`;
  const payouts = markup`<h2>Pembayaran</h2>${
    c.payouts.length
      ? markup`<table><tr><th>Ahli waris (NIK)</th><th>Jumlah</th><th>Tanggal</th><th>Referensi bank</th></tr>${c.payouts.map(
          (p) =>
            markup`<tr><td>${p.heirNik}</td><td>${rupiah(p.amount)}</td><td>${p.paidOn}</td><td>${p.bankReference}</td></tr>`,
        )}</table>`
      : markup`<p>Belum ada pembayaran.</p>`
  }`;
  const shown = version === undefined ? undefined : markup`<input type="hidden" name="version" value="${version}">`;
  const actions = [
    links.verify
      ? markup`<form data-action="${links.verify}" data-confirm="Dokumen dan perhitungan sudah diperiksa? Klaim akan diteruskan ke pemberi persetujuan.">${shown}<label for="verifyNote">Catatan verifikasi</label><textarea id="verifyNote" name="note"></textarea><button type="submit">Tandai terverifikasi</button></form>`
      : undefined,
    links.reject
      ? markup`<form data-action="${links.reject}" data-confirm="Tolak klaim ini?">${shown}<label for="rejectReason">Alasan penolakan</label><textarea id="rejectReason" name="reason" required minlength="5"></textarea><button type="submit">Tolak klaim</button></form>`
      : undefined,
  ];
  return markup`<h1>Klaim ${c.type} ${c.id}</h1>
${facts([
  ['Status', c.statusText],
  ['Jenis', TYPE_TEXT[c.type]],
  ['Peserta (NIK)', c.nik],
  ['KPJ', c.kpj],
  ['Desa/Kelurahan', villageLabel(c.villageCode)],
  ['Program', c.programmeId],
  ['Tanggal kejadian', c.eventDate],
  ['Kronologi', c.description],
  ['Diajukan', `${at(c.filedAt)} oleh ${c.filedBy}`],
])}
${issues}${benefit}${documents}${heirs}${decisions}${payouts}${actions}`.value;
}

/** Claims of a village, a participant or a programme, newest first; NIKs masked; the filing link for who may file. */
export function claimsPage(title: string, rows: ClaimRow[], options: { nextPage?: string; mayFile: boolean }): string {
  const { nextPage, mayFile } = options;
  return markup`<h1>${title}</h1>
${mayFile ? markup`<p><a href="/app/claims/new">Ajukan klaim baru</a></p>` : undefined}
${
  rows.length
    ? markup`<table><tr><th>Klaim</th><th>NIK</th><th>Status</th><th>Manfaat</th><th>Dibayar</th></tr>${rows.map(
        (r) =>
          markup`<tr><td><a href="/app/claims/${r.id}">${r.type} ${r.eventDate}</a></td><td>${r.nik}</td><td>${r.statusText}</td><td>${r.benefitTotal === undefined ? '-' : rupiah(r.benefitTotal)}</td><td>${rupiah(r.paid)}</td></tr>`,
      )}</table>`
    : markup`<p>Belum ada klaim.</p>`
}
${nextPage ? markup`<p><a href="${nextPage}">Halaman berikutnya</a></p>` : undefined}`.value;
}

/** What a programme paid to heirs, month by month. */
export function claimTotalsPage(
  programmeId: string,
  totals: { month: string; amount: number; payouts: number; claims: number }[],
): string {
  return markup`<h1>Manfaat dibayar: ${programmeId}</h1>
${
  totals.length
    ? markup`<table><tr><th>Bulan</th><th>Jumlah</th><th>Transfer</th><th>Klaim</th></tr>${totals.map(
        (t) =>
          markup`<tr><td>${t.month}</td><td>${rupiah(t.amount)}</td><td>${t.payouts}</td><td>${t.claims}</td></tr>`,
      )}</table>`
    : markup`<p>Belum ada manfaat yang dibayar.</p>`
}`.value;
}

/**
 * The page behind the approval link in the mail: the claim's amounts and checks, never a NIK whole or
 * an account, and the two buttons. The link's code is the credential, as for proposals.
 */
export function claimApprovalPage(c: ClaimDetail, links: { action: string; console: string }, code: string): string {
  const summary = facts([
    ['Klaim', `${TYPE_TEXT[c.type]}`],
    ['Peserta (NIK)', c.nik],
    ['Desa/Kelurahan', villageLabel(c.villageCode)],
    ['Tanggal kejadian', c.eventDate],
    ['Manfaat', c.benefit ? rupiah(c.benefit.total) : '-'],
    ['Status', c.statusText],
  ]);
  const decisions = c.decisions.length
    ? markup`<ul>${c.decisions.map((d) => markup`<li>${at(d.at)}: ${DECISION_TEXT[d.action]} oleh ${d.by}</li>`)}</ul>`
    : undefined;
  const more = markup`<p><a href="${links.console}">Buka rincian klaim dan dokumen (perlu masuk)</a></p>`;
  const body =
    c.status !== 'AWAITING_APPROVAL'
      ? markup`${summary}${decisions}${more}<p>Klaim ini tidak sedang menunggu persetujuan (${c.statusText}).</p>`
      : markup`${summary}${decisions}${more}<form method="post" action="${links.action}">
<input type="hidden" name="code" value="${code}">
<p><label for="note">Catatan (wajib bila menolak):</label><br><textarea id="note" name="note"></textarea></p>
<button class="approve" type="submit" name="decision" value="APPROVED">Setujui klaim</button>
<button class="reject" type="submit" name="decision" value="REJECTED">Tolak klaim</button></form>`;
  return page({ title: 'Persetujuan klaim', style: LINK_PAGE_STYLE, body: markup`<h1>Persetujuan klaim</h1>${body}` });
}

export const claimDecisionPage = (title: string, message: string) =>
  page({ title, style: LINK_PAGE_STYLE, body: markup`<h1>${title}</h1><p>${message}</p>` });
