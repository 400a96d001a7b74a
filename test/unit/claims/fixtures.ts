import { computeBenefit } from '../../../functions/core/claims/benefit';
import { Claim, Heir, type Relationship } from '../../../functions/core/claims/claim';
import { requiredDocuments } from '../../../functions/core/claims/documents';

/** The participant who died: born 15 June 1988 in Kapuas. */
export const PARTICIPANT_NIK = '6203011506880001';

/** A valid heir NIK per serial: born 15 May 1990, a woman (day + 40). */
export const heirNik = (n: number) => `620301550590${String(n).padStart(4, '0')}`;

export function heir(n: number, relationship: Relationship, over: Partial<Heir> = {}): Heir {
  const name = over.name ?? `Ahli Waris ${n}`;
  return Heir.parse({
    nik: heirNik(n),
    name,
    relationship,
    bankAccount: { bank: 'BRI', number: `00120100${n}`, holder: name },
    ...over,
  });
}

/** A claim as the store would hold it after filing; `over` sets what a test is about. */
export function claim(over: Partial<Claim> = {}): Claim {
  const type = over.type ?? 'JKM';
  const heirs = over.heirs ?? [heir(1, 'SPOUSE')];
  const benefit =
    over.benefit ??
    computeBenefit({ type, eventDate: over.eventDate ?? '2026-03-10', declaredIncome: 1_000_000, paidMonths: 6 });
  return Claim.parse({
    id: 'klaim-1',
    programmeId: 'kapuas-2026-apbd',
    nik: PARTICIPANT_NIK,
    kpj: '26010000001',
    villageCode: '62.03.01.2011',
    type,
    eventDate: '2026-03-10',
    description: 'Meninggal dunia di rumah karena sakit.',
    declaredIncome: 1_000_000,
    heirs,
    status: 'WAITING_FOR_DOCUMENTS',
    issues: [],
    requiredDocuments: requiredDocuments(type, heirs, benefit.total),
    benefit,
    decisions: [],
    payouts: [],
    filedBy: 'operator-pulau-telo',
    filedAt: '2026-03-11T02:00:00.000Z',
    updatedAt: '2026-03-11T02:00:00.000Z',
    ...over,
  });
}
