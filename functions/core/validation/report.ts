import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import * as z from 'zod';
import { dinasSosialContact, regencyCodeOf, regencyName } from '../regions/regencies';
import { Pace } from '../spreadsheet/pace';
import {
  CELL_MAX_CHARS,
  SHEET_MAX_COLUMNS,
  type RawCell,
  type SheetHeader,
  type SheetRow,
} from '../spreadsheet/read-proposal-sheet';
import { RowIssue } from './messages';
import type { RowVerdict } from './rules';

/**
 * The validation report: a JSON model for the dashboard and the audit trail, and an XLSX the
 * operator can fix and re-upload (their own sheet, with Status and Keterangan added).
 */

const ReportRowStatus = z.enum(['valid', 'invalid', 'over_quota']);
export type ReportRowStatus = z.infer<typeof ReportRowStatus>;

export const ReportRow = z.object({
  row: z.number().int().positive(),
  status: ReportRowStatus,
  errors: z.array(RowIssue),
  warnings: z.array(RowIssue),
});
export type ReportRow = z.infer<typeof ReportRow>;

export const ReportCounts = z.object({
  rows: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  invalid: z.number().int().nonnegative(),
  overQuota: z.number().int().nonnegative(),
  /** Rows with at least one warning (whatever their status). */
  warnings: z.number().int().nonnegative(),
});
export type ReportCounts = z.infer<typeof ReportCounts>;

export const ValidationReport = z.object({
  proposalId: z.string(),
  programmeId: z.string(),
  villageCode: z.string(),
  fileName: z.string(),
  generatedAt: z.string(),
  counts: ReportCounts,
  rows: z.array(ReportRow),
});
export type ValidationReport = z.infer<typeof ValidationReport>;

/** A row verdict as the report shows it; quota is decided later, against the store. */
export function reportRowOf(verdict: RowVerdict, overQuota = false): ReportRow {
  const status: ReportRowStatus = verdict.errors.length > 0 ? 'invalid' : overQuota ? 'over_quota' : 'valid';
  return { row: verdict.row, status, errors: verdict.errors, warnings: verdict.warnings };
}

export function countRows(rows: Iterable<ReportRow>): ReportCounts {
  const counts: ReportCounts = { rows: 0, valid: 0, invalid: 0, overQuota: 0, warnings: 0 };
  for (const r of rows) {
    counts.rows += 1;
    if (r.status === 'valid') counts.valid += 1;
    else if (r.status === 'invalid') counts.invalid += 1;
    else counts.overQuota += 1;
    if (r.warnings.length > 0) counts.warnings += 1;
  }
  return counts;
}

const STATUS_LABELS: Record<ReportRowStatus, string> = {
  valid: 'VALID',
  invalid: 'TIDAK VALID',
  over_quota: 'MELEBIHI KUOTA',
};

/**
 * Text a spreadsheet could take for a formula ("=HYPERLINK(...)", "+62...", "@SUM") is written as a
 * string cell, which XLSX never evaluates. It also gets a leading apostrophe (OWASP's CSV-injection
 * advice) because operators copy report rows into CSV files, where the cell would run when opened;
 * the reader strips that apostrophe again on re-upload (read-proposal-sheet.ts).
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Text as a cell can hold it: Excel refuses a cell longer than 32,767 characters (a CSV field can be). */
const fit = (text: string) => (text.length > CELL_MAX_CHARS ? `${text.slice(0, CELL_MAX_CHARS - 1)}…` : text);

function cellValue(cell: RawCell): ExcelJS.CellValue {
  // A formula's cached result, never the formula: the report must not compute anything.
  const { value } = cell;
  if (typeof value === 'string') return fit(neutraliseFormula(value));
  return value;
}

/**
 * exceljs's stream writer walks every missing row number before a row it commits, one array
 * shift each, on an array that turns sparse (and each shift slow) past ~1,000 missing rows: a
 * gap of n rows cost O(n²), hours for one stray row at 1,048,576. Committing an empty row every
 * GAP_STEP rows keeps each walk short, so a gap costs ~0.1 s per million rows and writes nothing.
 */
const GAP_STEP = 100;

const describeIssues = (r: ReportRow) =>
  [...r.errors, ...r.warnings.map((w) => ({ ...w, message: `Peringatan: ${w.message}` }))]
    .map((i) => i.message)
    .join(' | ');

/**
 * Styles shared by every cell that has one, never built per cell: exceljs keys each style object it
 * writes by identity (a WeakMap in its StylesXform) and only works out a new one (numFmt, font and
 * fill looked up by their JSON) the first time it sees it; a style set per cell (`cell.numFmt = ...`)
 * is a new object each time, which made that look-up most of the report's time at 100,000 rows
 * (issue 12's profile). Frozen: exceljs assigns, never mutates, a cell's style; a mutation would throw.
 */
const TEXT = Object.freeze({ numFmt: '@' });
const DATE = Object.freeze({ numFmt: 'dd-mm-yyyy' });
const statusStyle = (argb: string) =>
  Object.freeze({
    font: Object.freeze({ bold: true }),
    fill: Object.freeze({ type: 'pattern' as const, pattern: 'solid' as const, fgColor: Object.freeze({ argb }) }),
  });
const RED = statusStyle('FFFDE2E2');
const AMBER = statusStyle('FFFFF2CC');
const GREEN = statusStyle('FFE2F4E2');

export type ReportXlsxInput = {
  report: Omit<ValidationReport, 'rows'>;
  /**
   * Programme and village names for the summary, when the caller has them; the village label may already carry
   * its code ("Desa X (62.03...)").
   */
  names?: { programme?: string; village?: string };
  header: SheetHeader;
  /** The original rows, as read from the upload, in sheet order (row numbers going up, as the reader gives them). */
  rows: AsyncIterable<SheetRow> | Iterable<SheetRow>;
  verdictOf: (row: number) => ReportRow | undefined;
};

/**
 * Streams the report workbook to `out`: a summary sheet, then the operator's own header and rows
 * at their original row numbers with "Status" and "Keterangan" added. One row in memory at a time;
 * the cost follows the rows and cells that exist, not their row or column numbers.
 */
export async function writeReportXlsx(out: Writable, input: ReportXlsxInput): Promise<void> {
  const { report, header } = input;
  // Hands the event loop back while writing a big report (see pace.ts); no deadline here.
  const pace = new Pace();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });

  const summary = workbook.addWorksheet('Ringkasan');
  summary.columns = [{ width: 28 }, { width: 70 }];
  const lines: [string, string | number][] = [
    ['Laporan validasi usulan', ''],
    ['Program', input.names?.programme ?? report.programmeId],
    ['Desa/Kelurahan', villageLine(input.names?.village, report.villageCode)],
    ['Nama file', report.fileName],
    ['Nomor usulan', report.proposalId],
    ['Waktu pemeriksaan', report.generatedAt],
    ['Jumlah baris data', report.counts.rows],
    ['Valid', report.counts.valid],
    ['Tidak valid', report.counts.invalid],
    ['Melebihi kuota', report.counts.overQuota],
    ['Baris dengan peringatan', report.counts.warnings],
    ['', ''],
    [
      'Cara memperbaiki',
      'Buka sheet "Hasil Validasi". Perbaiki baris berstatus TIDAK VALID sesuai kolom Keterangan, lalu unggah ulang file ini.',
    ],
    ['', 'Kolom Status dan Keterangan boleh dibiarkan: kolom itu diabaikan saat file diunggah ulang.'],
    ['', 'Baris berstatus MELEBIHI KUOTA sudah benar tetapi kuota penuh; baris dengan peringatan tetap diproses.'],
    ['', ''],
    // Whose programme this is, and whom to ask: the regency the village lies in (regencies.ts).
    ['Kabupaten', regencyName(regencyCodeOf(report.villageCode))],
    ['Pertanyaan', dinasSosialContact(regencyCodeOf(report.villageCode))],
  ];
  lines.forEach(([label, value], i) => {
    const row = summary.addRow([label, typeof value === 'string' ? neutraliseFormula(value) : value]);
    if (i === 0) row.font = { bold: true, size: 14 };
    row.commit();
  });
  summary.commit();

  const sheet = workbook.addWorksheet('Hasil Validasi', { views: [{ state: 'frozen', ySplit: header.row }] });
  // Status and Keterangan sit right after the header's last column, on every row; a cell a row has
  // past the header moves two columns right to make room. Both always fit inside the sheet.
  const width = header.columns.reduce((w, c) => Math.max(w, c.index + 1), 0);
  const statusColumn = Math.min(width, SHEET_MAX_COLUMNS - 2) + 1;
  const columnOf = (index: number) => (index + 1 < statusColumn ? index + 1 : index + 3);
  // Column widths are written before the first row: set them now, the stream cannot go back.
  sheet.getColumn(statusColumn).width = 16;
  sheet.getColumn(statusColumn + 1).width = 80;
  const headerRow = sheet.getRow(header.row);
  for (const c of header.columns)
    if (columnOf(c.index) <= SHEET_MAX_COLUMNS)
      headerRow.getCell(columnOf(c.index)).value = fit(neutraliseFormula(c.label));
  headerRow.getCell(statusColumn).value = 'Status';
  headerRow.getCell(statusColumn + 1).value = 'Keterangan';
  headerRow.font = { bold: true };
  headerRow.commit();

  let next = header.row + 1;
  for await (const row of input.rows) {
    await pace.step();
    // exceljs throws "this row has been committed" for a row number already passed: the reader never gives one.
    if (row.row < next)
      throw new Error(`Report rows must go down the sheet: row ${row.row} came after row ${next - 1}`);
    while (row.row - next > GAP_STEP) {
      sheet.getRow(next + GAP_STEP).commit();
      next += GAP_STEP + 1;
    }
    const verdict = input.verdictOf(row.row);
    const out = sheet.getRow(row.row);
    for (const [index, cell] of row.original) {
      const column = columnOf(index);
      // Past the sheet's last column there is nowhere to show it (only a column-XFC/XFD stray).
      if (column > SHEET_MAX_COLUMNS) continue;
      const target = out.getCell(column);
      target.value = cellValue(cell);
      if (cell.value instanceof Date) target.style = DATE;
      // Keep a text NIK text when the operator re-opens and re-saves the report.
      else if (typeof cell.value === 'string') target.style = TEXT;
    }
    if (verdict) {
      const style =
        verdict.status === 'valid'
          ? verdict.warnings.length
            ? AMBER
            : GREEN
          : verdict.status === 'invalid'
            ? RED
            : AMBER;
      const status = out.getCell(statusColumn);
      status.value = STATUS_LABELS[verdict.status];
      status.style = style;
      out.getCell(statusColumn + 1).value = fit(neutraliseFormula(describeIssues(verdict)));
    }
    out.commit();
    next = row.row + 1;
  }
  sheet.commit();
  await workbook.commit();
}

/** The village as the summary names it: its code once, whether or not the caller's label already carries it. */
function villageLine(village: string | undefined, code: string): string {
  if (!village) return code;
  return village.includes(code) ? village : `${village} (${code})`;
}
