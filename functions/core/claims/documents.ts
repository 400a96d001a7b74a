import type { ClaimType, DocumentType, Heir, RequiredDocument } from './claim';
import { rupiah } from './benefit';
import { recipientsOf } from './heirs';

/**
 * The documents BPJS Ketenagakerjaan needs for a claim, as the operator's checklist: JKM per
 * Permenaker 4/2023 Ps. 57, JKK per the tahap II report (Permenaker 5/2021 as amended by 1/2025,
 * Ps. 8), a work-accident death both. A claim waits for missing documents; it is never refused
 * for them alone.
 */

/** NPWP is asked for when the payout exceeds Rp50 juta (Permenaker 4/2023 Ps. 57; DOMAIN.md). */
const NPWP_ABOVE = 50_000_000;

/** In Indonesian, as on BPJS's checklist. */
const DOCUMENT_LABEL: Record<DocumentType, string> = {
  KPJ_CARD: 'Kartu peserta BPJS Ketenagakerjaan (KPJ)',
  KTP_PARTICIPANT: 'KTP peserta',
  KTP_HEIR: 'KTP ahli waris',
  FAMILY_CARD: 'Kartu Keluarga (KK)',
  DEATH_CERTIFICATE: 'Surat keterangan kematian atau akta kematian',
  HEIR_STATEMENT: 'Surat keterangan ahli waris (ditandatangani lurah/kepala desa dan camat)',
  BANK_BOOK: 'Buku tabungan atas nama ahli waris penerima',
  MARRIAGE_BOOK: 'Buku nikah (penerima adalah janda/duda)',
  NPWP: `NPWP penerima (manfaat lebih dari ${rupiah(NPWP_ABOVE)})`,
  ACCIDENT_REPORT: 'Laporan kecelakaan kerja (kronologi kejadian)',
  DOCTOR_STATEMENT: 'Surat keterangan dokter',
  MEDICAL_RECEIPTS: 'Kuitansi biaya pengobatan',
};

const JKK: DocumentType[] = ['KPJ_CARD', 'KTP_PARTICIPANT', 'ACCIDENT_REPORT', 'DOCTOR_STATEMENT', 'MEDICAL_RECEIPTS'];
const DEATH: DocumentType[] = [
  'KPJ_CARD',
  'KTP_PARTICIPANT',
  'KTP_HEIR',
  'FAMILY_CARD',
  'DEATH_CERTIFICATE',
  'HEIR_STATEMENT',
  'BANK_BOOK',
];

/** One line of the checklist, not received yet. */
export const awaitedDocument = (type: DocumentType): RequiredDocument => ({
  type,
  label: DOCUMENT_LABEL[type],
  present: false,
});

/** The checklist for a claim, nothing received yet. `benefitTotal` decides the NPWP. */
export function requiredDocuments(type: ClaimType, heirs: readonly Heir[], benefitTotal: number): RequiredDocument[] {
  const types = new Set<DocumentType>(type === 'JKK' ? JKK : type === 'JKM' ? DEATH : [...JKK, ...DEATH]);
  if (type !== 'JKK' && recipientsOf(heirs).some((h) => h.relationship === 'SPOUSE')) types.add('MARRIAGE_BOOK');
  if (benefitTotal > NPWP_ABOVE) types.add('NPWP');
  return [...types].map(awaitedDocument);
}

/**
 * The checklist with one document received (its S3 key and when). A document not on the list
 * (sent before BPJS asked for it) is added. Receiving it again replaces the earlier file.
 */
export function withDocument(docs: readonly RequiredDocument[], type: DocumentType, key: string, at: string) {
  const received = (d: RequiredDocument): RequiredDocument => ({ ...d, present: true, key, receivedAt: at });
  return docs.some((d) => d.type === type)
    ? docs.map((d) => (d.type === type ? received(d) : d))
    : [...docs, received(awaitedDocument(type))];
}

export const missing = (docs: readonly RequiredDocument[]) => docs.filter((d) => !d.present);
