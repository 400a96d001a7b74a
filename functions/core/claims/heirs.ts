import { maskNik } from '../privacy/mask';
import { parseNik } from '../validation/nik';
import type { ClaimIssue, ClaimType, Heir, Relationship } from './claim';

/**
 * Who receives a death benefit (Permenaker 4/2023 Ps. 57(4)): the widow or widower or the
 * children; if there are none, blood relatives in a straight line to the second degree (parents,
 * grandchildren, grandparents); then siblings; then parents-in-law; then whoever the participant
 * named in a will. A lower rank receives nothing while a higher one is named on the claim.
 *
 * Messages quote heirs by name and masked NIK: they are stored on the claim and mailed.
 */

const RULE = 'Permenaker 4/2023 Pasal 57 ayat (4)';

/** Rank 1 is entitled first. */
const RANK: Record<Relationship, number> = {
  SPOUSE: 1,
  CHILD: 1,
  PARENT: 2,
  GRANDCHILD: 2,
  GRANDPARENT: 2,
  SIBLING: 3,
  PARENT_IN_LAW: 4,
  WILL_NAMED: 5,
};

const RELATIONSHIP_TEXT: Record<Relationship, string> = {
  SPOUSE: 'janda/duda',
  CHILD: 'anak',
  PARENT: 'orang tua',
  GRANDCHILD: 'cucu',
  GRANDPARENT: 'kakek/nenek',
  SIBLING: 'saudara kandung',
  PARENT_IN_LAW: 'mertua',
  WILL_NAMED: 'pihak yang ditunjuk dalam wasiat',
};

const DEATH_TYPES: readonly ClaimType[] = ['JKM', 'JKK_DEATH'];

/** The heirs of the highest rank named on the claim: the only ones entitled. */
export function entitledHeirs(heirs: readonly Heir[]): Heir[] {
  const best = Math.min(...heirs.map((h) => RANK[h.relationship]));
  return heirs.filter((h) => RANK[h.relationship] === best);
}

/**
 * Who the benefit is paid to: the heirs the filer marked as recipients, or else the first heir of
 * the entitled rank, in the order the filer listed them. Empty when there are no heirs.
 */
export function recipientsOf(heirs: readonly Heir[]): Heir[] {
  const chosen = heirs.filter((h) => h.recipient);
  if (chosen.length > 0) return chosen;
  const first = entitledHeirs(heirs)[0];
  return first ? [first] : [];
}

export const recipientOf = (heirs: readonly Heir[]): Heir | undefined => recipientsOf(heirs)[0];

/** Names as banks and KTPs print them differ in case, spacing and punctuation only, or they differ. */
const normalName = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');
const sameName = (a: string, b: string) => normalName(a) === normalName(b);

const who = (h: Heir) => `${h.name} (${RELATIONSHIP_TEXT[h.relationship]}, NIK ${maskNik(h.nik)})`;

/** The heirs on a filing, checked: a death claim needs one, each a real and different person, paid by rank. */
export function checkHeirs(heirs: readonly Heir[], participantNik: string, type: ClaimType): ClaimIssue[] {
  const issues: ClaimIssue[] = [];
  if (heirs.length === 0) {
    if (DEATH_TYPES.includes(type)) {
      issues.push({
        code: 'HEIRS_MISSING',
        severity: 'REFUSAL',
        message:
          'Klaim kematian harus menyebut paling sedikit satu ahli waris penerima manfaat, dengan NIK dan ' +
          'rekening bank atas namanya.',
      });
    }
    return issues;
  }

  const seen = new Set<string>();
  for (const h of heirs) {
    if (!parseNik(h.nik).ok) {
      issues.push({
        code: 'HEIR_NIK_INVALID',
        severity: 'REFUSAL',
        message: `NIK ahli waris ${h.name} (${maskNik(h.nik)}) tidak mungkin benar. Periksa kembali dari KTP/KK.`,
      });
    }
    if (h.nik === participantNik) {
      issues.push({
        code: 'HEIR_IS_PARTICIPANT',
        severity: 'REFUSAL',
        message: `Ahli waris ${h.name} ber-NIK sama dengan peserta yang meninggal. Isi NIK ahli waris dari KTP-nya sendiri.`,
      });
    }
    if (seen.has(h.nik)) {
      issues.push({
        code: 'HEIR_DUPLICATE_NIK',
        severity: 'REFUSAL',
        message: `NIK ${maskNik(h.nik)} tertulis untuk lebih dari satu ahli waris. Setiap ahli waris dicatat sekali.`,
      });
    }
    seen.add(h.nik);
  }

  const entitled = entitledHeirs(heirs);
  const rank = RANK[entitled[0]!.relationship];
  for (const r of recipientsOf(heirs)) {
    if (!sameName(r.bankAccount.holder, r.name)) {
      issues.push({
        code: 'BANK_HOLDER_DIFFERS',
        severity: 'WARNING',
        message:
          `Rekening penerima atas nama ${r.bankAccount.holder}, bukan ${r.name}. BPJS membayar ke rekening ` +
          'atas nama ahli waris sendiri: pastikan buku tabungan atas nama penerima.',
      });
    }
    if (RANK[r.relationship] > rank) {
      issues.push({
        code: 'HEIR_NOT_ENTITLED',
        severity: 'REFUSAL',
        message:
          `${who(r)} tidak berhak menerima manfaat selama ada ahli waris yang lebih dahulu berhak: ` +
          `${entitled.map(who).join(', ')}. Urutan ahli waris menurut ${RULE}: janda/duda atau anak; ` +
          'jika tidak ada, keluarga sedarah garis lurus sampai derajat kedua; lalu saudara kandung; lalu mertua; ' +
          'lalu pihak yang ditunjuk dalam wasiat. Pilih penerima dari ahli waris yang berhak.',
      });
    }
  }
  return issues;
}
