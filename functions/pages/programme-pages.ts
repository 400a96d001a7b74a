import type { FieldChange } from '../core/programmes/programme-changes';
import { JP_DISABLED_REASON, monthlyContributionPerPerson, type Programme } from '../core/programmes/programme';
import { markup, type SafeHtml } from './html';

/**
 * The programme pages of the console (issue 13), in Bahasa Indonesia: the regency's programmes, and
 * one programme with its history (who changed what, when) and, for the regency's admin, the form
 * that creates or changes it. Fragments the console's shell puts in its page; forms post through its
 * script (data-action).
 */

/** One entry of a programme's history, as the audit trail recorded it. */
export type ProgrammeHistoryEntry = {
  version?: number;
  action: string;
  actor: string;
  at: string;
  reason?: string;
  changes: FieldChange[];
};

const rupiah = (n: number) => `Rp${n.toLocaleString('id-ID')}`;
const SOURCE_TEXT: Record<Programme['fundingSource'], string> = {
  APBD: 'APBD',
  DBH_SAWIT: 'DBH Sawit',
  APBDES: 'APBDes',
};
const quotaText = (q: Programme['quota']) =>
  q.scope === 'programme'
    ? `${q.limit.toLocaleString('id-ID')} orang`
    : `${q.limitPerDesa.toLocaleString('id-ID')} orang per desa`;

/** Field paths as Dinas Sosial names them; anything else shows its path. */
const FIELD_TEXT: Record<string, string> = {
  name: 'Nama',
  fundingSource: 'Sumber dana',
  legalBasis: 'Dasar hukum',
  legalBasisDocument: 'Dokumen dasar hukum',
  'quota.limit': 'Kuota',
  'quota.limitPerDesa': 'Kuota per desa',
  quota: 'Kuota',
  'coverage.start': 'Mulai perlindungan',
  'coverage.end': 'Akhir perlindungan',
  coverage: 'Masa perlindungan',
  benefits: 'Manfaat',
  declaredMonthlyIncome: 'Penghasilan yang dilaporkan',
  'rates.jkkPercentOfIncome': 'Tarif JKK (%)',
  'rates.jkmMonthly': 'Iuran JKM',
  'rates.jhtPercentOfIncome': 'Tarif JHT (%)',
  'rates.jpMonthly': 'Iuran JP',
  rateChanges: 'Perubahan tarif',
  jpEnabled: 'JP diaktifkan',
  lapseAfterUnpaidMonths: 'Nonaktif setelah bulan tak dibayar',
  'ageLimits.min': 'Usia terendah',
  'ageLimits.max': 'Usia tertinggi',
  occupations: 'Pekerjaan',
  dtsenDecileThreshold: 'Batas desil DTSEN',
  approverEmail: 'Email pemberi persetujuan',
  approvalTimeoutDays: 'Batas hari persetujuan',
};
const shown = (v: unknown) => (v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v));
const jakarta = (iso: string) =>
  `${new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')} WIB`;

/** The regency's programmes; for its admin, the form for a new one. */
export function programmesPage(input: {
  programmes: readonly Programme[];
  create?: { regency: { code: string; name: string } };
}): string {
  const rows = input.programmes.map(
    (p) =>
      markup`<tr><td><a href="/app/programmes/${encodeURIComponent(p.id)}">${p.name}</a><br><small>${p.id}</small></td><td>${SOURCE_TEXT[p.fundingSource]}</td><td>${quotaText(p.quota)}</td><td>${p.coverage.start} s.d. ${p.coverage.end}</td><td>${p.benefits.join(', ')}</td><td>${rupiah(monthlyContributionPerPerson(p))}</td><td>${p.version}</td></tr>`,
  );
  return markup`<h1>Program</h1>
<table><thead><tr><th>Program</th><th>Sumber dana</th><th>Kuota</th><th>Masa perlindungan</th><th>Manfaat</th><th>Iuran per orang per bulan</th><th>Versi</th></tr></thead>
<tbody>${rows.length ? rows : markup`<tr><td colspan="7">Belum ada program.</td></tr>`}</tbody></table>
${input.create ? markup`<h2>Program baru</h2>${programmeForm({ action: '/programmes', regency: input.create.regency })}` : undefined}`
    .value;
}

/** One programme: what it is now, its history, and (for its regency's admin) the form that changes it. */
export function programmePage(input: {
  programme: Programme;
  history: readonly ProgrammeHistoryEntry[];
  mayManage: boolean;
}): string {
  const p = input.programme;
  const history = [...input.history]
    .reverse()
    .map(
      (h) =>
        markup`<tr><td>${h.version ?? '-'}</td><td>${jakarta(h.at)}</td><td>${h.actor}</td><td>${h.action === 'PROGRAMME_CREATED' ? 'Dibuat' : 'Diubah'}${h.reason ? markup`<br><small>${h.reason}</small>` : undefined}</td><td>${
          h.action === 'PROGRAMME_CREATED'
            ? 'Program dibuat'
            : markup`<ul>${h.changes.map((c) => markup`<li>${FIELD_TEXT[c.field] ?? c.field}: ${shown(c.from)} &rarr; ${shown(c.to)}</li>`)}</ul>`
        }</td></tr>`,
    );
  return markup`<h1>${p.name}</h1>
<p><small>${p.id} &middot; ${p.regency.name} &middot; versi ${p.version}</small></p>
<table><tbody>
<tr><th>Sumber dana</th><td>${SOURCE_TEXT[p.fundingSource]}</td></tr>
<tr><th>Dasar hukum</th><td>${p.legalBasis ?? '-'}${
    p.legalBasisDocument
      ? markup`<br>${p.legalBasisDocument.url ? markup`<a href="${p.legalBasisDocument.url}" rel="noopener">${p.legalBasisDocument.title}</a>` : p.legalBasisDocument.title}${p.legalBasisDocument.number ? ` No. ${p.legalBasisDocument.number}` : ''}`
      : undefined
  }</td></tr>
<tr><th>Kuota</th><td>${quotaText(p.quota)}</td></tr>
<tr><th>Masa perlindungan</th><td>${p.coverage.start} s.d. ${p.coverage.end}</td></tr>
<tr><th>Manfaat</th><td>${p.benefits.join(', ')}</td></tr>
<tr><th>Iuran per orang per bulan</th><td>${rupiah(monthlyContributionPerPerson(p))} (penghasilan ${rupiah(p.declaredMonthlyIncome)})</td></tr>
<tr><th>Perubahan tarif</th><td>${p.rateChanges.length ? p.rateChanges.map((c) => markup`mulai ${c.effectiveFrom}: penghasilan ${rupiah(c.declaredMonthlyIncome)}, JKK ${c.rates.jkkPercentOfIncome}%, JKM ${rupiah(c.rates.jkmMonthly)}, JHT ${c.rates.jhtPercentOfIncome}%<br>`) : '-'}</td></tr>
<tr><th>JP (Jaminan Pensiun)</th><td>${p.jpEnabled ? 'Aktif' : 'Nonaktif'}<br><small>${JP_DISABLED_REASON}</small></td></tr>
<tr><th>Nonaktif di BPJS setelah</th><td>${p.lapseAfterUnpaidMonths} bulan tidak dibayar</td></tr>
<tr><th>Usia peserta</th><td>${p.ageLimits.min}-${p.ageLimits.max} tahun</td></tr>
<tr><th>Pekerjaan</th><td>${p.occupations.join(', ')}</td></tr>
<tr><th>Persetujuan</th><td>${p.approverEmail}, ${p.approvalTimeoutDays} hari</td></tr>
${p.sources?.length ? markup`<tr><th>Sumber angka</th><td><ul>${p.sources.map((s) => markup`<li>${s}</li>`)}</ul></td></tr>` : undefined}
</tbody></table>
<h2>Riwayat</h2>
<table><thead><tr><th>Versi</th><th>Waktu</th><th>Oleh</th><th>Perubahan</th><th>Rincian</th></tr></thead><tbody>${history}</tbody></table>
${input.mayManage ? markup`<h2>Ubah program</h2>${programmeForm({ action: `/programmes/${encodeURIComponent(p.id)}`, regency: p.regency, programme: p })}` : undefined}`
    .value;
}

function programmeForm(input: {
  action: string;
  regency: { code: string; name: string };
  programme?: Programme;
}): SafeHtml {
  const p = input.programme;
  const field = (name: string, label: string, value: string | number | undefined, type = 'text', extra = '') =>
    markup`<label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" type="${type}" value="${value ?? ''}"${extra ? markup` ${extra}` : undefined}>`;
  const select = (name: string, label: string, options: [string, string][], value: string | undefined) =>
    markup`<label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${options.map(([v, t]) => markup`<option value="${v}"${v === value ? markup` selected` : undefined}>${t}</option>`)}</select>`;
  const box = (name: string, label: string, on: boolean) =>
    markup`<label><input type="checkbox" name="${name}" value="on"${on ? markup` checked` : undefined}> ${label}</label>`;
  const quota = p?.quota;
  const rates = p?.rates ?? { jkkPercentOfIncome: 1, jkmMonthly: 6_800, jhtPercentOfIncome: 2, jpMonthly: 0 };
  return markup`<form data-action="${input.action}">
<input type="hidden" name="form" value="programme">
${p ? markup`<input type="hidden" name="expectedVersion" value="${p.version}">` : field('id', 'Kode program (huruf kecil, angka, tanda -), mis. kuburaya-2027-apbd', undefined, 'text', 'required pattern="[a-z0-9-]+"')}
<p>Kabupaten: ${input.regency.name} (${input.regency.code})</p>
${field('name', 'Nama program', p?.name)}
${select('fundingSource', 'Sumber dana', Object.entries(SOURCE_TEXT), p?.fundingSource)}
${field('legalBasis', 'Dasar hukum (mis. Keputusan Bupati No. ...)', p?.legalBasis)}
${field('legalBasisTitle', 'Judul dokumen dasar hukum', p?.legalBasisDocument?.title)}
${field('legalBasisNumber', 'Nomor dokumen', p?.legalBasisDocument?.number)}
${field('legalBasisUrl', 'Tautan dokumen (JDIH)', p?.legalBasisDocument?.url, 'url')}
${select(
  'quotaScope',
  'Jenis kuota',
  [
    ['programme', 'Seluruh program'],
    ['desa', 'Per desa (APBDes)'],
  ],
  quota?.scope,
)}
${field('quotaLimit', 'Kuota (orang)', quota ? (quota.scope === 'programme' ? quota.limit : quota.limitPerDesa) : undefined, 'number', 'min="1" required')}
${field('coverageStart', 'Mulai perlindungan', p?.coverage.start, 'date', 'required')}
${field('coverageEnd', 'Akhir perlindungan', p?.coverage.end, 'date', 'required')}
<fieldset><legend>Manfaat</legend>
${box('benefitJKK', 'JKK (kecelakaan kerja)', p ? p.benefits.includes('JKK') : true)}
${box('benefitJKM', 'JKM (kematian)', p ? p.benefits.includes('JKM') : true)}
${box('benefitJHT', 'JHT (jaminan hari tua, 2% penghasilan)', p ? p.benefits.includes('JHT') : false)}
${box('benefitJP', 'JP (jaminan pensiun)', p ? p.benefits.includes('JP') : false)}
${box('jpEnabled', 'Aktifkan JP', p?.jpEnabled ?? false)}
<p><small>${JP_DISABLED_REASON}</small></p></fieldset>
${field('declaredMonthlyIncome', 'Penghasilan yang dilaporkan per bulan (Rp)', p?.declaredMonthlyIncome ?? 1_000_000, 'number', 'min="1" required')}
${field('jkkPercentOfIncome', 'Tarif JKK (% penghasilan)', rates.jkkPercentOfIncome, 'number', 'step="0.01" min="0"')}
${field('jkmMonthly', 'Iuran JKM per bulan (Rp)', rates.jkmMonthly, 'number', 'min="0"')}
${field('jhtPercentOfIncome', 'Tarif JHT (% penghasilan)', rates.jhtPercentOfIncome, 'number', 'step="0.01" min="0"')}
${field('jpMonthly', 'Iuran JP per bulan (Rp)', rates.jpMonthly, 'number', 'min="0"')}
${field('lapseAfterUnpaidMonths', 'Nonaktif di BPJS setelah ... bulan tidak dibayar', p?.lapseAfterUnpaidMonths ?? 3, 'number', 'min="1" max="12"')}
${field('ageMin', 'Usia terendah', p?.ageLimits.min ?? 18, 'number')}
${field('ageMax', 'Usia tertinggi', p?.ageLimits.max ?? 65, 'number')}
<label for="f-occupations">Pekerjaan (pisahkan dengan koma)</label><textarea id="f-occupations" name="occupations">${p?.occupations.join(', ') ?? ''}</textarea>
${field('dtsenDecileThreshold', 'Batas desil DTSEN (peringatan di atasnya)', p?.dtsenDecileThreshold ?? 4, 'number', 'min="1" max="10"')}
${field('approverEmail', 'Email Kepala Dinas Sosial (pemberi persetujuan)', p?.approverEmail, 'email', 'required')}
${field('approvalTimeoutDays', 'Batas hari persetujuan', p?.approvalTimeoutDays ?? 14, 'number', 'min="1" max="20"')}
<label for="f-reason">Alasan perubahan (tercatat di riwayat)</label><textarea id="f-reason" name="reason"></textarea>
<button type="submit">${p ? 'Simpan versi baru' : 'Buat program'}</button>
</form>`;
}
