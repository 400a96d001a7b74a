import { Heir, type Relationship } from '../../../functions/core/claims/claim';

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
