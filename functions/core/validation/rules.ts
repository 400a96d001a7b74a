import type { Programme } from '../programmes/programme';
import type { RawCell, SheetRow } from '../spreadsheet/read-proposal-sheet';
import { TEMPLATE_EXAMPLE_NIKS } from '../spreadsheet/template-examples';
import { Worker, type Sex } from '../workers/worker';
import { issue, type RowIssue } from './messages';
import { readNikCell, type NikParts } from './nik';
import { occupationCategory } from './occupations';

/**
 * The rules one proposal row must pass on its own (shared/DOMAIN.md). Errors make the row invalid;
 * warnings keep it valid and tell the verifier what to look at. Checks that need other rows in
 * the file are InFileDuplicates below; checks that need the store (already enrolled, quotas) are
 * not here.
 */

export type RowVerdict = {
  row: number;
  errors: RowIssue[];
  warnings: RowIssue[];
  /** Present iff there are no errors. */
  worker?: Worker;
  /** The NIK when it could be read, even on an invalid row: duplicates are people, not rows. */
  nik?: string;
};

export type CalendarDate = { year: number; month: number; day: number };

const MONTHS: Record<string, number> = {
  jan: 1,
  januari: 1,
  january: 1,
  feb: 2,
  februari: 2,
  february: 2,
  peb: 2,
  pebruari: 2,
  mar: 3,
  maret: 3,
  march: 3,
  apr: 4,
  april: 4,
  mei: 5,
  may: 5,
  jun: 6,
  juni: 6,
  june: 6,
  jul: 7,
  juli: 7,
  july: 7,
  agu: 8,
  agt: 8,
  ags: 8,
  agustus: 8,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  okt: 10,
  oktober: 10,
  oct: 10,
  october: 10,
  nov: 11,
  nopember: 11,
  november: 11,
  des: 12,
  desember: 12,
  dec: 12,
  december: 12,
};

const isoDate = (d: CalendarDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const shownDate = (d: CalendarDate) =>
  `${String(d.day).padStart(2, '0')}-${String(d.month).padStart(2, '0')}-${d.year}`;

function realDate(year: number, month: number, day: number): CalendarDate | undefined {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return { year, month, day };
}

/**
 * A birth date as Excel stores it (a Date, or a bare serial number in a General cell) or as typed:
 * 31-12-1980, 31/12/1980, 31.12.1980, 1980-12-31, 31 Desember 1980, or "Kuala Kapuas, 31-12-1980"
 * (a "Tempat, Tanggal Lahir" column). Day comes first, as Indonesians write it. Two-digit years
 * are refused: the century is a guess, and a wrong guess moves a person across the age limit.
 */
export function readBirthDate(
  cell: RawCell | undefined,
): { ok: true; date: CalendarDate } | { ok: false; issue: RowIssue } {
  const value = cell?.value;
  const text = (cell?.text ?? '').trim();
  if (value instanceof Date) {
    const date = Number.isNaN(value.getTime())
      ? undefined
      : realDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
    return date ? { ok: true, date } : { ok: false, issue: issue('BIRTHDATE_FORMAT', { text }) };
  }
  if (typeof value === 'number') {
    // A date typed into a General cell keeps Excel's serial day number (1 = 1900-01-01).
    if (Number.isInteger(value) && value > 60 && value < 73_051) {
      const d = new Date(Math.round((value - 25569) * 86_400_000));
      const date = realDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      if (date) return { ok: true, date };
    }
    return { ok: false, issue: issue('BIRTHDATE_FORMAT', { text }) };
  }
  if (text === '') return { ok: false, issue: issue('BIRTHDATE_MISSING') };
  const date = parseDateText(text.includes(',') ? text.slice(text.lastIndexOf(',') + 1).trim() : text);
  return date ? { ok: true, date } : { ok: false, issue: issue('BIRTHDATE_FORMAT', { text }) };
}

function parseDateText(input: string): CalendarDate | undefined {
  // A time part from database exports ("1980-12-31 00:00:00") says nothing about the day.
  const text = input.replace(/[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/i, '').trim();
  let m = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$/.exec(text);
  if (m) return realDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{4})$/i.exec(text);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    return month ? realDate(Number(m[3]), month, Number(m[1])) : undefined;
  }
  return undefined;
}

/** L/P, Laki-laki/Perempuan, Pria/Wanita, LK/PR, and the English words. */
export function readSex(text: string): Sex | undefined {
  const value = text.toLowerCase().replace(/[^a-z]/g, '');
  if (['l', 'lk', 'laki', 'lakilaki', 'lakil', 'pria', 'male', 'm'].includes(value)) return 'L';
  if (['p', 'pr', 'perempuan', 'wanita', 'w', 'female', 'f'].includes(value)) return 'P';
  return undefined;
}

/** Whole years from birth to a date. */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  const beforeBirthday = on.month < birth.month || (on.month === birth.month && on.day < birth.day);
  return on.year - birth.year - (beforeBirthday ? 1 : 0);
}

const cellText = (cell: RawCell | undefined) => (cell?.text ?? '').trim().replace(/\s+/g, ' ');

/** Letters (any script), spaces and the marks names carry: "Muh. Ali", "Nur'aini", "Siti-Aisyah". */
const NAME_SHAPE = /^[\p{L}\p{M}][\p{L}\p{M} .,'’`-]*$/u;

/**
 * The longest name accepted, in characters. Permendagri 73/2022 Ps. 4(2)b caps a name recorded
 * on a KTP at 60 letters including spaces, but only for names recorded since 21 April 2022:
 * older, longer names stay valid (Dukcapil), and KTP-el may add abbreviated titles. So 60 would
 * refuse real people; 100 leaves room for those and still refuses a cell that holds something
 * other than a name (a pasted paragraph, 32,000 characters).
 */
const NAME_MAX_CHARS = 100;

function checkName(text: string): RowIssue | undefined {
  if (text === '') return issue('NAME_MISSING');
  if (text.length > NAME_MAX_CHARS) return issue('NAME_TOO_LONG', { text, max: NAME_MAX_CHARS });
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (!NAME_SHAPE.test(text) || letters < 2) return issue('NAME_IMPLAUSIBLE', { text });
  return undefined;
}

function readDecile(cell: RawCell | undefined): { decile?: number; issue?: RowIssue } {
  const text = cellText(cell);
  if (text === '') return {};
  const m = /^(?:desil\s*)?(\d{1,2})(?:[.,]0+)?$/i.exec(text);
  const decile = m ? Number(m[1]) : NaN;
  if (!(decile >= 1 && decile <= 10)) return { issue: issue('DTSEN_DECILE_INVALID', { text }) };
  return { decile };
}

/**
 * An Indonesian mobile number as 08...; "+62 812-..." and "62812..." are the same number, and
 * "812..." is what a number cell leaves of "0812..." (a phone number is not an identity: restoring
 * the 0 cannot make it someone else's).
 */
function readPhone(cell: RawCell | undefined): { phone?: string; issue?: RowIssue } {
  const text = cellText(cell);
  if (text === '') return {};
  if (!/^[\d\s+\-().]+$/.test(text)) return { issue: issue('PHONE_INVALID', { text }) };
  let digits = text.replace(/\D/g, '');
  if (digits.startsWith('62')) digits = `0${digits.slice(2)}`;
  else if (digits.startsWith('8')) digits = `0${digits}`;
  return /^08\d{7,11}$/.test(digits) ? { phone: digits } : { issue: issue('PHONE_INVALID', { text }) };
}

function checkKk(cell: RawCell | undefined, nik: string | undefined): RowIssue | undefined {
  const text = cellText(cell);
  if (text === '') return undefined;
  // The same spreadsheet damage as NIK; the KK is not enrolled, so it is only a warning.
  if (typeof cell?.value === 'number') return issue('KK_FORMAT', { text });
  const digits = text.replace(/^'/, '').replace(/[\s.-]/g, '');
  if (!/^\d{16}$/.test(digits)) return issue('KK_FORMAT', { text });
  if (digits === nik) return issue('KK_SAME_AS_NIK');
  return undefined;
}

const fromIso = (iso: string): CalendarDate => {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

export function validateRow(row: SheetRow, programme: Programme): RowVerdict {
  const { cells } = row;
  const errors: RowIssue[] = [];
  const warnings: RowIssue[] = [];

  const nikReading = readNikCell(cells.nik);
  let nik: NikParts | undefined;
  if (nikReading.ok) {
    nik = nikReading.parts;
    warnings.push(...nikReading.warnings);
    if (TEMPLATE_EXAMPLE_NIKS.has(nik.nik)) errors.push(issue('NIK_EXAMPLE_ROW'));
    if (nik.regencyCode !== programme.regency.code) {
      warnings.push(
        issue('NIK_OUTSIDE_REGENCY', { regencyCode: programme.regency.code, regencyName: programme.regency.name }),
      );
    }
  } else {
    errors.push(nikReading.issue);
  }

  const name = cellText(cells.name);
  const nameIssue = checkName(name);
  if (nameIssue) errors.push(nameIssue);

  const birth = readBirthDate(cells.birthDate);
  if (!birth.ok) errors.push(birth.issue);
  if (birth.ok && nik) {
    const { date } = birth;
    if (date.day !== nik.birthDay || date.month !== nik.birthMonth || date.year % 100 !== nik.birthYearTwoDigits) {
      const nikDate = `${String(nik.birthDay).padStart(2, '0')}-${String(nik.birthMonth).padStart(2, '0')}-..${String(nik.birthYearTwoDigits).padStart(2, '0')}`;
      errors.push(issue('BIRTHDATE_MISMATCH', { rowDate: shownDate(date), nikDate }));
    }
  }
  if (birth.ok) {
    const at = fromIso(programme.coverage.start);
    const age = ageOn(birth.date, at);
    const { min, max } = programme.ageLimits;
    if (age < min || age > max) errors.push(issue('AGE_OUT_OF_RANGE', { age, min, max, at: shownDate(at) }));
  }

  const sexText = cellText(cells.sex);
  const sex = readSex(sexText);
  if (sexText === '') errors.push(issue('SEX_MISSING'));
  else if (!sex) errors.push(issue('SEX_UNKNOWN', { text: sexText }));
  else if (nik && nik.sex !== sex) errors.push(issue('SEX_MISMATCH', { sex, nikSex: nik.sex }));

  const occupation = cellText(cells.occupation);
  const category = occupation ? occupationCategory(occupation, programme.occupations) : undefined;
  if (occupation === '') errors.push(issue('OCCUPATION_MISSING'));
  else if (!category)
    warnings.push(issue('OCCUPATION_UNKNOWN', { text: occupation, categories: programme.occupations }));

  const decile = readDecile(cells.dtsenDecile);
  if (decile.issue) warnings.push(decile.issue);
  if (decile.decile !== undefined && decile.decile > programme.dtsenDecileThreshold) {
    warnings.push(issue('DTSEN_DECILE_HIGH', { decile: decile.decile, threshold: programme.dtsenDecileThreshold }));
  }

  const phone = readPhone(cells.phone);
  if (phone.issue) warnings.push(phone.issue);
  const kkIssue = checkKk(cells.kk, nik?.nik);
  if (kkIssue) warnings.push(kkIssue);

  const verdict: RowVerdict = { row: row.row, errors, warnings, ...(nik ? { nik: nik.nik } : {}) };
  if (errors.length > 0 || !nik || !birth.ok || !sex) return verdict;
  const address = cellText(cells.address);
  verdict.worker = Worker.parse({
    row: row.row,
    nik: nik.nik,
    name,
    birthDate: isoDate(birth.date),
    sex,
    occupation,
    ...(category ? { occupationCategory: category } : {}),
    ...(address ? { address } : {}),
    ...(phone.phone ? { phone: phone.phone } : {}),
    ...(decile.decile !== undefined ? { dtsenDecile: decile.decile } : {}),
  });
  return verdict;
}

/**
 * "NIK twice in one file": the first row keeps its verdict, every later row with the same NIK
 * becomes invalid and names the first. Holds one map entry per NIK (100,000 rows ~ 10 MB).
 */
export class InFileDuplicates {
  private readonly firstRow = new Map<string, number>();

  check(verdict: RowVerdict): RowVerdict {
    if (!verdict.nik) return verdict;
    const first = this.firstRow.get(verdict.nik);
    if (first === undefined) {
      this.firstRow.set(verdict.nik, verdict.row);
      return verdict;
    }
    const { worker: _dropped, ...rest } = verdict;
    return { ...rest, errors: [...verdict.errors, issue('NIK_DUPLICATE_IN_FILE', { firstRow: first })] };
  }
}

/** Every row's verdict, in sheet order, duplicates included. Streams: one row in memory at a time. */
export async function* validateRows(rows: AsyncIterable<SheetRow>, programme: Programme): AsyncGenerator<RowVerdict> {
  const duplicates = new InFileDuplicates();
  for await (const row of rows) yield duplicates.check(validateRow(row, programme));
}
