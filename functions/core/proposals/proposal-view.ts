import { maskNumbers, redactText } from '../privacy/mask';
import type { Proposal, ProposalStatus } from './proposal';

/** What each status means, for the operator reading the proposal page. */
export const STATUS_TEXT: Record<ProposalStatus, string> = {
  RECEIVED: 'Berkas diterima, menunggu validasi',
  VALIDATING: 'Sedang divalidasi',
  VALIDATED: 'Validasi selesai',
  INVALID: 'Tidak dapat diproses: lihat alasan dan laporan',
  AWAITING_APPROVAL: 'Menunggu persetujuan Kepala Dinas Sosial',
  APPROVED: 'Disetujui, menunggu pengajuan ke BPJS',
  REJECTED: 'Ditolak Kepala Dinas Sosial',
  EXPIRED: 'Kedaluwarsa: tidak diputuskan sampai batas waktu',
  SUBMITTING: 'Sedang diajukan ke BPJS Ketenagakerjaan',
  ENROLLED: 'Semua pekerja valid terdaftar sebagai peserta',
  PARTIALLY_ENROLLED: 'Sebagian pekerja terdaftar; sebagian ditolak BPJS',
  FAILED: 'Gagal karena gangguan sistem; dapat dijalankan ulang',
  SUPERSEDED: 'Digantikan oleh unggahan yang lebih baru untuk desa dan program yang sama',
  CANCELLED: 'Dibatalkan oleh Dinas Sosial',
};

/**
 * The public shape of a proposal (read API). Secrets stay out: the approval code and the
 * workflow's task token never leave the backend this way.
 */
export function proposalView(p: Proposal, links: { self: string }) {
  return {
    id: p.id,
    status: p.status,
    statusText: STATUS_TEXT[p.status],
    programmeId: p.programmeId,
    programmeVersion: p.programmeVersion,
    villageCode: p.villageCode,
    fileName: redactText(p.fileName),
    uploadKey: maskNumbers(p.uploadKey),
    uploadVersionId: p.upload.versionId,
    // Who uploaded, by username (never their mail address: lists go to whole villages).
    uploadedBy:
      p.uploadedBy && (p.uploadedBy.kind === 'user' ? { kind: 'user', username: p.uploadedBy.username } : p.uploadedBy),
    rows: p.counts?.rows ?? 0,
    valid: p.counts?.valid ?? 0,
    invalid: p.counts?.invalid ?? 0,
    overQuota: p.counts?.overQuota ?? 0,
    warnings: p.counts?.warnings ?? 0,
    enrolled: p.enrolled,
    rejectedByBpjs: p.rejectedByBpjs,
    bpjsRejections: p.bpjsRejections ?? [],
    reason: p.reason ? { ...p.reason, message: redactText(p.reason.message) } : undefined,
    topIssues: (p.topIssues ?? []).map((i) => ({ ...i, example: redactText(i.example) })),
    report: p.report
      ? {
          'report.json': p.report.json,
          'report.xlsx': p.report.xlsx,
          download: {
            json: `${links.self}/report?format=json`,
            xlsx: p.report.xlsx ? `${links.self}/report?format=xlsx` : undefined,
          },
        }
      : undefined,
    approval: p.approval
      ? {
          requestedAt: p.approval.requestedAt,
          expiresAt: p.approval.expiresAt,
          decision: p.approval.decision,
          decidedAt: p.approval.decidedAt,
          note: p.approval.note && redactText(p.approval.note),
        }
      : undefined,
    supersedes: p.supersedes,
    supersededBy: p.supersededBy,
    failure: p.failure ? { stage: p.failure.stage, error: p.failure.error } : undefined,
    redrives: p.redrives,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    links: { self: links.self, history: `${links.self}/history` },
  };
}
