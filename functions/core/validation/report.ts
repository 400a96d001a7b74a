import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { RawCell, SheetHeader, SheetRow } from '../spreadsheet/read-proposal-sheet';
import { RowIssue } from './messages';
import type { RowVerdict } from './rules';

/**
 * The validation report: a JSON model for the dashboard and the audit trail, and an XLSX the
 * operator can fix and re-upload (their own sheet, with Status and Keterangan added).
 */

export const ReportRowStatus = z.enum(['valid', 'invalid', 'over_quota']);
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

export const STATUS_LABELS: Record<ReportRowStatus, string> = {
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

function cellValue(cell: RawCell): ExcelJS.CellValue {
  // A formula's cached result, never the formula: the report must not compute anything.
  const { value } = cell;
  if (typeof value === 'string') return neutraliseFormula(value);
  return value;
}

const describeIssues = (r: ReportRow) =>
  [...r.errors, ...r.warnings.map((w) => ({ ...w, message: `Peringatan: ${w.message}` }))].map((i) => i.message).join(' | ');

const RED = 'FFFDE2E2';
const AMBER = 'FFFFF2CC';
const GREEN = 'FFE2F4E2';

export type ReportXlsxInput = {
  report: Omit<ValidationReport, 'rows'>;
  /** Programme and village names for the summary, when the caller has them. */
  names?: { programme?: string; village?: string };
  header: SheetHeader;
  /** The original rows, re-read from the upload, in sheet order. */
  rows: AsyncIterable<SheetRow>;
  verdictOf: (row: number) => ReportRow | undefined;
};

/**
 * Streams the report workbook to `out`: a summary sheet, then the operator's own header and rows
 * at their original row numbers with "Status" and "Keterangan" added. One row in memory at a time.
 */
export async function writeReportXlsx(out: Writable, input: ReportXlsxInput): Promise<void> {
  const { report, header } = input;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });

  const summary = workbook.addWorksheet('Ringkasan');
  summary.columns = [{ width: 28 }, { width: 70 }];
  const lines: [string, string | number][] = [
    ['Laporan validasi usulan', ''],
    ['Program', input.names?.programme ?? report.programmeId],
    ['Desa/Kelurahan', input.names?.village ? `${input.names.village} (${report.villageCode})` : report.villageCode],
    ['Nama file', report.fileName],
    ['Nomor usulan', report.proposalId],
    ['Waktu pemeriksaan', report.generatedAt],
    ['Jumlah baris data', report.counts.rows],
    ['Valid', report.counts.valid],
    ['Tidak valid', report.counts.invalid],
    ['Melebihi kuota', report.counts.overQuota],
    ['Baris dengan peringatan', report.counts.warnings],
    ['', ''],
    ['Cara memperbaiki', 'Buka sheet "Hasil Validasi". Perbaiki baris berstatus TIDAK VALID sesuai kolom Keterangan, lalu unggah ulang file ini.'],
    ['', 'Kolom Status dan Keterangan boleh dibiarkan: kolom itu diabaikan saat file diunggah ulang.'],
    ['', 'Baris berstatus MELEBIHI KUOTA sudah benar tetapi kuota penuh; baris dengan peringatan tetap diproses.'],
  ];
  lines.forEach(([label, value], i) => {
    const row = summary.addRow([label, typeof value === 'string' ? neutraliseFormula(value) : value]);
    if (i === 0) row.font = { bold: true, size: 14 };
    row.commit();
  });
  summary.commit();

  const sheet = workbook.addWorksheet('Hasil Validasi', { views: [{ state: 'frozen', ySplit: header.row }] });
  const width = header.columns.length;
  // Column widths are written before the first row: set them now, the stream cannot go back.
  sheet.getColumn(width + 1).width = 16;
  sheet.getColumn(width + 2).width = 80;
  const headerRow = sheet.getRow(header.row);
  headerRow.values = [...header.columns.map((c) => neutraliseFormula(c.label)), 'Status', 'Keterangan'];
  headerRow.font = { bold: true };
  headerRow.commit();

  for await (const row of input.rows) {
    const verdict = input.verdictOf(row.row);
    const out = sheet.getRow(row.row);
    const cells = row.original.slice(0, Math.max(width, row.original.length));
    const values: ExcelJS.CellValue[] = cells.map(cellValue);
    while (values.length < width) values.push(null);
    values.push(verdict ? STATUS_LABELS[verdict.status] : null, verdict ? neutraliseFormula(describeIssues(verdict)) : null);
    out.values = values;
    cells.forEach((cell, i) => {
      if (cell.value instanceof Date) out.getCell(i + 1).numFmt = 'dd-mm-yyyy';
      // Keep a text NIK text when the operator re-opens and re-saves the report.
      else if (typeof cell.value === 'string') out.getCell(i + 1).numFmt = '@';
    });
    if (verdict) {
      const colour = verdict.status === 'valid' ? (verdict.warnings.length ? AMBER : GREEN) : verdict.status === 'invalid' ? RED : AMBER;
      const status = out.getCell(values.length - 1);
      status.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: colour } };
      status.font = { bold: true };
    }
    out.commit();
  }
  sheet.commit();
  await workbook.commit();
}
