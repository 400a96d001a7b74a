import { escapeHtml } from '../html/escape';
import type { Mail } from '../../ports/mailer';
import { redactText } from '../privacy/mask';
import { monthlyContributionPerPerson, type Programme } from '../programmes/programme';
import { dinasSosialName, regencyCodeOf } from '../regions/regencies';
import { villageLabel } from '../regions/village-label';
import type { Proposal } from './proposal';

/**
 * The mail Jaring sends, in Bahasa Indonesia: plain text for every client, and the same words in
 * simple HTML. Builders are pure so the wording is tested without a mail server.
 */

const rupiah = (n: number) => `Rp${n.toLocaleString('id-ID')}`;

/**
 * A mail in plain text and the same words in HTML, signed by the Dinas Sosial of the regency that
 * `place` (a village or regency code) lies in: Kapuas's mail is not Kubu Raya's (regencies.ts).
 */
export function render(
  to: string[],
  subject: string,
  paragraphs: string[],
  link?: { href: string; label: string },
  place?: string,
): Mail {
  const signature = `-- Jaring, ${dinasSosialName(place && regencyCodeOf(place))}`;
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.href}`] : []), '', signature].join('\n\n');
  const html = [
    '<!doctype html><html lang="id"><body style="font-family:sans-serif;max-width:40em">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    link ? `<p><a href="${escapeHtml(link.href)}" style="font-weight:bold">${escapeHtml(link.label)}</a></p>` : '',
    `<p style="color:#666">${escapeHtml(signature)}</p></body></html>`,
  ].join('\n');
  return { to: [...new Set(to)], subject, text, html };
}

/** A file name as it may appear in a subject or sentence: no control characters, not endless. */
function fileLabel(name: string): string {
  const clean = redactText(name.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')).trim();
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean || '(tanpa nama)';
}

const describe = (p: Proposal) =>
  `usulan ${fileLabel(p.fileName)} dari ${villageLabel(p.villageCode)} untuk program ${p.programmeId}`;

function countsLine(p: Proposal): string {
  const c = p.counts;
  if (!c) return '';
  const line = `Jumlah baris: ${c.rows}. Valid: ${c.valid}. Tidak valid: ${c.invalid}. Melebihi kuota: ${c.overQuota}.`;
  if (!p.topIssues?.length) return line;
  return `${line}\nMasalah terbanyak:\n${p.topIssues.map((i) => `- ${i.rows} baris: ${redactText(i.example)}`).join('\n')}`;
}

export function approvalRequestMail(p: Proposal, programme: Programme, approvalUrl: string, reportUrl?: string): Mail {
  const c = p.counts;
  const monthly = c ? c.valid * monthlyContributionPerPerson(programme) : 0;
  return render(
    [programme.approverEmail],
    `[Jaring] Mohon persetujuan: ${c?.valid ?? 0} pekerja dari ${p.villageCode} (${programme.id})`,
    [
      `Yth. Kepala ${dinasSosialName(programme.regency)},`,
      `Ada ${describe(p)} yang menunggu persetujuan Bapak/Ibu.`,
      countsLine(p),
      c
        ? `Iuran ${programme.benefits.join('+')} yang ditanggung ${programme.regency.name} untuk pekerja valid: ` +
          `${rupiah(monthly)} per bulan.`
        : '',
      reportUrl ? `Rincian dan laporan validasi (perlu masuk): ${reportUrl}` : '',
      `Tautan ini berlaku sampai ${p.approval?.expiresAt?.slice(0, 10) ?? '-'}. Setelah itu usulan kedaluwarsa dan desa perlu mengunggah ulang.`,
    ].filter(Boolean),
    { href: approvalUrl, label: 'Buka halaman persetujuan (setujui atau tolak)' },
    programme.regency.code,
  );
}

/** The notice for a proposal that reached a final status, or undefined if that status has none. */
export function outcomeMail(
  p: Proposal,
  recipients: { operator?: string; ops: string; approver?: string },
  links: { proposal: string; report?: string },
): Mail | undefined {
  const to = [recipients.operator ?? recipients.ops];
  const cc = recipients.operator ? [recipients.ops] : [];
  const detail = `Rincian: ${links.proposal}`;
  // Signed by the Dinas Sosial of the proposal's regency.
  const mail = (recipientsOf: string[], subject: string, paragraphs: string[]) =>
    render(recipientsOf, subject, paragraphs, undefined, p.villageCode);
  switch (p.status) {
    case 'INVALID':
      return mail(
        [...to, ...cc],
        `[Jaring] Usulan ${fileLabel(p.fileName)} tidak dapat diproses`,
        [
          `Mohon maaf, ${describe(p)} tidak dapat diproses.`,
          `Alasan: ${p.reason ? redactText(p.reason.message) : 'tidak ada baris yang valid.'}`,
          countsLine(p),
          // A file refused whole has no rows to report; the proposal page says why.
          links.report && p.report?.xlsx
            ? `Laporan per baris (perbaiki lalu unggah ulang berkas yang sama): ${links.report}`
            : '',
          'Berkas asli tetap tersimpan. Setelah diperbaiki, unggah ulang ke folder yang sama; unggahan baru menggantikan usulan ini.',
          detail,
        ].filter(Boolean),
      );
    case 'REJECTED':
      return mail(
        [...to, ...cc],
        `[Jaring] Usulan ${fileLabel(p.fileName)} ditolak Kepala Dinas Sosial`,
        [`${describe(p)} ditolak.`, p.approval?.note ? `Catatan: ${redactText(p.approval.note)}` : '', detail].filter(
          Boolean,
        ),
      );
    case 'EXPIRED':
      return mail(
        [...to, ...cc, ...(recipients.approver ? [recipients.approver] : [])],
        `[Jaring] Usulan ${fileLabel(p.fileName)} kedaluwarsa`,
        [
          `${describe(p)} kedaluwarsa karena tidak diputuskan sampai batas waktu. Kuota yang dipesan dilepas.`,
          'Desa dapat mengunggah ulang berkas untuk diajukan kembali.',
          detail,
        ],
      );
    case 'ENROLLED':
    case 'PARTIALLY_ENROLLED':
      return mail(
        [...to, ...cc, ...(recipients.approver ? [recipients.approver] : [])],
        `[Jaring] ${p.enrolled} pekerja terdaftar di BPJS Ketenagakerjaan (${p.villageCode})`,
        [
          `${describe(p)} telah diajukan ke BPJS Ketenagakerjaan.`,
          `Terdaftar sebagai peserta: ${p.enrolled}. Ditolak BPJS: ${p.rejectedByBpjs}.`,
          p.status === 'PARTIALLY_ENROLLED'
            ? 'Sebagian pekerja ditolak BPJS; alasannya tercantum pada rincian usulan.'
            : '',
          detail,
        ].filter(Boolean),
      );
    case 'FAILED':
      return mail([recipients.ops], `[Jaring] Usulan ${fileLabel(p.fileName)} gagal diproses sistem`, [
        `${describe(p)} berhenti karena gangguan sistem: ${p.reason?.message ?? '-'}`,
        'Tidak ada data yang hilang. Tim Dinas Sosial dapat menjalankan ulang usulan ini dari halaman rinciannya.',
        detail,
      ]);
    default:
      return undefined;
  }
}
