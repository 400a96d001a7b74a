import { normaliseLabel } from '../spreadsheet/proposal-columns';

/**
 * What operators write in the occupation column, mapped to the programme's categories. Words
 * come from BNBA lists and from the KTP occupation list ("PETANI/PEKEBUN", "BURUH HARIAN LEPAS").
 * A synonym only counts when its category is one the programme names.
 */
const SYNONYMS: Record<string, string[]> = {
  petani: [
    'petani',
    'tani',
    'bertani',
    'petani pekebun',
    'pekebun',
    'berkebun',
    'peladang',
    'petani karet',
    'petani sawit',
    'penyadap karet',
    'petani padi',
    'petani sayur',
    'peternak',
  ],
  nelayan: ['nelayan', 'nelayan perikanan', 'penangkap ikan', 'pencari ikan', 'pembudidaya ikan', 'nelayan sungai'],
  'pedagang pasar': [
    'pedagang pasar',
    'pedagang',
    'dagang',
    'berdagang',
    'pedagang kecil',
    'pedagang keliling',
    'pedagang sayur',
    'pedagang ikan',
    'penjual',
    'jualan',
  ],
  'buruh harian lepas': [
    'buruh harian lepas',
    'buruh harian',
    'bhl',
    'buruh',
    'buruh lepas',
    'buruh tani',
    'buruh tani perkebunan',
    'buruh bangunan',
    'kuli',
    'kuli bangunan',
    'tukang',
    'serabutan',
    'pekerja serabutan',
  ],
  'pekerja keagamaan': [
    'pekerja keagamaan',
    'guru ngaji',
    'marbot',
    'imam masjid',
    'penjaga masjid',
    'pengurus masjid',
    'guru agama honorer',
    'penyuluh agama',
  ],
  'pekerja pemberdayaan sosial': [
    'pekerja pemberdayaan sosial',
    'kader posyandu',
    'kader',
    'relawan',
    'relawan sosial',
    'pendamping sosial',
    'tksk',
  ],
};

const entries = Object.entries(SYNONYMS)
  .flatMap(([category, words]) => words.map((w) => ({ key: normaliseLabel(w), category })))
  // Longest first, so "buruh harian lepas" wins over "buruh" for "buruh harian lepas harian".
  .sort((a, b) => b.key.length - a.key.length);

/**
 * The programme category an occupation falls under, or undefined. Matches the whole text, or its
 * first words ("petani karet" -> petani, "pedagang sayur keliling" -> pedagang pasar).
 */
export function occupationCategory(text: string, categories: readonly string[]): string | undefined {
  const value = normaliseLabel(text);
  if (!value) return undefined;
  const own = categories.find((c) => normaliseLabel(c) === value);
  if (own) return own;
  for (const { key, category } of entries) {
    if (value !== key && !value.startsWith(`${key} `)) continue;
    const match = categories.find((c) => normaliseLabel(c) === normaliseLabel(category));
    if (match) return match;
  }
  return undefined;
}
