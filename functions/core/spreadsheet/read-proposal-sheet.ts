import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse';
import iconv from 'iconv-lite';
import {
  DEFAULT_LIMITS,
  assertXlsxEntries,
  inspectText,
  inspectZip,
  readPrefix,
  sniffFileKind,
  toReadable,
  type ReadLimits,
  type SourceStream,
  type TextEncoding,
} from './file-guard';
import { COLUMN_LABELS, REQUIRED_COLUMNS, matchColumnLabel, type ProposalColumn } from './proposal-columns';
import { SheetError } from './sheet-error';

export { SheetError } from './sheet-error';
export { DEFAULT_LIMITS, type ReadLimits } from './file-guard';
export { PROPOSAL_COLUMNS, REQUIRED_COLUMNS, COLUMN_LABELS, type ProposalColumn } from './proposal-columns';

/**
 * Reads a village's proposal file (XLSX or CSV) row by row. Nothing here holds the whole sheet:
 * the source is read a few times (sniff, guard, rows), each time as a fresh stream, so a
 * 100,000-row file validates in a small Lambda.
 */

export type RawCell = {
  value: string | number | boolean | Date | null;
  /** What the operator sees: a formula's cached result, a date as DD-MM-YYYY, never the formula. */
  text: string;
  numFmt?: string;
  formula?: string;
};

export type SheetRow = {
  /** The sheet's own 1-based row number, as the operator sees it in Excel. */
  row: number;
  cells: Partial<Record<ProposalColumn, RawCell>>;
  /** All cells in sheet order (index 0 = column A), for the report. */
  original: RawCell[];
};

export type SheetHeader = {
  row: number;
  /** The sheet the header was found on (XLSX); CSV files have one. */
  sheetName?: string;
  columns: { index: number; label: string; column?: ProposalColumn }[];
};

export type ProposalSource = {
  fileName: string;
  /** May be called more than once; each call returns a fresh stream of the same bytes. */
  body: () => SourceStream;
};

export type ProposalSheet = { format: 'xlsx' | 'csv'; header: SheetHeader; rows: AsyncIterable<SheetRow> };

export const EMPTY_CELL: RawCell = Object.freeze({ value: null, text: '' }) as RawCell;

const TEMPLATE_HINT = 'Gunakan template usulan (unduh dari Jaring) dan jangan ubah baris judul kolomnya.';

export async function openProposalSheet(source: ProposalSource, limits: ReadLimits = DEFAULT_LIMITS): Promise<ProposalSheet> {
  const prefix = await readPrefix(source.body(), 64 * 1024);
  const kind = sniffFileKind(prefix);
  let format: ProposalSheet['format'];
  let physical: AsyncGenerator<PhysicalRow>;
  if (kind === 'zip') {
    assertXlsxEntries(await inspectZip(source.body(), limits));
    format = 'xlsx';
    physical = xlsxRows(source.body());
  } else {
    const encoding = await inspectText(source.body(), kind, limits);
    const { delimiter, skipFirstLine } = sniffDelimiter(decodePrefix(prefix, encoding));
    format = 'csv';
    physical = csvRows(source.body(), encoding, delimiter, skipFirstLine);
  }
  const located = await locateHeader(physical, limits);
  const first = await nextDataRow(located);
  if (!first) {
    await physical.return(undefined);
    throw new SheetError(
      'NO_DATA_ROWS',
      `Baris judul kolom ditemukan (baris ${located.header.row}) tetapi tidak ada data pekerja di bawahnya. Isi data mulai baris ${located.header.row + 1}, lalu unggah ulang.`,
    );
  }
  return { format, header: located.header, rows: dataRows(first, located, limits) };
}

// ---------------------------------------------------------------------------------------------
// Physical rows: every row of every sheet, before we know where the header is.

type PhysicalRow = { sheet: number; sheetName: string; row: number; cells: RawCell[] };

async function* xlsxRows(body: SourceStream): AsyncGenerator<PhysicalRow> {
  const input = toReadable(body);
  // styles: 'cache' is what makes exceljs turn date-formatted numbers into Dates.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let sheet = 0;
  try {
    for await (const worksheet of reader) {
      sheet += 1;
      const sheetName = (worksheet as unknown as { name?: string }).name ?? `Sheet${sheet}`;
      for await (const row of worksheet) {
        const cells: RawCell[] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          cells[column - 1] = rawCellFromExcel(cell.value, cell.numFmt);
        });
        yield { sheet, sheetName, row: row.number, cells: Array.from(cells, (c) => c ?? EMPTY_CELL) };
      }
    }
  } catch (error) {
    if (error instanceof SheetError) throw error;
    throw new SheetError(
      'FILE_CORRUPT',
      'File Excel rusak atau tidak lengkap sehingga tidak dapat dibaca. Buka di Excel, simpan ulang sebagai .xlsx, lalu unggah kembali.',
    );
  } finally {
    input.destroy();
  }
}

async function* csvRows(body: SourceStream, encoding: TextEncoding, delimiter: string, skipFirstLine: boolean): AsyncGenerator<PhysicalRow> {
  const input = toReadable(body);
  const decoder = iconv.decodeStream(encoding === 'utf16' ? 'utf16' : encoding);
  const parser = parseCsv({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  input.on('error', (e) => parser.destroy(e));
  decoder.on('error', (e: Error) => parser.destroy(e));
  input.pipe(decoder).pipe(parser);
  let row = 0;
  // Excel hides its own "sep=;" line, so the operator's row 1 is the line after it.
  let skip = skipFirstLine;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (skip) {
        skip = false;
        continue;
      }
      row += 1;
      yield { sheet: 1, sheetName: 'CSV', row, cells: record.map(textCell) };
    }
  } catch (error) {
    if (error instanceof SheetError) throw error;
    throw new SheetError(
      'CSV_MALFORMED',
      `File CSV tidak dapat dibaca setelah baris ${row} (tanda kutip tidak tertutup atau baris rusak). Buka di Excel, periksa baris tersebut, lalu simpan ulang.`,
    );
  } finally {
    input.destroy();
  }
}

function decodePrefix(prefix: Buffer, encoding: TextEncoding): string {
  // The prefix may end mid-character; one replacement char at the end does not matter for sniffing.
  return iconv.decode(prefix, encoding === 'utf16' ? 'utf16' : encoding);
}

/**
 * Comma or semicolon (Excel on Indonesian Windows writes ";" because "," is the decimal mark),
 * tab for "Unicode text". The separator is the one that splits most lines into the same number
 * of fields; Excel's own `sep=;` first line wins outright.
 */
export function sniffDelimiter(text: string): { delimiter: string; skipFirstLine: boolean } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .slice(0, 50);
  const sep = /^sep=(.)\s*$/i.exec(lines[0] ?? '');
  if (sep?.[1]) return { delimiter: sep[1], skipFirstLine: true };
  let best = { delimiter: ',', score: 0 };
  for (const delimiter of [',', ';', '\t']) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      const n = countOutsideQuotes(line, delimiter);
      if (n > 0) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (const [fields, lineCount] of counts) {
      const score = lineCount * fields;
      if (score > best.score) best = { delimiter, score };
    }
  }
  return { delimiter: best.delimiter, skipFirstLine: false };
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let quoted = false;
  let n = 0;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) n += 1;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Cells

/**
 * Our report writes text that starts like a formula as `'=...` so it can never run (report.ts);
 * when the operator re-uploads that sheet, the quote is ours to remove again.
 */
const neutralisedFormula = /^'(?=[=+\-@\t\r])/;

function textCell(text: string): RawCell {
  const clean = text.replace(neutralisedFormula, '');
  return { value: clean === '' ? null : clean, text: clean };
}

function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  // Same test exceljs uses: date letters outside [colour]/[locale] brackets and quoted literals.
  return /[ymdhMsb]+/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

export function formatDate(date: Date): string {
  const dd = String(date.getUTCDate()).padStart(2, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}-${mm}-${date.getUTCFullYear()}`;
}

function excelSerialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

function rawCellFromExcel(value: ExcelJS.CellValue, numFmt: string | undefined): RawCell {
  const withFmt = (cell: RawCell): RawCell => (numFmt ? { ...cell, numFmt } : cell);
  if (value === null || value === undefined) return withFmt({ value: null, text: '' });
  if (typeof value === 'string') return withFmt(textCell(value));
  if (typeof value === 'number') return withFmt({ value, text: String(value) });
  if (typeof value === 'boolean') return withFmt({ value, text: value ? 'TRUE' : 'FALSE' });
  if (value instanceof Date) return withFmt({ value, text: Number.isNaN(value.getTime()) ? '' : formatDate(value) });
  if ('richText' in value) return withFmt(textCell(value.richText.map((part) => part.text ?? '').join('')));
  if ('error' in value) return withFmt({ value: null, text: String(value.error) });
  if ('formula' in value || 'sharedFormula' in value) {
    // A formula counts by its cached result: the operator saw the result, and we never evaluate.
    const formula = 'formula' in value ? value.formula : value.sharedFormula;
    let result = value.result as ExcelJS.CellValue;
    if (typeof result === 'number' && isDateFormat(numFmt)) result = excelSerialToDate(result);
    const cell = rawCellFromExcel(result ?? null, numFmt);
    return formula ? { ...cell, formula } : cell;
  }
  if ('hyperlink' in value) return withFmt(textCell(String(value.text ?? '')));
  return withFmt({ value: null, text: '' });
}

// ---------------------------------------------------------------------------------------------
// Header

type Located = { header: SheetHeader; sheet: number; rows: AsyncGenerator<PhysicalRow> };

function headerOf(row: PhysicalRow): SheetHeader {
  const seen = new Set<ProposalColumn>();
  const columns = row.cells.map((cell, index) => {
    const label = cell.text.trim();
    const column = label ? matchColumnLabel(label) : undefined;
    // The first column with a name wins: a second "Nama" is some other name (ibu, desa ...).
    if (column && !seen.has(column)) {
      seen.add(column);
      return { index, label, column };
    }
    return { index, label };
  });
  return { row: row.row, sheetName: row.sheetName, columns };
}

const mappedColumns = (header: SheetHeader) => header.columns.flatMap((c) => (c.column ? [c.column] : []));

async function locateHeader(rows: AsyncGenerator<PhysicalRow>, limits: ReadLimits): Promise<Located> {
  let best: SheetHeader | undefined;
  let sheets = 0;
  let currentSheet = 0;
  let scanned = 0;
  // next() by hand: a for-await loop would close the generator when we return the header.
  for (let next = await rows.next(); !next.done; next = await rows.next()) {
    const row = next.value;
    if (row.sheet !== currentSheet) {
      currentSheet = row.sheet;
      sheets += 1;
      scanned = 0;
    }
    scanned += 1;
    // Past the search window the rest of this sheet is drained unread: it has no header.
    if (scanned > limits.headerSearchRows) continue;
    const header = headerOf(row);
    const found = mappedColumns(header);
    if (REQUIRED_COLUMNS.every((c) => found.includes(c))) return { header, sheet: row.sheet, rows };
    if (found.length >= 2 && (!best || found.length > mappedColumns(best).length)) best = header;
  }
  if (best) {
    const found = mappedColumns(best);
    const missing = REQUIRED_COLUMNS.filter((c) => !found.includes(c)).map((c) => `"${COLUMN_LABELS[c]}"`);
    throw new SheetError(
      'COLUMNS_MISSING',
      `Kolom wajib tidak ditemukan: ${missing.join(', ')} (baris judul kolom ada di baris ${best.row}${best.sheetName && best.sheetName !== 'CSV' ? `, sheet "${best.sheetName}"` : ''}). Tambahkan kolom tersebut atau ${TEMPLATE_HINT.charAt(0).toLowerCase()}${TEMPLATE_HINT.slice(1)}`,
    );
  }
  if (sheets === 0) throw new SheetError('FILE_EMPTY', `File tidak berisi data apa pun. ${TEMPLATE_HINT}`);
  throw new SheetError(
    'HEADER_NOT_FOUND',
    `Baris judul kolom (NIK, Nama Lengkap, Tanggal Lahir, Jenis Kelamin, Pekerjaan) tidak ditemukan${sheets > 1 ? ` di sheet mana pun (${sheets} sheet diperiksa)` : ''} dalam ${limits.headerSearchRows} baris pertama. ${TEMPLATE_HINT}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Data rows

function toSheetRow(physical: PhysicalRow, header: SheetHeader): SheetRow | undefined {
  const width = Math.max(physical.cells.length, header.columns.length);
  const original = Array.from({ length: width }, (_, i) => physical.cells[i] ?? EMPTY_CELL);
  const cells: SheetRow['cells'] = {};
  let filled = false;
  for (const { index, column } of header.columns) {
    if (!column) continue;
    const cell = original[index] ?? EMPTY_CELL;
    cells[column] = cell;
    if (cell.text.trim() !== '') filled = true;
  }
  // Blank rows, and rows with only a running number ("No."), are not proposals.
  return filled ? { row: physical.row, cells, original } : undefined;
}

async function nextDataRow(located: Located): Promise<SheetRow | undefined> {
  for (;;) {
    const next = await located.rows.next();
    // A later sheet is not part of this list (a "Petunjuk" or "Rekap" sheet after the data).
    if (next.done || next.value.sheet !== located.sheet) return undefined;
    const row = toSheetRow(next.value, located.header);
    if (row) return row;
  }
}

async function* dataRows(first: SheetRow, located: Located, limits: ReadLimits): AsyncGenerator<SheetRow> {
  let count = 0;
  try {
    for (let row: SheetRow | undefined = first; row; row = await nextDataRow(located)) {
      count += 1;
      if (count > limits.maxRows) {
        throw new SheetError(
          'TOO_MANY_ROWS',
          `File berisi lebih dari ${limits.maxRows.toLocaleString('id-ID')} baris data. Satu usulan desa tidak sebesar itu: periksa apakah ada baris kosong berformat atau data ganda, atau pecah menjadi beberapa file.`,
        );
      }
      yield row;
    }
  } finally {
    await located.rows.return(undefined);
  }
}
