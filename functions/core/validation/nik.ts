import * as z from 'zod';
import type { RawCell } from '../spreadsheet/read-proposal-sheet';
import { issue, type RowIssue } from './messages';

/**
 * NIK: PP RR DD (province, regency, district of first issue) + DDMMYY birth date (day + 40 for
 * women) + 4-digit serial (shared/DOMAIN.md).
 *
 * Spreadsheets mangle NIKs, and a mangled NIK is a different person, so damage is reported, never
 * repaired. A number cell is not a NIK until proven:
 * - Excel keeps 15 significant digits: a 16-digit NIK typed into a General/Number cell is stored
 *   with its last digit turned to 0. A 16-digit number ending in 0 is therefore refused
 *   (NIK_PRECISION_LOST) even though one real NIK in ten ends in 0 (LibreOffice keeps those
 *   exact): we cannot tell which, and retyping it as text costs the operator one cell.
 * - A 16-digit number not ending in 0 and below 2^53 cannot have been truncated by Excel (its
 *   truncation always leaves a trailing 0) and doubles hold it exactly: accepted, with a warning
 *   to make the column Text (NIK_NUMBER_CELL).
 * - At or above 2^53 doubles skip integers: refused.
 * - Text in scientific notation ("6,20301E+15", from a CSV saved by Excel) has lost digits: refused.
 * NIKs never start with 0 (province codes are 11-9x), so no leading-zero case arises for the NIK
 * itself: a 15-digit value is simply the wrong length.
 */

export const NikParts = z.object({
  nik: z.string().regex(/^\d{16}$/),
  /** "62" */
  provinceCode: z.string(),
  /** "62.03", in Kemendagri notation, comparable with Programme.regency.code. */
  regencyCode: z.string(),
  /** "62.03.01" */
  districtCode: z.string(),
  birthDay: z.number().int().min(1).max(31),
  birthMonth: z.number().int().min(1).max(12),
  /** The NIK carries only two digits of the year. */
  birthYearTwoDigits: z.number().int().min(0).max(99),
  sex: z.enum(['L', 'P']),
  serial: z.string().regex(/^\d{4}$/),
});
export type NikParts = z.infer<typeof NikParts>;

export type NikReading = { ok: true; parts: NikParts; warnings: RowIssue[] } | { ok: false; issue: RowIssue };

const TWO_POW_53 = 2 ** 53;
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?\s*e\s*[+-]?\d+$/i;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Parse a 16-digit string. The date is possible if it exists in 19YY or in 20YY (29 Feb). */
export function parseNik(nik: string): { ok: true; parts: NikParts } | { ok: false; issue: RowIssue } {
  if (!/^\d{16}$/.test(nik))
    return { ok: false, issue: issue('NIK_LENGTH', { digits: nik.replace(/\D/g, '').length, numberCell: false }) };
  const province = Number(nik.slice(0, 2));
  if (province < 11 || nik.slice(2, 4) === '00' || nik.slice(4, 6) === '00')
    return { ok: false, issue: issue('NIK_REGION_INVALID', { nik }) };
  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex = rawDay > 40 ? 'P' : 'L';
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  const possible =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    (day <= daysInMonth(1900 + yy, month) || day <= daysInMonth(2000 + yy, month));
  if (!possible) return { ok: false, issue: issue('NIK_DATE_INVALID', { nik }) };
  const serial = nik.slice(12);
  if (serial === '0000') return { ok: false, issue: issue('NIK_SERIAL_INVALID', { nik }) };
  return {
    ok: true,
    parts: {
      nik,
      provinceCode: nik.slice(0, 2),
      regencyCode: `${nik.slice(0, 2)}.${nik.slice(2, 4)}`,
      districtCode: `${nik.slice(0, 2)}.${nik.slice(2, 4)}.${nik.slice(4, 6)}`,
      birthDay: day,
      birthMonth: month,
      birthYearTwoDigits: yy,
      sex,
      serial,
    },
  };
}

/** Read the NIK cell of a row: text as typed, or a number only when it cannot have been damaged. */
export function readNikCell(cell: RawCell | undefined): NikReading {
  const value = cell?.value;
  if (typeof value === 'number') return readNikNumber(value);
  const text = (cell?.text ?? '').trim();
  if (text === '') return { ok: false, issue: issue('NIK_MISSING') };
  if (value instanceof Date || typeof value === 'boolean') return { ok: false, issue: issue('NIK_FORMAT', { text }) };
  // A leading apostrophe is how operators force Excel to keep text; it is not part of the NIK.
  const typed = text.replace(/^'/, '');
  if (SCIENTIFIC.test(typed)) return { ok: false, issue: issue('NIK_SCIENTIFIC', { text: typed }) };
  // Spaces, dots and dashes between digit groups ("6203 0141 ...", "62.03.01...") change nothing.
  if (!/^[\d\s.-]+$/.test(typed)) return { ok: false, issue: issue('NIK_FORMAT', { text: typed }) };
  const digits = typed.replace(/\D/g, '');
  if (digits.length !== 16)
    return { ok: false, issue: issue('NIK_LENGTH', { digits: digits.length, numberCell: false }) };
  const parsed = parseNik(digits);
  return parsed.ok ? { ok: true, parts: parsed.parts, warnings: [] } : parsed;
}

function readNikNumber(value: number): NikReading {
  if (!Number.isFinite(value) || !Number.isInteger(value) || value < 0) {
    return { ok: false, issue: issue('NIK_FORMAT', { text: String(value) }) };
  }
  if (value >= TWO_POW_53) return { ok: false, issue: issue('NIK_PRECISION_LOST', { text: BigInt(value).toString() }) };
  const digits = String(value);
  if (digits.length !== 16)
    return { ok: false, issue: issue('NIK_LENGTH', { digits: digits.length, numberCell: true }) };
  if (digits.endsWith('0')) return { ok: false, issue: issue('NIK_PRECISION_LOST', { text: digits }) };
  const parsed = parseNik(digits);
  return parsed.ok ? { ok: true, parts: parsed.parts, warnings: [issue('NIK_NUMBER_CELL')] } : parsed;
}
