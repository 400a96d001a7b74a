import { findRegency, servedRegencies } from '../regions/regencies';

/**
 * The two example rows of the proposal template (template.ts), in the programme's own regency: NIKs
 * of its first kecamatan, born in its seat. Operators often leave them in place; the row rules refuse
 * these NIKs (of every served regency) so the examples can never be enrolled as people.
 */
const EXAMPLES = [
  {
    // After the 6-digit region: born 12-05-1985, serial 9991.
    nikTail: '1205859991',
    kkTail: '1205859990',
    name: 'Budi Santoso',
    birthDate: '12-05-1985',
    sex: 'L',
    occupation: 'petani',
    address: 'Jl. Contoh No. 1 RT 001 RW 001',
    phone: '081234567890',
    dtsenDecile: 2,
  },
  {
    nikTail: '6308909992',
    kkTail: '6308909990',
    name: 'Siti Aminah',
    birthDate: '23-08-1990',
    sex: 'P',
    occupation: 'pedagang pasar',
    address: 'Jl. Contoh No. 2 RT 002 RW 001',
    phone: '081298765432',
    dtsenDecile: 3,
  },
] as const;

/** The examples for a regency ("62.03"): NIK and KK in its kecamatan 01. */
export function templateExamples(regencyCode: string) {
  const region = `${regencyCode.replace('.', '')}01`;
  const birthPlace = findRegency(regencyCode)?.capital ?? 'Contoh';
  return EXAMPLES.map(({ nikTail, kkTail, ...rest }) => ({
    ...rest,
    nik: `${region}${nikTail}`,
    kk: `${region}${kkTail}`,
    birthPlace,
  }));
}

export const TEMPLATE_EXAMPLE_NIKS: ReadonlySet<string> = new Set(
  servedRegencies().flatMap((r) => templateExamples(r.code).map((e) => e.nik)),
);
