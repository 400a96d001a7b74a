import type { SearchKind, SearchQuery, SearchRow } from '../core/audit/search';
import type { Timeline, TimelineEntry } from '../core/audit/timeline';
import type { Programme } from '../core/programmes/programme';
import type { Village } from '../core/regions/villages';
import { markup, trusted, type SafeHtml } from './html';

/**
 * The auditor's console pages (issue 11), in Bahasa Indonesia: the home page by role, search and an
 * entity's timeline. Fragments the console's shell puts in its page (functions/pages/app-script.ts),
 * from the same rows the JSON answers and the exports carry. Nothing here changes anything: the
 * search form is a GET, the rest are links; the actions a role may take are on the records' own
 * pages, and only for whom the policy lets act.
 */

const KIND_TEXT: Record<SearchKind, string> = {
  proposal: 'Usulan',
  participant: 'Peserta',
  bill: 'Tagihan iuran',
  claim: 'Klaim',
};

/** What a status filter may be, by kind, for the form's groups. */
export type StatusChoices = Partial<Record<SearchKind, [string, string][]>>;

const villageName = (v: Village) => `${v.kind === 'desa' ? 'Desa' : 'Kelurahan'} ${v.name}`;

/**
 * Prints and phones: the table scrolls within itself on a phone, and the form and downloads stay off
 * paper. After the page's first element: a leading <style> would go to the head of the shell's parse.
 */
const STYLE = trusted(`<style>
.verdict{padding:.6em .8em;border-radius:4px;margin:1em 0}.verdict.ok{background:#e7f4ea;color:#1b5e20}
.verdict.broken{background:#fde7e6;color:#8c1d18;font-weight:bold}.verdict.unknown{background:#f1f1f1}
tr.broken td{background:#fde7e6}.steps{margin:.2em 0 0 1em;padding:0;font-size:.9em;color:#444}
.downloads a{margin-right:1em}.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(12em,1fr));gap:0 1em}
@media print{header,nav,form,.downloads,.no-print{display:none}a{color:inherit;text-decoration:none}table{display:table;font-size:9pt}}
</style>`);

const option = (value: string, label: string, selected: string | undefined) =>
  markup`<option value="${value}"${value === (selected ?? '') ? markup` selected` : undefined}>${label}</option>`;

/** The query as a link's query string (empty fields left out), with extra fields such as the format. */
function queryString(query: Partial<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  return params.toString();
}

function downloads(path: string, query: Record<string, string | undefined>, stem: string): SafeHtml {
  const link = (format: 'csv' | 'xlsx', label: string) =>
    markup`<a href="${`${path}?${queryString({ ...query, format })}`}" data-download-file="${`${stem}.${format}`}">${label}</a>`;
  return markup`<p class="downloads">Unduh: ${link('xlsx', 'Excel (XLSX)')} ${link('csv', 'CSV')}</p>`;
}

/** The search form and, once asked, its answer; every row links to its timeline. */
export function searchPage(input: {
  query: SearchQuery;
  kinds: SearchKind[];
  villages: readonly Village[];
  programmes: readonly Programme[];
  statuses: StatusChoices;
  answer?: { rows: SearchRow[]; truncated: boolean };
  fileStem: string;
}): string {
  const { query, answer } = input;
  const districts = [...new Map(input.villages.map((v) => [v.districtCode, v.districtName])).entries()];
  const form = markup`<form method="get" action="/app/search" class="no-print">
<div class="filters">
<div><label for="kind">Jenis</label><select id="kind" name="kind">${input.kinds.map((k) => option(k, KIND_TEXT[k], query.kind))}</select></div>
<div><label for="kecamatan">Kecamatan</label><select id="kecamatan" name="kecamatan">${option('', 'Semua', query.kecamatan)}${districts.map(
    ([code, name]) => option(code, `${name} (${code})`, query.kecamatan),
  )}</select></div>
<div><label for="village">Desa/Kelurahan</label><select id="village" name="village">${option('', 'Semua', query.village)}${input.villages.map(
    (v) => option(v.code, `${villageName(v)}, Kec. ${v.districtName} (${v.code})`, query.village),
  )}</select></div>
<div><label for="programme">Program</label><select id="programme" name="programme">${option('', 'Semua', query.programme)}${input.programmes.map(
    (p) => option(p.id, `${p.name} (${p.id})`, query.programme),
  )}</select></div>
<div><label for="status">Status</label><select id="status" name="status">${option('', 'Semua', query.status)}${input.kinds.map(
    (k) =>
      markup`<optgroup label="${KIND_TEXT[k]}">${(input.statuses[k] ?? []).map(([code, text]) => option(code, text, query.status))}</optgroup>`,
  )}</select></div>
<div><label for="from">Dari tanggal</label><input id="from" name="from" type="date" value="${query.from ?? ''}"></div>
<div><label for="to">Sampai tanggal</label><input id="to" name="to" type="date" value="${query.to ?? ''}"></div>
<div><label for="nik">NIK (16 angka, lengkap)</label><input id="nik" name="nik" inputmode="numeric" pattern="[0-9]{16}" autocomplete="off"></div>
</div>
<button type="submit">Cari</button></form>`;
  const filters = {
    kind: query.kind,
    village: query.village,
    kecamatan: query.kecamatan,
    programme: query.programme,
    status: query.status,
    from: query.from,
    to: query.to,
    nik: query.nik,
  };
  const results = answer
    ? answer.rows.length
      ? markup`<p>${answer.rows.length} ${KIND_TEXT[query.kind].toLowerCase()} ditemukan${
          answer.truncated ? ' (dibatasi; persempit pencarian untuk melihat sisanya)' : ''
        }. NIK disamarkan.</p>
${downloads('/search', filters, input.fileStem)}
<table><tr><th>${KIND_TEXT[query.kind]}</th><th>Desa/Kelurahan</th><th>Program</th><th>Status</th><th>Tanggal</th><th>Riwayat</th></tr>${answer.rows.map(
          (r) =>
            markup`<tr><td>${r.links.record ? markup`<a href="${`/app${r.links.record}`}">${r.title}</a>` : r.title}${
              r.nik && r.kind !== 'participant' ? markup`<br>NIK ${r.nik}` : undefined
            }</td><td>${r.village ?? '-'}${r.kecamatan ? markup`<br>Kec. ${r.kecamatan}` : undefined}</td><td>${r.programmeId}</td><td>${r.statusText}</td><td>${r.date.replace('T', ' ').slice(0, 16)}</td><td><a href="${`/app${r.links.timeline}`}">Lihat riwayat</a></td></tr>`,
        )}</table>`
      : markup`<p>Tidak ada ${KIND_TEXT[query.kind].toLowerCase()} yang cocok.</p>`
    : undefined;
  return markup`<h1>Cari rekaman</h1>${STYLE}
<p>Usulan, peserta, tagihan dan klaim di desa/kelurahan yang dapat Anda lihat. Setiap baris menuju riwayatnya: siapa melakukan apa, kapan, dan apakah catatannya utuh.</p>
${form}${results}`.value;
}

function entryRow(e: TimelineEntry): SafeHtml {
  const steps = e.steps.length
    ? markup`<ul class="steps">${e.steps.map(
        (s) =>
          markup`<li><time datetime="${s.at}">${s.time}</time> ${s.name}: ${s.typeText}${s.error ? markup` (${s.error})` : undefined}</li>`,
      )}</ul>`
    : undefined;
  const links = e.links.map(
    (l) => markup`<a href="${l.href}"${l.kind === 'download' ? markup` data-download` : undefined}>${l.label}</a> `,
  );
  return markup`<tr${e.broken ? markup` class="broken"` : undefined} data-action="${e.action}"><td>${e.position ?? ''}</td><td><time datetime="${e.at}">${e.time}</time></td><td>${e.actor}</td><td><strong>${e.label}</strong>${
    e.broken ? markup`<br>Rantai rusak di sini` : undefined
  }</td><td>${e.summary}${steps}</td><td>${links}</td></tr>`;
}

/** An entity's timeline: the chain's verdict first, then every event in order with its steps and links. */
export function timelinePage(t: Timeline, links: { self: string; record?: string; fileStem: string }): string {
  const state = t.verdict.ok === undefined ? 'unknown' : t.verdict.ok ? 'ok' : 'broken';
  const executions = t.executions.length
    ? markup`<p>Alur kerja: ${t.executions.map(
        (x, i) =>
          markup`${i ? ', ' : undefined}${x.stateMachine} (${x.status}, ${x.source === 'archive' ? 'dari arsip' : 'dari Step Functions'})`,
      )}.</p>`
    : undefined;
  return markup`<h1>Riwayat ${t.title}</h1>${STYLE}
<p>Rekaman: <code>${t.entity}</code>${links.record ? markup` &middot; <a href="${links.record}">Buka rekaman</a>` : undefined}</p>
<p class="verdict ${state}" id="verdict" role="status">${t.verdict.text}</p>
${executions}
${downloads(links.self, {}, links.fileStem)}
${
  t.entries.length
    ? markup`<table id="timeline"><tr><th>No</th><th>Waktu (WIB)</th><th>Pelaku</th><th>Peristiwa</th><th>Keterangan dan langkah alur kerja</th><th>Hasil</th></tr>${t.entries.map(entryRow)}</table>`
    : markup`<p>Belum ada peristiwa.</p>`
}`.value;
}

/** Where each role starts: an operator's villages, their records, the template and the upload; others search. */
export function homePage(input: {
  username: string;
  villages: readonly Village[];
  programmes: readonly Programme[];
  may: { upload: boolean; fileClaim: boolean; bills: boolean; regency: boolean };
}): string {
  const { villages, programmes, may } = input;
  const search = (kind: SearchKind, village?: string) =>
    `/app/search?${queryString({ kind, village: village ?? undefined })}`;
  const village = (
    v: Village,
  ) => markup`<tr><th>${villageName(v)}<br><small>Kec. ${v.districtName} (${v.code})</small></th>
<td><a href="${search('proposal', v.code)}">Usulan dan laporan</a> &middot; <a href="${search('participant', v.code)}">Peserta</a> &middot; <a href="${search('claim', v.code)}">Klaim</a></td></tr>`;
  const templates = programmes.map(
    (p, i) =>
      markup`${i ? markup` &middot; ` : undefined}<a href="/programmes/${p.id}/template" data-download-file="templat-usulan-${p.id}.xlsx">${p.name}</a>`,
  );
  const work = [
    may.upload ? markup`<li><a href="/app/uploads/new">Unggah usulan</a></li>` : undefined,
    may.fileClaim ? markup`<li><a href="/app/claims/new">Ajukan klaim</a></li>` : undefined,
  ].filter(Boolean);
  return markup`<h1>Beranda</h1>${STYLE}
<p>Masuk sebagai ${input.username}.</p>
${
  !may.regency && villages.length
    ? markup`<h2>Desa/kelurahan Anda</h2><table>${villages.map(village)}</table>`
    : markup`<h2>Kabupaten</h2><ul>
<li><a href="${search('proposal')}">Cari usulan</a></li>
<li><a href="${search('participant')}">Cari peserta</a></li>
${may.bills ? markup`<li><a href="${search('bill')}">Cari tagihan iuran</a> &middot; <a href="/app/bills">Daftar tagihan</a></li>` : undefined}
<li><a href="${search('claim')}">Cari klaim</a></li>
<li><a href="/app/dashboard">Dasbor</a></li></ul>`
}
${work.length ? markup`<h2>Pekerjaan</h2><ul>${work}</ul>` : undefined}
${programmes.length && may.upload ? markup`<h2>Templat usulan</h2><p>${templates}</p>` : undefined}`.value;
}
