import { parse as parseCsv } from 'csv-parse';
import iconv from 'iconv-lite';
import { EMPTY_CELL, SHEET_MAX_ROWS, sheetOutOfBounds, textCell, type RawCell } from './cells';
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
import { Pace } from './pace';
import { COLUMN_LABELS, REQUIRED_COLUMNS, matchColumnLabel, type ProposalColumn } from './proposal-columns';
import { SheetError } from './sheet-error';
import {
  WORKBOOK_PARTS,
  readCellContext,
  readWorkbook,
  sheetRows,
  type PhysicalRow,
  type SheetScan,
  type WorkbookSheet,
} from './xlsx-reader';

export { SheetError } from './sheet-error';
export { DEFAULT_LIMITS, type ReadLimits } from './file-guard';
export { CELL_MAX_CHARS, SHEET_MAX_COLUMNS, type RawCell } from './cells';
export { type ProposalColumn } from './proposal-columns';

/**
 * Reads a village's proposal file (XLSX or CSV) row by row. Nothing here holds the whole sheet:
 * the source is read a few times (sniff, guard, then the passes xlsx-reader.ts needs), each time
 * as a fresh stream, so a 100,000-row file validates in a small Lambda. What a read costs follows
 * the rows and cells that exist, never how far down or right they sit; long loops hand the event
 * loop back and stop at `limits.readBy` (pace.ts).
 */

export type SheetRow = {
  /** The sheet's own 1-based row number, as the operator sees it in Excel (xlsx-reader.ts: unusual numbering). */
  row: number;
  cells: Partial<Record<ProposalColumn, RawCell>>;
  /** The cells that exist, by 0-based column (0 = column A), for the report. */
  original: ReadonlyMap<number, RawCell>;
};

export type SheetHeader = {
  row: number;
  /** The sheet the header was found on (XLSX); CSV files have one. */
  sheetName?: string;
  /** The header's non-empty cells, left to right. */
  columns: { index: number; label: string; column?: ProposalColumn }[];
};

export type ProposalSource = {
  fileName: string;
  /** May be called more than once; each call returns a fresh stream of the same bytes. */
  body: () => SourceStream;
};

export type ProposalSheet = { format: 'xlsx' | 'csv'; header: SheetHeader; rows: AsyncIterable<SheetRow> };

const TEMPLATE_HINT = 'Gunakan template usulan (unduh dari Jaring) dan jangan ubah baris judul kolomnya.';

export async function openProposalSheet(
  source: ProposalSource,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<ProposalSheet> {
  const pace = new Pace(limits.readBy);
  const prefix = await readPrefix(source.body(), 64 * 1024);
  const kind = sniffFileKind(prefix);
  const located =
    kind === 'zip' ? await locateXlsx(source, limits, pace) : await locateCsv(source, kind, prefix, limits, pace);
  const rows = dataRows(located, limits, pace);
  const first = await rows.next();
  if (first.done) {
    throw new SheetError(
      'NO_DATA_ROWS',
      `Baris judul kolom ditemukan (baris ${located.header.row}) tetapi tidak ada data pekerja di bawahnya. Isi data mulai baris ${located.header.row + 1}, lalu unggah ulang.`,
    );
  }
  return {
    format: kind === 'zip' ? 'xlsx' : 'csv',
    header: located.header,
    rows: (async function* () {
      yield first.value;
      yield* rows;
    })(),
  };
}

/** The header, and the rows below it still to be read. */
type Located = { header: SheetHeader; rows: AsyncGenerator<PhysicalRow> };

// ---------------------------------------------------------------------------------------------
// XLSX: every sheet is considered, in tab order

async function locateXlsx(source: ProposalSource, limits: ReadLimits, pace: Pace): Promise<Located> {
  const zip = await inspectZip(source.body(), limits, WORKBOOK_PARTS, pace);
  assertXlsxEntries(zip.names);
  const workbook = readWorkbook(zip);
  const context = await readCellContext(source.body(), workbook, pace);
  // Visible sheets first, each in tab order: a hidden sheet is one the operator cannot see.
  const order = [...workbook.sheets.filter((s) => !s.hidden), ...workbook.sheets.filter((s) => s.hidden)];
  const byPart = new Map(order.map((s) => [s.part, s]));

  // One pass over the file reads the first rows of every sheet, in whatever order the zip has them.
  const found = new Map<string, SheetHeader>();
  const partial = new Map<string, SheetHeader>();
  const scanned = new Map<string, number>();
  const scan: SheetScan = { skip: new Set(), ended: new Set() };
  // The chosen sheet is the first in `order` with a header; known as soon as every sheet before it is done.
  const chosen = (all: boolean): WorkbookSheet | undefined => {
    for (const s of order) {
      if (found.has(s.part)) return s;
      if (!all && !scan.skip.has(s.part) && !scan.ended.has(s.part)) return undefined;
    }
    return undefined;
  };
  let sheet: WorkbookSheet | undefined;
  for await (const { part, row } of sheetRows(source.body(), new Set(byPart.keys()), context, pace, scan)) {
    const n = (scanned.get(part) ?? 0) + 1;
    scanned.set(part, n);
    if (n > limits.headerSearchRows) {
      scan.skip.add(part);
    } else {
      const header = headerOf(row, byPart.get(part)!.name);
      const previous = partial.get(part);
      if (isComplete(header)) {
        found.set(part, header);
        scan.skip.add(part);
      } else if (
        mappedColumns(header).length >= 2 &&
        (!previous || mappedColumns(header).length > mappedColumns(previous).length)
      ) {
        partial.set(part, header);
      }
    }
    if ((sheet = chosen(false))) break;
  }
  sheet ??= chosen(true);
  if (!sheet) {
    const best = order
      .map((s) => partial.get(s.part))
      .reduce<SheetHeader | undefined>(
        (a, b) => (b && (!a || mappedColumns(b).length > mappedColumns(a).length) ? b : a),
        undefined,
      );
    throw noHeader(best, scanned.size > 0, order.length, limits);
  }
  const header = found.get(sheet.part)!;
  // A second pass reads that sheet alone, from the row after its header.
  const rows = sheetRows(source.body(), new Set([sheet.part]), context, pace);
  async function* below(): AsyncGenerator<PhysicalRow> {
    for await (const { row } of rows) if (row.row > header.row) yield row;
  }
  return { header, rows: below() };
}

// ---------------------------------------------------------------------------------------------
// CSV

async function locateCsv(
  source: ProposalSource,
  kind: 'text' | 'utf16',
  prefix: Buffer,
  limits: ReadLimits,
  pace: Pace,
): Promise<Located> {
  const encoding = await inspectText(source.body(), kind, limits, pace);
  const { delimiter, skipFirstLine } = sniffDelimiter(decodePrefix(prefix, encoding));
  const rows = csvRows(source.body(), encoding, delimiter, skipFirstLine, pace);
  let best: SheetHeader | undefined;
  let scanned = 0;
  // next() by hand: a for-await loop would close the generator when we return the header.
  for (let next = await rows.next(); !next.done && scanned < limits.headerSearchRows; next = await rows.next()) {
    scanned += 1;
    const header = headerOf(next.value);
    if (isComplete(header)) return { header, rows };
    if (mappedColumns(header).length >= 2 && (!best || mappedColumns(header).length > mappedColumns(best).length))
      best = header;
  }
  await rows.return(undefined);
  throw noHeader(best, scanned > 0, 1, limits);
}

async function* csvRows(
  body: SourceStream,
  encoding: TextEncoding,
  delimiter: string,
  skipFirstLine: boolean,
  pace: Pace,
): AsyncGenerator<PhysicalRow> {
  const input = toReadable(body);
  const decoder = iconv.decodeStream(encoding === 'utf16' ? 'utf16' : encoding);
  // Blank lines are skipped by the parser but still counted (info.empty_lines), so row numbers stay
  // the operator's: parsed one by one they cost an error object each (csv-parse builds one for every
  // record shorter than the first), seconds per 100,000 blank lines.
  const parser = parseCsv({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  input.on('error', (e) => parser.destroy(e));
  decoder.on('error', (e: Error) => parser.destroy(e));
  input.pipe(decoder).pipe(parser);
  let row = 0;
  let blank = 0;
  // Excel hides its own "sep=;" line, so the operator's row 1 is the line after it.
  let skip = skipFirstLine;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { empty_lines: number } }>) {
      await pace.step();
      row += 1 + info.empty_lines - blank;
      blank = info.empty_lines;
      if (skip) {
        skip = false;
        row -= 1;
        continue;
      }
      if (row > SHEET_MAX_ROWS) throw sheetOutOfBounds(`baris ${row.toLocaleString('id-ID')}`);
      const cells = new Map<number, RawCell>();
      record.forEach((text, column) => {
        if (text !== '') cells.set(column, textCell(text));
      });
      yield { row, cells };
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
function sniffDelimiter(text: string): { delimiter: string; skipFirstLine: boolean } {
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
// Header

function headerOf(row: PhysicalRow, sheetName?: string): SheetHeader {
  const seen = new Set<ProposalColumn>();
  const labelled = [...row.cells].filter(([, cell]) => cell.text.trim() !== '').sort(([a], [b]) => a - b);
  const columns = labelled.map(([index, cell]) => {
    const label = cell.text.trim();
    const column = matchColumnLabel(label);
    // The first column with a name wins: a second "Nama" is some other name (ibu, desa ...).
    if (column && !seen.has(column)) {
      seen.add(column);
      return { index, label, column };
    }
    return { index, label };
  });
  return { row: row.row, ...(sheetName !== undefined ? { sheetName } : {}), columns };
}

const mappedColumns = (header: SheetHeader) => header.columns.flatMap((c) => (c.column ? [c.column] : []));
const isComplete = (header: SheetHeader) => REQUIRED_COLUMNS.every((c) => mappedColumns(header).includes(c));

function noHeader(best: SheetHeader | undefined, anyRows: boolean, sheets: number, limits: ReadLimits): SheetError {
  if (best) {
    const found = mappedColumns(best);
    const missing = REQUIRED_COLUMNS.filter((c) => !found.includes(c)).map((c) => `"${COLUMN_LABELS[c]}"`);
    return new SheetError(
      'COLUMNS_MISSING',
      `Kolom wajib tidak ditemukan: ${missing.join(', ')} (baris judul kolom ada di baris ${best.row}${best.sheetName ? `, sheet "${best.sheetName}"` : ''}). Tambahkan kolom tersebut atau ${TEMPLATE_HINT.charAt(0).toLowerCase()}${TEMPLATE_HINT.slice(1)}`,
    );
  }
  if (!anyRows) return new SheetError('FILE_EMPTY', `File tidak berisi data apa pun. ${TEMPLATE_HINT}`);
  return new SheetError(
    'HEADER_NOT_FOUND',
    `Baris judul kolom (NIK, Nama Lengkap, Tanggal Lahir, Jenis Kelamin, Pekerjaan) tidak ditemukan${sheets > 1 ? ` di sheet mana pun (${sheets} sheet diperiksa)` : ''} dalam ${limits.headerSearchRows} baris pertama. ${TEMPLATE_HINT}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Data rows

function toSheetRow(physical: PhysicalRow, header: SheetHeader): SheetRow | undefined {
  const cells: SheetRow['cells'] = {};
  let filled = false;
  for (const { index, column } of header.columns) {
    if (!column) continue;
    const cell = physical.cells.get(index) ?? EMPTY_CELL;
    cells[column] = cell;
    if (cell.text.trim() !== '') filled = true;
  }
  // Blank rows, and rows with only a running number ("No."), are not proposals.
  return filled ? { row: physical.row, cells, original: physical.cells } : undefined;
}

async function* dataRows(located: Located, limits: ReadLimits, pace: Pace): AsyncGenerator<SheetRow> {
  let count = 0;
  let chars = 0;
  for await (const physical of located.rows) {
    await pace.step();
    const row = toSheetRow(physical, located.header);
    if (!row) continue;
    count += 1;
    if (count > limits.maxRows) {
      throw new SheetError(
        'TOO_MANY_ROWS',
        `File berisi lebih dari ${limits.maxRows.toLocaleString('id-ID')} baris data. Satu usulan desa tidak sebesar itu: periksa apakah ada baris kosong berformat atau data ganda, atau pecah menjadi beberapa file.`,
      );
    }
    for (const cell of physical.cells.values()) chars += cell.text.length;
    if (chars > limits.maxCellChars) {
      throw new SheetError(
        'FILE_TOO_LARGE',
        `Isi sel dalam file terlalu banyak (lebih dari ${limits.maxCellChars.toLocaleString('id-ID')} karakter), jauh di atas usulan desa mana pun. Periksa apakah ada teks panjang yang tersalin ke banyak sel, hapus, lalu unggah ulang.`,
      );
    }
    yield row;
  }
}
