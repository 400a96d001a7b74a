import type { Action } from '../core/access/policy';
import type { Principal } from '../core/access/principal';
import type { Programme } from '../core/programmes/programme';
import type { VillageInfo } from '../core/proposals/upload-key';
import { markup, page, trusted, type SafeHtml } from './html';

/**
 * The console's pages, in Bahasa Indonesia. The shell is the same for every /app/ address and
 * holds no data: its script fetches the real page from the API with the user's token.
 */

const STYLE =
  trusted(`body{font-family:system-ui,sans-serif;max-width:46em;margin:0 auto;padding:0 1em 2em;color:#222;line-height:1.4}
header{display:flex;gap:1em;align-items:center;justify-content:space-between;border-bottom:1px solid #ddd;padding:.6em 0;margin-bottom:1em}
header nav{display:flex;flex-wrap:wrap;gap:.3em 1em;justify-content:flex-end}header a,header button{color:#0b57d0;background:none;border:0;font:inherit;cursor:pointer;padding:0}
label{display:block;margin:.8em 0 .2em}input,select,button{font-size:1em;padding:.45em;max-width:100%}
input:not([type=file]):not([type=checkbox]),select,textarea{display:block;width:100%;box-sizing:border-box}
fieldset{margin:1em 0;border:1px solid #ddd}textarea{min-height:5em;font:inherit}
button[type=submit]{display:block;background:#0b57d0;color:#fff;border:0;padding:.55em 1.3em;margin-top:1em;cursor:pointer}
table{border-collapse:collapse;display:block;max-width:100%;overflow-x:auto}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}h1,h2{overflow-wrap:anywhere}
@media (max-width:480px){td,th{padding:.3em .4em}}
.msg{margin-top:1em}.error{color:#b3261e}`);

/** The security policy of every console page: its own script only, calls to the API and to S3 for uploads. */
export const consoleCsp = (uploadOrigins: string[]) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    `connect-src 'self' ${uploadOrigins.join(' ')}`.trim(),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

/**
 * The console's navigation, each link with the action it needs. The shell is the same for everyone (it
 * holds no data), so a link that needs an action starts hidden; the script asks `GET /me` which actions
 * the user may do (functions/core/access/offers.ts) and keeps those links, removing the others: an
 * auditor is offered no upload and no claim to file.
 */
export const NAV_LINKS: readonly { href: string; label: string; needs?: Action }[] = [
  { href: '/app/home', label: 'Beranda' },
  { href: '/app/search', label: 'Cari', needs: 'audit:read' },
  { href: '/app/dashboard', label: 'Dasbor', needs: 'programme:read' },
  { href: '/app/programmes', label: 'Program', needs: 'programme:manage' },
  { href: '/app/uploads/new', label: 'Unggah usulan', needs: 'proposal:upload' },
  { href: '/app/claims/new', label: 'Ajukan klaim', needs: 'claim:file' },
];

const NAV = markup`<header><strong>Jaring</strong><nav>${NAV_LINKS.map(
  (l) => markup`<a href="${l.href}"${l.needs ? markup` data-needs="${l.needs}" hidden` : undefined}>${l.label}</a>`,
)}<button id="signout" type="button">Keluar</button></nav></header>`;

const frame = (title: string, body: SafeHtml, nav = true) =>
  page({
    title,
    style: STYLE,
    script: '/app.js',
    body: markup`${nav ? NAV : undefined}
${body}`,
  });

export const shellPage = () => frame('Memuat', markup`<main id="main"><p class="msg">Memuat ...</p></main>`);

export const signInPage = () =>
  frame(
    'Masuk',
    markup`<main><h1>Masuk ke Jaring</h1>
<form data-signin>
<label for="username">Nama pengguna</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Kata sandi</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="new-password" hidden><label for="newPassword">Kata sandi baru (minimal 12 karakter: huruf besar, huruf kecil, angka, simbol)</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password"></div>
<button type="submit">Masuk</button><p class="msg" role="status"></p>
</form>
<p>Akun dibuat oleh admin Dinas Sosial. Lupa kata sandi atau desa Anda belum terdaftar? Hubungi admin Dinas Sosial.</p></main>`,
    false,
  );

/**
 * The upload form for an operator: only their own villages and their regency's programmes to pick from.
 * A fragment: the console's shell puts it in its page.
 */
export function uploadPage(principal: Principal, programmes: Programme[], villages: VillageInfo[]): string {
  if (!villages.length || !programmes.length) {
    return markup`<h1>Unggah usulan</h1><p>Akun Anda (${principal.username}) tidak terdaftar sebagai operator desa/kelurahan mana pun, sehingga tidak dapat mengunggah usulan. Hubungi admin Dinas Sosial bila ini keliru.</p>`
      .value;
  }
  // The current budget year first: an operator proposes for the programme running now.
  programmes = [...programmes].sort(
    (a, b) => b.coverage.start.localeCompare(a.coverage.start) || a.id.localeCompare(b.id),
  );
  const options = (items: [string, string][]) =>
    items.map(([v, label]) => markup`<option value="${v}">${label}</option>`);
  const villageName = (v: VillageInfo) =>
    `${v.kind === 'desa' ? 'Desa' : 'Kelurahan'} ${v.name}${v.districtName ? `, Kec. ${v.districtName}` : ''} (${v.code})`;
  const templates = programmes.map(
    (p, i) =>
      markup`${i ? markup` &middot; ` : undefined}<a href="/programmes/${p.id}/template" data-download-file="templat-usulan-${p.id}.xlsx">Templat ${p.id}</a>`,
  );
  return markup`<h1>Unggah usulan</h1>
<form data-upload>
<label for="programmeId">Program</label><select id="programmeId" name="programmeId">${options(programmes.map((p) => [p.id, `${p.name} (${p.id})`]))}</select>
<label for="villageCode">Desa/Kelurahan</label><select id="villageCode" name="villageCode">${options(villages.map((v) => [v.code, villageName(v)]))}</select>
<label for="file">Berkas usulan (Excel .xlsx atau CSV)</label><input id="file" name="file" type="file" accept=".xlsx,.csv" required>
<button type="submit">Unggah</button><p class="msg" role="status"></p>
</form>
<p>Belum punya templat? ${templates}</p>
<p>Unggahan baru untuk desa dan program yang sama menggantikan usulan sebelumnya yang belum diputuskan.</p>`.value;
}
