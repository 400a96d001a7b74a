import * as z from 'zod';
import regenciesJson from './data/regencies.json';

/**
 * The regencies Jaring serves and the Dinas Sosial that runs the programme in each: what mails,
 * pages, templates and reports name. Data (data/regencies.json), not code, so a new regency is a
 * record here and its villages in regions.json (scripts/extract-regions.ts reads the codes from here).
 *
 * Addresses are the office's town, regency and province: the street addresses are not in our
 * sources (shared/DOMAIN.md), and a wrong street is worse than none on a letter.
 */
export const RegencyRecord = z.object({
  /** Kemendagri code, "62.03": the first 5 characters of each of its villages' codes. */
  code: z.string().regex(/^\d{2}\.\d{2}$/),
  /** As people write it: "Kabupaten Kapuas". */
  name: z.string().min(1),
  province: z.string().min(1),
  /** The regency's seat, where its offices are (and a birthplace in the template's examples). */
  capital: z.string().min(1),
  dinasSosial: z.object({ name: z.string().min(1), address: z.string().min(1) }),
});
export type RegencyRecord = z.infer<typeof RegencyRecord>;

const RegencyRecords = z.object({ regencies: z.array(RegencyRecord).min(1) });

const records = RegencyRecords.parse(regenciesJson).regencies;
const byCode = new Map(records.map((r) => [r.code, r]));

/** Every regency Jaring serves, in the order of the data. */
export function servedRegencies(): readonly RegencyRecord[] {
  return records;
}

/** A regency by its code ("61.12"), if Jaring serves it. */
export function findRegency(code: string): RegencyRecord | undefined {
  return byCode.get(code);
}

/** The regency a village code ("61.12.01.2003") lies in: its first 5 characters. */
export const regencyCodeOf = (villageCode: string) => villageCode.slice(0, 5);

/**
 * The Dinas Sosial of a regency by name, for texts: a regency we do not carry still reads sensibly
 * ("Dinas Sosial Kabupaten X" from the programme's own regency name, or plain "Dinas Sosial").
 */
export function dinasSosialName(regency: { code: string; name?: string } | string | undefined): string {
  if (regency === undefined) return 'Dinas Sosial';
  const code = typeof regency === 'string' ? regency : regency.code;
  const known = findRegency(code);
  if (known) return known.dinasSosial.name;
  return typeof regency === 'object' && regency.name ? `Dinas Sosial ${regency.name}` : 'Dinas Sosial';
}

/** A regency's name ("Kabupaten Kubu Raya"), or its code when Jaring does not serve it. */
export function regencyName(code: string): string {
  return findRegency(code)?.name ?? `kabupaten ${code}`;
}

/** Whom an operator asks, with where: "Dinas Sosial Kabupaten Kapuas, Kuala Kapuas, ...". */
export function dinasSosialContact(code: string): string {
  const known = findRegency(code);
  return known ? `${known.dinasSosial.name}, ${known.dinasSosial.address}` : 'Dinas Sosial kabupaten Anda';
}
