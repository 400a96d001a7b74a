import pMap from 'p-map';
import * as z from 'zod';
import { authorize, regenciesReached, type Action, type Resource } from '../access/policy';
import { actorOf, type Principal } from '../access/principal';
import { monthName } from '../contributions/coverage';
import { maskNik, redactDeep, redactText } from '../privacy/mask';
import type { Programme } from '../programmes/programme';
import { regencyCodeOf } from '../regions/regencies';
import { villageLabel } from '../regions/village-label';
import type { AuditLog } from '../../ports/audit-log';
import type { BillStore } from '../../ports/bill-store';
import type { ClaimStore } from '../../ports/claim-store';
import type { CoverageStore } from '../../ports/coverage-store';
import type { ParticipantStore } from '../../ports/participant-store';
import type { ProposalStore } from '../../ports/proposal-store';
import { participantEntity, type AuditEvent, type ChainedAuditEvent } from './audit-event';
import type { ChainVerdict } from './chain';
import type { ExecutionRecord } from './execution-record';
import { entityLink, participantKey, READ_ACTION } from './search';

/**
 * An entity's timeline as an auditor reads it (issue 11): its audit events in chain order, each with
 * who did it, when (Jakarta time shown, the ISO instant kept), what it was in Indonesian words, the
 * steps of the Step Functions execution it happened in, and links to what the step produced (the
 * validation report, a bill, a claim's document); above them, the chain's verdict.
 */

const ENTITY_KINDS = ['proposal', 'participant', 'bill', 'claim'] as const;

/** What an entity names, parsed from its audit key. */
export type EntityRef =
  | { kind: 'proposal'; entity: string; id: string }
  | { kind: 'participant'; entity: string; programmeId: string; nik: string }
  | { kind: 'bill'; entity: string; programmeId: string; month: string }
  | { kind: 'claim'; entity: string; id: string };

const PROPOSAL = /^proposal#(prp-[0-9a-f]{20})$/;
const PARTICIPANT = /^participant#([a-z0-9-]{1,100})#(\d{16})$/;
const BILL = /^bill#([a-z0-9-]{1,100})#(\d{4}-(?:0[1-9]|1[0-2]))$/;
const CLAIM = /^claim#(clm-[0-9a-f]{20})$/;

/** The entity a timeline is asked for; undefined for anything that is not one the console traces. */
export function parseEntity(raw: string): EntityRef | undefined {
  let entity = raw;
  try {
    // API Gateway hands a path parameter over as sent; `#` must travel as %23.
    if (entity.includes('%')) entity = decodeURIComponent(entity);
  } catch {
    return undefined;
  }
  let m: RegExpExecArray | null;
  if ((m = PROPOSAL.exec(entity))) return { kind: 'proposal', entity, id: m[1]! };
  if ((m = PARTICIPANT.exec(entity))) return { kind: 'participant', entity, programmeId: m[1]!, nik: m[2]! };
  if ((m = BILL.exec(entity))) return { kind: 'bill', entity, programmeId: m[1]!, month: m[2]! };
  if ((m = CLAIM.exec(entity))) return { kind: 'claim', entity, id: m[1]! };
  return undefined;
}

/**
 * What the console's links name a participant by (search.ts `participantReference`): programme, village
 * and KPJ, not the NIK. The timeline resolves it to the person's trail among the village's coverages.
 */
export type ParticipantReference = {
  kind: 'participant-reference';
  /** The reference as linked: what the timeline's own links (exports) repeat. */
  entity: string;
  programmeId: string;
  villageCode: string;
  key: string;
};

const PARTICIPANT_REFERENCE = /^participant#([a-z0-9-]{1,100})#(\d{2}\.\d{2}\.\d{2}\.\d{4})#([0-9A-Za-z*-]{1,40})$/;

/**
 * The entity a console address asks for: as `parseEntity`, except that a participant is named by
 * their reference and never by NIK, so no address the console answers carries a NIK.
 */
export function parseTimelineRef(raw: string): EntityRef | ParticipantReference | undefined {
  let entity = raw;
  try {
    if (entity.includes('%')) entity = decodeURIComponent(entity);
  } catch {
    return undefined;
  }
  const m = PARTICIPANT_REFERENCE.exec(entity);
  if (m) return { kind: 'participant-reference', entity, programmeId: m[1]!, villageCode: m[2]!, key: m[3]! };
  const ref = parseEntity(entity);
  return ref?.kind === 'participant' ? undefined : ref;
}

/** The entity as shown: a participant's NIK masked unless the viewer sees it whole. */
const shownEntity = (ref: EntityRef, whole: boolean) =>
  ref.kind === 'participant' && !whole ? `participant#${ref.programmeId}#${maskNik(ref.nik)}` : ref.entity;

const JAKARTA = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Jakarta',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `2026-12-02T22:41:14.411Z` -> `03-12-2026 05.41.14 WIB`: the time a person in Kapuas read on the clock. */
export function jakartaTime(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const part = Object.fromEntries(JAKARTA.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${part.day}-${part.month}-${part.year} ${part.hour}.${part.minute}.${part.second} WIB`;
}

/**
 * An event as the trail stores it: chained ones carry their position. `chain`: the entity whose chain
 * holds it, when that is not the timeline's own (a participant's enrolment, recorded for their batch).
 */
export type TrailEvent = AuditEvent & { position?: number; chain?: string };

const Link = z.object({
  label: z.string(),
  href: z.string(),
  /** `report`: a link the console asks for as JSON first (a one-minute download); `page`: a console page. */
  kind: z.enum(['page', 'download']),
});
export type TimelineLink = z.infer<typeof Link>;

const TimelineStep = z.object({
  name: z.string(),
  type: z.string(),
  typeText: z.string(),
  at: z.string(),
  time: z.string(),
  error: z.string().optional(),
});
export type TimelineStep = z.infer<typeof TimelineStep>;

export const TimelineEntry = z.object({
  position: z.number().int().optional(),
  at: z.string(),
  /** `at` on a Jakarta clock. */
  time: z.string(),
  actor: z.string(),
  action: z.string(),
  /** What happened, in Indonesian. */
  label: z.string(),
  /** The facts of it (counts, who decided, from where, months, amounts), in Indonesian. */
  summary: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  execution: z.string().optional(),
  /** The entity whose chain holds the event, when not the timeline's own (`enrolment#...`: a batch's record). */
  chain: z.string().optional(),
  /** The event where the chain first breaks. */
  broken: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
  steps: z.array(TimelineStep),
  links: z.array(Link),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Timeline = z.object({
  entity: z.string(),
  kind: z.enum(ENTITY_KINDS),
  title: z.string(),
  verdict: z.object({
    /** Absent when the trail could not be checked (events without a chain). */
    ok: z.boolean().optional(),
    count: z.number().int(),
    text: z.string(),
    broken: z
      .object({
        position: z.number().int(),
        at: z.string().optional(),
        action: z.string().optional(),
        reason: z.string(),
        /** The chain that breaks, when not the entity's own (its enrolment record). */
        chain: z.string().optional(),
      })
      .optional(),
  }),
  executions: z.array(
    z.object({ executionArn: z.string(), stateMachine: z.string(), status: z.string(), source: z.string() }),
  ),
  entries: z.array(TimelineEntry),
});
export type Timeline = z.infer<typeof Timeline>;

/** Indonesian words for each action; an action not listed is shown by its name. */
const ACTION_TEXT: Record<string, string> = {
  // Proposals
  UPLOAD_RECEIVED: 'Berkas usulan diterima',
  UPLOAD_REFUSED: 'Unggahan ditolak',
  VALIDATION_STARTED: 'Validasi dimulai',
  VALIDATION_PASSED: 'Validasi selesai',
  VALIDATION_FAILED: 'Usulan tidak dapat diproses',
  APPROVAL_REQUESTED: 'Persetujuan diminta',
  APPROVAL_WAIT_RESUMED: 'Penantian persetujuan dilanjutkan',
  APPROVAL_MAIL_SENT: 'Surel persetujuan terkirim',
  APPROVAL_CALLBACK_STALE: 'Keputusan diterima setelah penantian berakhir',
  PROPOSAL_APPROVED: 'Usulan disetujui',
  PROPOSAL_REJECTED: 'Usulan ditolak',
  PROPOSAL_EXPIRED: 'Usulan kedaluwarsa',
  RESERVATIONS_RELEASED: 'Kuota dan NIK dilepas',
  BPJS_SUBMISSION_STARTED: 'Pengajuan ke BPJS Ketenagakerjaan dimulai',
  BPJS_BATCH_ANSWERED: 'Batch dijawab BPJS Ketenagakerjaan',
  BPJS_ANSWERED: 'BPJS Ketenagakerjaan selesai menjawab',
  PARTICIPANTS_RECORDED: 'Peserta dicatat',
  PARTICIPANTS_RECORDING_PAUSED: 'Pencatatan peserta dijeda (dilanjutkan otomatis)',
  DUPLICATE_ENROLLMENT_PREVENTED: 'Pendaftaran ganda dicegah',
  OUTCOME_MAIL_SENT: 'Pemberitahuan hasil terkirim',
  OUTCOME_MAIL_FAILED: 'Pemberitahuan hasil gagal terkirim',
  REPORT_DOWNLOADED: 'Laporan validasi diunduh',
  PROPOSAL_SUPERSEDED: 'Digantikan unggahan yang lebih baru',
  SUPERSEDES: 'Menggantikan usulan sebelumnya',
  PROPOSAL_FAILED: 'Gagal karena gangguan sistem',
  PROPOSAL_REDRIVEN: 'Dijalankan ulang',
  PROPOSAL_CANCELLED: 'Dibatalkan Dinas Sosial',
  RENEWAL_REQUESTED: 'Perpanjangan diminta',
  // Participants
  PARTICIPANT_ENROLLED: 'Terdaftar sebagai peserta',
  COVERAGE_OPENED: 'Perlindungan dimulai',
  PARTICIPANTS_ENROLLED: 'Terdaftar sebagai peserta, perlindungan dimulai',
  COVERAGE_STATUS_CHANGED: 'Status perlindungan berubah',
  PARTICIPANT_OPENED: 'Data peserta dibuka',
  // Bills
  BILL_ISSUED: 'Tagihan iuran terbit',
  BILL_STEP: 'Langkah tagihan',
  BILL_STATUS_CHANGED: 'Status tagihan berubah',
  BILL_PAYMENT_RECORDED: 'Pembayaran tagihan dicatat',
  // Claims
  CLAIM_FILED: 'Klaim diajukan',
  CLAIM_REFUSED: 'Klaim ditolak pemeriksaan',
  CLAIM_OPENED: 'Data klaim dibuka',
  CLAIM_DOCUMENT_UPLOAD_GRANTED: 'Izin unggah dokumen diberikan',
  CLAIM_DOCUMENT_RECEIVED: 'Dokumen klaim diterima',
  CLAIM_DOCUMENT_OPENED: 'Dokumen klaim dibuka',
  CLAIM_WAITING_FOR_DOCUMENTS: 'Menunggu dokumen',
  CLAIM_DOCUMENTS_REMINDER_SENT: 'Pengingat dokumen terkirim',
  CLAIM_DOCUMENTS_WAIT_PARKED: 'Penantian dokumen dihentikan sementara',
  CLAIM_AWAITING_VERIFICATION: 'Menunggu verifikasi',
  CLAIM_VERIFIED: 'Klaim diverifikasi',
  CLAIM_APPROVAL_REQUESTED: 'Persetujuan klaim diminta',
  CLAIM_APPROVAL_WAIT_RESUMED: 'Penantian persetujuan klaim dilanjutkan',
  CLAIM_APPROVAL_MAIL_SENT: 'Surel persetujuan klaim terkirim',
  CLAIM_APPROVED: 'Klaim disetujui',
  CLAIM_REJECTED: 'Klaim ditolak',
  CLAIM_SUBMITTED_TO_BPJS: 'Klaim diajukan ke BPJS Ketenagakerjaan',
  CLAIM_REFUSED_BY_BPJS: 'Klaim ditolak BPJS Ketenagakerjaan',
  CLAIM_DOCUMENT_REQUESTED_BY_BPJS: 'BPJS meminta dokumen',
  CLAIM_BPJS_DOCUMENT_MAIL_SENT: 'Permintaan dokumen BPJS dikirim',
  CLAIM_BPJS_LATE_ALERTED: 'BPJS melewati janji 3 hari kerja',
  CLAIM_RECLASSIFIED: 'Klaim diklasifikasi ulang',
  CLAIM_RECLASSIFICATION_MAIL_SENT: 'Pemberitahuan klasifikasi ulang terkirim',
  CLAIM_PAID: 'Manfaat dibayarkan',
  CLAIM_PAID_MAIL_SENT: 'Pemberitahuan pembayaran terkirim',
  CLAIM_PAYOUT_FAILED: 'Transfer manfaat gagal',
  CLAIM_PAYOUT_FAILURE_FLAGGED: 'Transfer gagal ditandai untuk ditangani',
  CLAIM_REFUSAL_MAIL_SENT: 'Pemberitahuan penolakan terkirim',
  CLAIM_CALLBACK_STALE: 'Keputusan diterima setelah penantian berakhir',
  CLAIM_CLOSED: 'Klaim ditutup',
  // The console itself
  VIEWED: 'Riwayat dibuka',
  EXECUTION_ARCHIVED: 'Riwayat alur kerja diarsipkan',
};

const BILL_STEP_TEXT: Record<string, string> = {
  DOCUMENTS_WRITTEN: 'berkas tagihan dan daftar peserta per desa ditulis',
  BILLED_APPLIED: 'bulan iuran dicatat pada perlindungan peserta',
  PAID_APPLIED: 'bulan iuran dicatat lunas pada perlindungan peserta',
  OVERDUE_APPLIED: 'tunggakan dicatat pada perlindungan peserta',
  NOTICE_ISSUED: 'pemberitahuan tagihan terkirim',
  NOTICE_PAYMENT_CODE: 'kode iuran BPJS terkirim',
  NOTICE_DUE_SOON: 'pengingat jatuh tempo terkirim',
  NOTICE_OVERDUE: 'pemberitahuan tunggakan terkirim',
};

const STEP_TYPE_TEXT: Record<string, string> = {
  entered: 'masuk',
  exited: 'selesai',
  failed: 'gagal',
  retried: 'diulang',
  task: 'tugas dijalankan',
};

const REASON_TEXT: Record<string, string> = {
  hash: 'isi peristiwa ini berubah setelah dicatat (hash tidak cocok)',
  prev: 'peristiwa ini tidak menyambung ke peristiwa sebelumnya (ada yang diubah, dihapus atau dipindah)',
  gap: 'peristiwa pada urutan ini hilang',
  enrolment:
    'catatan pendaftaran peserta ini tidak ditemukan atau tidak menyebut peserta ini (data peserta diubah, atau catatannya dihapus)',
};

const actionText = (action: string) => ACTION_TEXT[action] ?? action;

const rupiah = (n: unknown) => (typeof n === 'number' ? `Rp${n.toLocaleString('id-ID')}` : undefined);
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const record = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * Where a person acted from, when the event recorded it: read from the event as stored, not the masked
 * copy, since an address is no NIK and masking its digits (192.168.100.200 has twelve) would hide it.
 * Only an address-shaped IP is shown, and the browser's name shortened.
 */
function origin(stored: Record<string, unknown>): string | undefined {
  const ip = str(stored.sourceIp)?.match(/^[0-9a-f.:]{2,45}$/i)?.[0];
  const agent = str(stored.userAgent);
  if (!ip && !agent) return undefined;
  return `dari ${[ip, agent && `(${agent.slice(0, 60)})`].filter(Boolean).join(' ')}`;
}

/** The facts of one event in a sentence; only fields the event carries, already masked as the viewer needs. */
function eventSummary(e: TrailEvent, details: Record<string, unknown>): string {
  const d = details;
  const parts: (string | undefined)[] = [];
  switch (e.action) {
    case 'UPLOAD_RECEIVED':
    case 'UPLOAD_REFUSED': {
      const by = record(d.uploadedBy);
      const upload = record(d.upload);
      parts.push(
        str(by.username) ? `diunggah oleh ${str(by.username)}` : str(by.kind) && `diunggah langsung (${str(by.kind)})`,
        str(upload.key) && `berkas ${str(upload.key)}`,
        num(upload.size) !== undefined ? `${num(upload.size)} bita` : undefined,
      );
      break;
    }
    case 'VALIDATION_PASSED':
    case 'VALIDATION_FAILED': {
      const c = record(d.counts);
      if (num(c.rows) !== undefined)
        parts.push(
          `${num(c.rows)} baris: ${num(c.valid) ?? 0} valid, ${num(c.invalid) ?? 0} tidak valid, ${num(c.overQuota) ?? 0} melebihi kuota, ${num(c.warnings) ?? 0} peringatan`,
        );
      parts.push(str(record(d.reason).message) ?? str(d.message));
      break;
    }
    case 'APPROVAL_REQUESTED':
    case 'CLAIM_APPROVAL_REQUESTED':
      parts.push(
        str(d.approver) && `kepada ${str(d.approver)}`,
        str(d.expiresAt) && `batas ${jakartaTime(str(d.expiresAt)!)}`,
      );
      break;
    case 'PROPOSAL_APPROVED':
    case 'PROPOSAL_REJECTED':
    case 'CLAIM_APPROVED':
    case 'CLAIM_REJECTED':
    case 'CLAIM_VERIFIED':
      parts.push(`oleh ${e.actor.replace(/^\w+:/, '')}`, str(d.note) && `catatan: ${str(d.note)}`, str(d.reason));
      break;
    case 'BPJS_BATCH_ANSWERED':
      parts.push(
        num(d.batch) !== undefined ? `batch ${num(d.batch)}` : undefined,
        `${num(d.registered) ?? 0} terdaftar, ${num(d.rejected) ?? 0} ditolak`,
        str(d.registrationId) && `nomor registrasi ${str(d.registrationId)}`,
      );
      break;
    case 'BPJS_ANSWERED':
      parts.push(`${num(d.batches) ?? 0} batch: ${num(d.registered) ?? 0} terdaftar, ${num(d.rejected) ?? 0} ditolak`);
      break;
    case 'PARTICIPANTS_RECORDED': {
      const rejected = Array.isArray(d.rejected) ? d.rejected.length : num(d.rejected);
      parts.push(`${num(d.enrolled) ?? 0} peserta terdaftar`, rejected ? `${rejected} ditolak BPJS` : undefined);
      break;
    }
    case 'PARTICIPANT_ENROLLED':
      parts.push(str(d.kpj) && `KPJ ${str(d.kpj)}`, str(d.proposalId) && `dari usulan ${str(d.proposalId)}`);
      break;
    case 'PARTICIPANTS_ENROLLED':
      parts.push(
        str(d.kpj) && `KPJ ${str(d.kpj)}`,
        str(d.proposalId) && `dari usulan ${str(d.proposalId)}`,
        str(d.start) && `perlindungan ${str(d.start)} s.d. ${str(d.end) ?? '-'}`,
        Array.isArray(d.people) ? `${d.people.length} orang dalam catatan ini` : undefined,
      );
      break;
    case 'COVERAGE_OPENED':
      parts.push(
        str(d.start) && `perlindungan ${str(d.start)} s.d. ${str(d.end) ?? '-'}`,
        str(d.kpj) && `KPJ ${str(d.kpj)}`,
      );
      break;
    case 'COVERAGE_STATUS_CHANGED': {
      const months = Array.isArray(d.months) ? d.months.filter((m) => typeof m === 'string') : [];
      parts.push(
        str(d.note),
        months.length ? `bulan iuran ${months.join(', ')}` : undefined,
        num(d.continuousMonthsLost) ? `${num(d.continuousMonthsLost)} bulan beasiswa hilang` : undefined,
      );
      break;
    }
    case 'BILL_ISSUED':
      parts.push(
        num(d.participants) !== undefined ? `${num(d.participants)} peserta` : undefined,
        rupiah(d.amount),
        str(d.due) && `jatuh tempo ${str(d.due)}`,
      );
      break;
    case 'BILL_STEP':
      parts.push(BILL_STEP_TEXT[str(d.step) ?? ''] ?? str(d.step));
      break;
    case 'BILL_STATUS_CHANGED':
      parts.push(rupiah(d.paid) && `dibayar ${rupiah(d.paid)} dari ${rupiah(d.amount) ?? '-'}`);
      break;
    case 'BILL_PAYMENT_RECORDED':
    case 'CLAIM_PAID':
      parts.push(
        rupiah(d.amount),
        str(d.paidOn) && `tanggal bayar ${str(d.paidOn)}`,
        str(d.bankReference) && `referensi bank ${str(d.bankReference)}`,
      );
      break;
    case 'CLAIM_DOCUMENT_RECEIVED':
    case 'CLAIM_DOCUMENT_OPENED':
    case 'CLAIM_DOCUMENT_UPLOAD_GRANTED':
    case 'CLAIM_DOCUMENT_REQUESTED_BY_BPJS':
      parts.push(str(d.documentType) ?? str(d.type));
      break;
    case 'REPORT_DOWNLOADED':
      parts.push(str(d.format) && `format ${str(d.format)}`);
      break;
    case 'VIEWED':
      parts.push(str(d.format) ? `diunduh sebagai ${str(d.format)}` : 'dibuka di konsol');
      break;
    default:
      parts.push(str(d.reason) ?? str(d.note) ?? str(d.message));
  }
  parts.push(origin(e.details ?? {}));
  if (e.from || e.to) parts.push(`status ${e.from ?? '-'} → ${e.to ?? '-'}`);
  return parts.filter((p): p is string => Boolean(p)).join('; ');
}

/** What the viewer may follow from a timeline: each link shown only where the policy lets them. */
export type TimelineAccess = {
  /** The validation report (every row whole; its download is audited). */
  report: boolean;
  /** Bills (the months a coverage was billed in). */
  bills: boolean;
  /** A claim's documents (one-minute link; audited). */
  documents: boolean;
  /** Proposals (a participant's enrolment). */
  proposals: boolean;
};

/** The report, page or document the step produced, for whom may open it. */
function linksOf(ref: EntityRef, e: TrailEvent, d: Record<string, unknown>, may: TimelineAccess): TimelineLink[] {
  const links: TimelineLink[] = [];
  const proposalReport = (id: string) => {
    if (may.report)
      links.push({ label: 'Laporan validasi (Excel)', href: `/proposals/${id}/report?format=xlsx`, kind: 'download' });
  };
  if (ref.kind === 'proposal') {
    if (['VALIDATION_PASSED', 'VALIDATION_FAILED', 'PARTICIPANTS_RECORDED'].includes(e.action)) proposalReport(ref.id);
    if (e.action === 'PARTICIPANTS_RECORDED')
      links.push({ label: 'Halaman usulan', href: `/app/proposals/${ref.id}`, kind: 'page' });
  }
  if (ref.kind === 'participant') {
    const proposalId = str(d.proposalId);
    if ((e.action === 'PARTICIPANT_ENROLLED' || e.action === 'PARTICIPANTS_ENROLLED') && proposalId && may.proposals)
      links.push({
        label: 'Riwayat usulan',
        href: `/app${entityLink(`proposal#${proposalId}`)}`,
        kind: 'page',
      });
    if (e.action === 'COVERAGE_STATUS_CHANGED' && may.bills && Array.isArray(d.months))
      for (const month of d.months.filter((m): m is string => typeof m === 'string'))
        links.push({
          label: `Tagihan ${month}`,
          href: `/app/bills/${encodeURIComponent(`${ref.programmeId}#${month}`)}`,
          kind: 'page',
        });
  }
  if (ref.kind === 'bill' && ['BILL_ISSUED', 'BILL_PAYMENT_RECORDED', 'BILL_STEP'].includes(e.action))
    links.push({
      label: 'Halaman tagihan',
      href: `/app/bills/${encodeURIComponent(`${ref.programmeId}#${ref.month}`)}`,
      kind: 'page',
    });
  if (ref.kind === 'claim') {
    const type = str(d.documentType) ?? str(d.type);
    if (e.action === 'CLAIM_DOCUMENT_RECEIVED' && type && may.documents)
      links.push({ label: `Dokumen ${type}`, href: `/claims/${ref.id}/documents/${type}`, kind: 'download' });
    if (['CLAIM_FILED', 'CLAIM_VERIFIED', 'CLAIM_APPROVED', 'CLAIM_PAID'].includes(e.action))
      links.push({ label: 'Halaman klaim', href: `/app/claims/${ref.id}`, kind: 'page' });
  }
  return links;
}

/** The chain's verdict in a sentence, naming the first broken link: position, action, time and why. */
function verdictText(verdict: TimelineVerdict | undefined, count: number): string {
  if (!verdict) return `Rantai bukti belum dapat diperiksa untuk ${count} peristiwa ini.`;
  if (verdict.ok) return `Rantai bukti utuh: ${verdict.count} peristiwa.`;
  const b = verdict.broken;
  if (b.reason === 'enrolment') return `Rantai bukti RUSAK: ${REASON_TEXT.enrolment}.`;
  const where = [b.action && actionText(b.action), b.at && jakartaTime(b.at)].filter(Boolean).join(', ');
  const record = b.chain ? ` catatan pendaftaran ${b.chain},` : '';
  return `Rantai bukti RUSAK pada${record} peristiwa ke-${b.position}${where ? ` (${where})` : ''}: ${REASON_TEXT[b.reason] ?? b.reason}. Peristiwa sejak titik ini tidak dapat dipercaya.`;
}

/** A chain's verdict as the timeline shows it: a broken link may be in another chain than the entity's own. */
export type TimelineVerdict =
  | { ok: true; count: number }
  | {
      ok: false;
      count: number;
      broken: Omit<Extract<ChainVerdict, { ok: false }>['broken'], 'reason'> & {
        reason: Extract<ChainVerdict, { ok: false }>['broken']['reason'] | 'enrolment';
        chain?: string;
      };
    };

/**
 * The entity's own chain and the other chains its events come from (a participant's enrolment record),
 * as one verdict: whole when each is, else the first broken one, named.
 */
function combinedVerdict(
  own: ChainVerdict,
  others: readonly { chain: string; verdict: ChainVerdict }[],
): TimelineVerdict {
  const count = own.count + others.reduce((n, o) => n + o.verdict.count, 0);
  if (!own.ok) return { ok: false as const, count, broken: own.broken };
  const broken = others.find((o) => !o.verdict.ok);
  if (broken && !broken.verdict.ok)
    return { ok: false as const, count, broken: { ...broken.verdict.broken, chain: broken.chain } };
  return { ok: true as const, count };
}

/**
 * Assigns each execution step to the event of that execution it came after (the latest one at or
 * before the step; the execution's first event for steps before any), so the steps read in place.
 */
function stepsByEvent(events: readonly TrailEvent[], executions: ReadonlyMap<string, ExecutionRecord>) {
  const placed = new Map<number, TimelineStep[]>();
  for (const [arn, execution] of executions) {
    const mine = events.map((e, i) => [e, i] as const).filter(([e]) => e.execution === arn);
    if (!mine.length) continue;
    for (const step of execution.steps) {
      let index = mine[0]![1];
      for (const [e, i] of mine) if (e.at <= step.at) index = i;
      const list = placed.get(index) ?? [];
      list.push({
        name: step.name,
        type: step.type,
        typeText: STEP_TYPE_TEXT[step.type] ?? step.type,
        at: step.at,
        time: jakartaTime(step.at),
        ...(step.error && { error: step.error }),
      });
      placed.set(index, list);
    }
  }
  return placed;
}

/**
 * The entity's timeline: every event in chain order (the store's), labelled, masked as the viewer
 * needs (`whole`: the NIKs as stored; otherwise masked, names and accounts dropped), its execution's
 * steps merged in, links for what the viewer may open, and the verdict on top.
 */
export function buildTimeline(input: {
  ref: EntityRef;
  title: string;
  events: readonly TrailEvent[];
  verdict?: TimelineVerdict;
  executions?: ReadonlyMap<string, ExecutionRecord>;
  whole: boolean;
  access: TimelineAccess;
}): Timeline {
  const { ref, events, verdict, whole, access } = input;
  const executions = input.executions ?? new Map<string, ExecutionRecord>();
  const placed = stepsByEvent(events, executions);
  const broken = verdict && !verdict.ok ? verdict.broken : undefined;
  const entries = events.map((e, i): TimelineEntry => {
    const details = (whole ? e.details : (redactDeep(e.details) as Record<string, unknown> | undefined)) ?? {};
    const steps = (placed.get(i) ?? []).sort((a, b) => a.at.localeCompare(b.at));
    return {
      ...(e.chain ? { chain: e.chain } : { position: e.position }),
      at: e.at,
      time: jakartaTime(e.at),
      actor: whole ? e.actor : redactText(e.actor),
      action: e.action,
      label: actionText(e.action),
      summary: eventSummary(e, details),
      ...(e.from && { from: e.from }),
      ...(e.to && { to: e.to }),
      ...(e.execution && { execution: e.execution }),
      broken: broken !== undefined && e.chain === broken.chain && (e.position ?? i + 1) === broken.position,
      ...(Object.keys(details).length && { details }),
      steps,
      links: linksOf(ref, e, e.details ?? {}, access),
    };
  });
  return {
    entity: shownEntity(ref, whole),
    kind: ref.kind,
    title: input.title,
    verdict: {
      ...(verdict && { ok: verdict.ok }),
      count: verdict?.count ?? events.length,
      text: verdictText(verdict, events.length),
      ...(verdict && !verdict.ok && { broken: verdict.broken }),
    },
    executions: [...executions.values()].map((x) => ({
      executionArn: x.executionArn,
      stateMachine: x.stateMachine,
      status: x.status,
      source: x.source,
    })),
    entries,
  };
}

/** The executions a trail names, once each, in the order they first appear. */
const executionsNamed = (events: readonly TrailEvent[]) => [
  ...new Set(events.map((e) => e.execution).filter((x): x is string => Boolean(x))),
];

/** What opening a timeline reads: the stores, the trail, its chain's check and the executions' histories. */
export type TimelineSources = {
  proposals: Pick<ProposalStore, 'get'>;
  participants: Pick<ParticipantStore, 'get'>;
  coverages: Pick<CoverageStore, 'get' | 'byVillage'>;
  bills: Pick<BillStore, 'get'>;
  claims: Pick<ClaimStore, 'get'>;
  audit: Pick<AuditLog, 'append' | 'byEntity'>;
  /** Recomputes the entity's chain (functions/core/audit/chain.ts `verifyChain`). */
  verify: (events: readonly ChainedAuditEvent[]) => ChainVerdict;
  /** Each execution's steps, archived or live (functions/ports/execution-archive.ts). */
  executions?: { history(executionArn: string): Promise<ExecutionRecord | undefined> };
  /** The programmes as they stand: whose regency a record of a programme belongs to. */
  findProgramme: (id: string) => Programme | undefined;
  now: () => Date;
};

export type TimelineAnswer =
  | { ok: true; timeline: Timeline; ref: EntityRef; record?: string }
  | { ok: false; status: 403 | 404; code: string; message: string };

/** How many pages of a village's coverages a participant's reference is looked for in (200 each: any desa). */
const REFERENCE_PAGES = 50;

/**
 * The participant a reference names, for a viewer who may see the village's participants: the one
 * coverage of the village with that KPJ (or masked NIK), else nobody. A village the viewer may not
 * see is not read at all.
 */
async function resolveReference(
  sources: TimelineSources,
  principal: Principal,
  ref: ParticipantReference,
): Promise<EntityRef | TimelineAnswer> {
  const village = { villageCode: ref.villageCode };
  const decisions = [authorize(principal, 'audit:read', village), authorize(principal, 'participant:read', village)];
  if (decisions.includes('hide')) return NOT_FOUND;
  if (decisions.includes('deny')) return FORBIDDEN;
  const found: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < REFERENCE_PAGES; page++) {
    const got = await sources.coverages.byVillage(ref.programmeId, ref.villageCode, { limit: 200, cursor });
    found.push(...got.items.filter((c) => participantKey(c) === ref.key).map((c) => c.nik));
    cursor = got.cursor;
    if (!cursor) break;
  }
  // Two people of one village under one masked NIK (neither with a KPJ): the reference names neither.
  if (found.length !== 1) return NOT_FOUND;
  const entity = participantEntity(found[0]!, ref.programmeId);
  return { kind: 'participant', entity, programmeId: ref.programmeId, nik: found[0]! };
}

/** How many executions of one entity are read for their steps (a proposal re-driven a few times has 2-4). */
const MAX_EXECUTIONS = 12;

const NOT_FOUND: TimelineAnswer = { ok: false, status: 404, code: 'NOT_FOUND', message: 'Rekaman tidak ditemukan.' };
const FORBIDDEN: TimelineAnswer = {
  ok: false,
  status: 403,
  code: 'FORBIDDEN',
  message: 'Anda tidak berwenang melihat riwayat rekaman ini.',
};

type Subject = { resource: Resource; title: (whole: boolean) => string; record?: string; whole: Action | undefined };

/** The record behind the entity, as far as the policy needs it: where it belongs, what it is called. */
async function subjectOf(sources: TimelineSources, ref: EntityRef): Promise<Subject | undefined> {
  switch (ref.kind) {
    case 'proposal': {
      const p = await sources.proposals.get(ref.id);
      if (!p) return undefined;
      // An upload put in the wrong place has no village of ours: the regency of its programme (as api-proposals).
      const village = /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(p.villageCode);
      return {
        resource: village
          ? { villageCode: p.villageCode }
          : { regency: sources.findProgramme(p.programmeId)?.regency.code ?? 'unknown' },
        title: () => `usulan ${redactText(p.fileName)}, ${villageLabel(p.villageCode)}`,
        record: `/app/proposals/${p.id}`,
        whole: 'proposal:report',
      };
    }
    case 'participant': {
      const found =
        (await sources.coverages.get(ref.programmeId, ref.nik)) ??
        (await sources.participants.get(ref.programmeId, ref.nik));
      if (!found) return undefined;
      return {
        resource: { villageCode: found.villageCode },
        title: (whole) =>
          `peserta ${whole ? ref.nik : maskNik(ref.nik)} (${ref.programmeId}), ${villageLabel(found.villageCode)}`,
        whole: 'participant:read',
      };
    }
    case 'bill': {
      const programme = sources.findProgramme(ref.programmeId);
      const bill = programme && (await sources.bills.get(ref.programmeId, ref.month));
      if (!bill) return undefined;
      // The version the bill was issued under, where it recorded one (issue 13).
      const issuedUnder = bill.programmeVersion
        ? `program ${ref.programmeId} versi ${bill.programmeVersion}`
        : ref.programmeId;
      return {
        resource: { regency: programme.regency.code },
        title: () => `tagihan ${issuedUnder} ${monthName(ref.month)}`,
        record: `/app/bills/${encodeURIComponent(bill.id)}`,
        whole: undefined,
      };
    }
    case 'claim': {
      const c = await sources.claims.get(ref.id);
      if (!c) return undefined;
      return {
        resource: { villageCode: c.villageCode },
        title: () => `klaim ${c.type} ${c.id}, ${villageLabel(c.villageCode)}`,
        record: `/app/claims/${c.id}`,
        whole: 'claim:bank-account',
      };
    }
  }
}

/**
 * A participant's enrolment, recorded with their batch's on an entity of its own (the participant names
 * it, `chain`): the events there that name this person, each shown with this person's KPJ and not the
 * others' NIKs, and that chain's verdict.
 */
async function enrolmentOf(
  sources: TimelineSources,
  ref: Extract<EntityRef, { kind: 'participant' }>,
  chain: string,
): Promise<{ chain: string; verdict: ChainVerdict; events: TrailEvent[] }> {
  const stored = await sources.audit.byEntity(chain);
  const events = stored.flatMap((e): TrailEvent[] => {
    const { people, ...shared } = e.details ?? {};
    const mine = Array.isArray(people)
      ? (people as unknown[]).find((x) => (x as { nik?: unknown } | null)?.nik === ref.nik)
      : undefined;
    if (!mine) return [];
    return [{ ...e, chain, details: { ...shared, kpj: (mine as { kpj?: unknown }).kpj } }];
  });
  return { chain, verdict: sources.verify(stored), events };
}

/**
 * Opens an entity's timeline for a viewer: 404 for a record they may not know exists, 403 for one
 * they may know of but not trace. A participant's or a claim's timeline shows personal data, so
 * opening it (or exporting it) is itself recorded on that entity's trail first (`VIEWED`), as opening
 * their records is; the timeline read afterwards shows it.
 */
export async function openTimeline(
  sources: TimelineSources,
  principal: Principal,
  asked: EntityRef | ParticipantReference,
  context: { format: 'page' | 'json' | 'csv' | 'xlsx'; origin: Record<string, string | undefined> },
): Promise<TimelineAnswer> {
  let ref: EntityRef;
  if (asked.kind === 'participant-reference') {
    const resolved = await resolveReference(sources, principal, asked);
    if ('ok' in resolved) return resolved;
    ref = resolved;
  } else ref = asked;
  // Another regency's programme is nobody's here: not found, rather than refused (which would confirm it).
  const programmeId = ref.kind === 'participant' || ref.kind === 'bill' ? ref.programmeId : undefined;
  const programmeRegency = programmeId && sources.findProgramme(programmeId)?.regency.code;
  if (programmeId && !(programmeRegency && regenciesReached(principal).includes(programmeRegency))) return NOT_FOUND;
  const subject = await subjectOf(sources, ref);
  if (!subject) return NOT_FOUND;
  const decisions = [
    authorize(principal, 'audit:read', subject.resource),
    authorize(principal, READ_ACTION[ref.kind], subject.resource),
  ];
  if (decisions.includes('hide')) return NOT_FOUND;
  if (decisions.includes('deny')) return FORBIDDEN;
  const whole = subject.whole !== undefined && authorize(principal, subject.whole, subject.resource) === 'allow';
  if (ref.kind === 'participant' || ref.kind === 'claim') {
    await sources.audit.append({
      entity: ref.entity,
      action: 'VIEWED',
      actor: actorOf(principal),
      at: sources.now().toISOString(),
      details: { view: 'timeline', format: context.format, whole, userId: principal.id, ...context.origin },
    });
  }
  const own = await sources.audit.byEntity(ref.entity);
  const participant = ref.kind === 'participant' ? await sources.participants.get(ref.programmeId, ref.nik) : undefined;
  // Enrolled before batches were recorded, a participant has no `enrolment`: their own chain holds it.
  const enrolment =
    ref.kind === 'participant' && participant?.enrolment
      ? await enrolmentOf(sources, ref, participant.enrolment)
      : undefined;
  const events: TrailEvent[] = [...(enrolment?.events ?? []), ...own];
  let verdict = combinedVerdict(sources.verify(own), enrolment ? [enrolment] : []);
  // The participant's pointer to its batch is in no chain: removed or redirected, it would hide the
  // enrolment behind a whole verdict. A participant with no record (a coverage opened by itself, as
  // some tests do) has nothing to point with.
  const enrolled = events.some((e) => e.action === 'PARTICIPANTS_ENROLLED' || e.action === 'PARTICIPANT_ENROLLED');
  if (verdict.ok && participant && !enrolled)
    verdict = { ok: false, count: verdict.count, broken: { position: 1, reason: 'enrolment', chain: 'enrolment' } };
  const executions = new Map<string, ExecutionRecord>();
  if (sources.executions) {
    const histories = sources.executions;
    const found = await pMap(
      executionsNamed(events).slice(0, MAX_EXECUTIONS),
      // An execution Step Functions no longer keeps and the archive never got is shown without steps.
      (arn) => histories.history(arn).catch(() => undefined),
      { concurrency: 4 },
    );
    for (const x of found) if (x) executions.set(x.executionArn, x);
  }
  const may = (action: Action, resource: Resource) => authorize(principal, action, resource) === 'allow';
  const timeline = buildTimeline({
    ref,
    title: subject.title(whole),
    events,
    verdict,
    executions,
    whole,
    access: {
      report: ref.kind === 'proposal' && may('proposal:report', subject.resource),
      // The bills of the record's own regency (an auditor may reach several).
      bills: may('bill:read', {
        regency:
          'villageCode' in subject.resource ? regencyCodeOf(subject.resource.villageCode) : subject.resource.regency,
      }),
      documents: ref.kind === 'claim' && may('claim:documents', subject.resource),
      proposals: may('proposal:history', subject.resource),
    },
  });
  return { ok: true, timeline, ref, record: subject.record };
}
