import { SheetError } from './sheet-error';

/** One cell as read from an upload, and what a spreadsheet can hold at all. */

export type RawCell = {
  value: string | number | boolean | Date | null;
  /** What the operator sees: a formula's cached result, a date as DD-MM-YYYY, never the formula. */
  text: string;
  numFmt?: string;
  formula?: string;
};

export const EMPTY_CELL: RawCell = Object.freeze({ value: null, text: '' });

/** Excel's (and LibreOffice's) sheet size: nothing past these exists in a file they wrote. */
export const SHEET_MAX_ROWS = 1_048_576;
export const SHEET_MAX_COLUMNS = 16_384;
/** The most characters Excel keeps in one cell. */
export const CELL_MAX_CHARS = 32_767;

/** Content where no spreadsheet can show it: the report could not put it back in its place either. */
export const sheetOutOfBounds = (where: string) =>
  new SheetError(
    'SHEET_OUT_OF_BOUNDS',
    `File ini menyimpan isi di ${where}, di luar batas lembar Excel (${SHEET_MAX_ROWS.toLocaleString('id-ID')} baris, kolom A sampai XFD). File seperti ini dibuat oleh aplikasi lain dan tidak dapat dibuka dengan benar di Excel. Salin data pekerja ke template usulan yang baru, lalu unggah ulang.`,
  );

/**
 * Our report writes text that starts like a formula as `'=...` so it can never run (report.ts);
 * when the operator re-uploads that sheet, the quote is ours to remove again.
 */
const neutralisedFormula = /^'(?=[=+\-@\t\r])/;

export function textCell(text: string): RawCell {
  const clean = text.replace(neutralisedFormula, '');
  return { value: clean === '' ? null : clean, text: clean };
}

export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  // Date letters outside [colour]/[locale] brackets and quoted literals (the test exceljs uses).
  return /[ymdhMsb]+/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function formatDate(date: Date): string {
  const dd = String(date.getUTCDate()).padStart(2, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}-${mm}-${date.getUTCFullYear()}`;
}

/** Excel's serial day number (1900 system; 1904 for old Mac workbooks) as a UTC date. */
export function excelSerialToDate(serial: number, date1904 = false): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

export function dateCell(date: Date): RawCell {
  return { value: date, text: Number.isNaN(date.getTime()) ? '' : formatDate(date) };
}
