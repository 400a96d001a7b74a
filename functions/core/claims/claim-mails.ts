import type { Mail } from '../../ports/mailer';
import { maskNik } from '../privacy/mask';
import { render } from '../proposals/mails';
import { villageLabel } from '../regions/village-label';
import { rupiah } from './benefit';
import type { Claim, ClaimType, Payout, RequiredDocument } from './claim';

/**
 * The claims workflow's mail, in Bahasa Indonesia: to the operator who filed the claim (the heirs'
 * contact), to Dinas Sosial, and to the approvers. Pure builders, tested without a mail server. A
 * participant is named by masked NIK and claim id only: no names, no birth dates, no accounts.
 */

const under = (apiUrl: string, path: string) => new URL(path, apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);

/** The claim's console page (sign-in first), for anyone opening a claims mail. */
export const claimConsoleUrl = (apiUrl: string, claimId: string) =>
  under(apiUrl, `app/claims/${encodeURIComponent(claimId)}`).toString();

/**
 * The link mailed to one approver: the claim approval page with that approver's own code, which
 * proves they received the mail (as proposals' approval links do, approval-code.ts).
 */
export function claimApprovalUrl(apiUrl: string, claimId: string, code: string): string {
  const url = under(apiUrl, `claim-approvals/${encodeURIComponent(claimId)}`);
  url.searchParams.set('code', code);
  return url.toString();
}

const TYPE_TEXT: Record<ClaimType, string> = {
  JKM: 'JKM (meninggal dunia)',
  JKK: 'JKK (kecelakaan kerja)',
  JKK_DEATH: 'JKK meninggal dunia (kecelakaan kerja)',
};

const about = (c: Claim) =>
  `klaim ${TYPE_TEXT[c.type]} ${c.id} untuk peserta NIK ${maskNik(c.nik)} dari ${villageLabel(c.villageCode)}`;

const link = (apiUrl: string, c: Claim) => ({ href: claimConsoleUrl(apiUrl, c.id), label: 'Buka klaim di Jaring' });

/** The operator who filed the claim, or the Dinas Sosial team when the filing named no address. */
export const filerOf = (c: Claim, opsEmail: string) => (c.filerEmail ? [c.filerEmail] : [opsEmail]);

export function documentsReminderMail(
  c: Claim,
  missing: readonly RequiredDocument[],
  to: string[],
  apiUrl: string,
): Mail {
  return render(
    to,
    `[Jaring] Dokumen klaim ${c.id} belum lengkap`,
    [
      `Yth. operator, ${about(c)} masih menunggu dokumen berikut:`,
      missing.map((d) => `- ${d.label}`).join('\n'),
      'Klaim tidak ditolak karena dokumen belum lengkap: unggah dokumen yang kurang dan klaim akan diproses ' +
        'kembali secara otomatis.',
    ],
    link(apiUrl, c),
    c.villageCode,
  );
}

export function claimApprovalMail(c: Claim, approver: string, url: string, approversNeeded: number): Mail {
  const total = c.benefit ? rupiah(c.benefit.total) : 'belum dihitung';
  return render(
    [approver],
    `[Jaring] Persetujuan klaim ${c.id} (${total})`,
    [
      `Yth. Bapak/Ibu, ${about(c)} telah diverifikasi dan menunggu persetujuan Anda.`,
      `Jumlah manfaat: ${total}.` +
        (approversNeeded > 1 ? ` Klaim ini memerlukan persetujuan ${approversNeeded} pejabat yang berbeda.` : ''),
      'Tautan ini khusus untuk Anda; jangan diteruskan kepada orang lain.',
    ],
    { href: url, label: 'Setujui atau tolak klaim' },
    c.villageCode,
  );
}

export function bpjsLateMail(c: Claim, to: string[], submittedAt: string, promisedBy: string, apiUrl: string): Mail {
  return render(
    to,
    `[Jaring] BPJS Ketenagakerjaan terlambat memutus klaim ${c.id}`,
    [
      `${about(c)} diajukan ke BPJS Ketenagakerjaan pada ${submittedAt.slice(0, 10)} dengan berkas lengkap.`,
      `BPJS wajib membayar dalam 3 hari kerja (UU 40/2004), yaitu paling lambat ${promisedBy}, dan belum memberi ` +
        'keputusan. Mohon tindak lanjuti dengan kantor cabang BPJS Ketenagakerjaan.',
    ],
    link(apiUrl, c),
    c.villageCode,
  );
}

export function bpjsNeedsDocumentMail(c: Claim, document: RequiredDocument, to: string[], apiUrl: string): Mail {
  return render(
    to,
    `[Jaring] BPJS meminta dokumen untuk klaim ${c.id}`,
    [
      `BPJS Ketenagakerjaan meminta dokumen berikut untuk ${about(c)}: ${document.label}.`,
      'Unggah dokumen tersebut di halaman klaim; Jaring akan meneruskannya ke BPJS.',
    ],
    link(apiUrl, c),
    c.villageCode,
  );
}

export function reclassifiedMail(
  c: Claim,
  explanation: string,
  missing: readonly RequiredDocument[],
  to: string[],
  apiUrl: string,
): Mail {
  return render(
    to,
    `[Jaring] Klaim ${c.id} digolongkan ulang oleh BPJS`,
    [
      explanation,
      ...(missing.length
        ? [
            `Untuk jenis klaim ini masih diperlukan dokumen berikut; BPJS membayar setelah dokumen lengkap:\n${missing.map((d) => `- ${d.label}`).join('\n')}`,
          ]
        : ['Jumlah manfaat yang baru telah dikonfirmasi kepada BPJS Ketenagakerjaan.']),
    ],
    link(apiUrl, c),
    c.villageCode,
  );
}

export function transferFailedMail(c: Claim, reason: string, to: string[], apiUrl: string): Mail {
  return render(
    to,
    `[Jaring] Transfer manfaat klaim ${c.id} gagal`,
    [
      `Transfer manfaat ${about(c)} kepada ahli waris gagal: ${reason}`,
      'Klaim belum dibayar. Mohon periksa rekening ahli waris; BPJS Ketenagakerjaan akan mencoba transfer lagi.',
    ],
    link(apiUrl, c),
    c.villageCode,
  );
}

export function refusedByBpjsMail(c: Claim, reason: string, to: string[], apiUrl: string): Mail {
  return render(
    to,
    `Klaim ${c.id} ditolak BPJS Ketenagakerjaan`,
    [`${about(c)} ditolak. ${reason}`],
    link(apiUrl, c),
    c.villageCode,
  );
}

export function claimPaidMail(c: Claim, payout: Payout, to: string[], apiUrl: string): Mail {
  const parts = c.benefit?.parts.map((p) => `- ${p.label}: ${rupiah(p.amount)}`) ?? [];
  return render(
    to,
    `[Jaring] Manfaat klaim ${c.id} telah dibayarkan`,
    [
      `Manfaat ${about(c)} telah ditransfer kepada ahli waris (NIK ${maskNik(payout.heirNik)}).`,
      `Jumlah ${rupiah(payout.amount)}, tanggal ${payout.paidOn}, referensi bank ${payout.bankReference}.`,
      ...(parts.length ? [`Rincian manfaat:\n${parts.join('\n')}`] : []),
    ],
    link(apiUrl, c),
    c.villageCode,
  );
}
