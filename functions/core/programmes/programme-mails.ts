import type { Mail } from '../../ports/mailer';
import { jakartaTime } from '../audit/timeline';
import { render } from '../proposals/mails';
import type { Programme } from './programme';

/**
 * The approver of a programme decides who is enrolled and which claims are paid, and the regency's
 * admin may change that address alone. So a change of approver is told to the head of office who
 * approved until now and to the new address (and to `also`, the team's), with who made it, when and
 * why: an admin who sends the approval links to themselves is found out by the person they replaced.
 */
export function approverChangedMail(
  previous: Programme,
  next: Programme,
  also: readonly string[] = [],
): Mail | undefined {
  if (previous.approverEmail === next.approverEmail) return undefined;
  return render(
    [previous.approverEmail, next.approverEmail, ...also],
    `[Jaring] Pemberi persetujuan program ${next.id} diubah`,
    [
      `Yth. Kepala Dinas Sosial ${next.regency.name},`,
      `Alamat pemberi persetujuan program ${next.name} (${next.id}) diubah pada versi ${next.version}:\n` +
        `- sebelumnya: ${previous.approverEmail}\n- sekarang: ${next.approverEmail}`,
      `Diubah oleh ${next.changedBy ?? '-'} pada ${next.changedAt ? jakartaTime(next.changedAt) : '-'}. ` +
        `Alasan: ${next.reason ?? '(tidak diisi)'}.`,
      'Tautan persetujuan usulan dan klaim baru kini dikirim ke alamat yang baru. Usulan dan klaim yang sudah ' +
        'diajukan tetap diputuskan oleh pemberi persetujuan pada versi saat diajukan.',
      'Bila Anda tidak mengenal perubahan ini, segera hubungi admin Jaring dan Inspektorat: riwayat program ' +
        'mencatat siapa yang mengubahnya.',
    ],
    undefined,
    next.regency.code,
  );
}
