import { pipeline } from 'node:stream/promises';
import { Parse, type Entry } from 'unzipper';
import {
  SHEET_MAX_COLUMNS,
  SHEET_MAX_ROWS,
  dateCell,
  excelSerialToDate,
  isDateFormat,
  sheetOutOfBounds,
  textCell,
  type RawCell,
} from './cells';
import { corrupt, partName, toReadable, type SourceStream, type ZipInspection } from './file-guard';
import type { Pace } from './pace';
import { SheetError } from './sheet-error';
import { XmlTokenizer, attributesOf, type XmlHandler } from './xml-tokens';

/**
 * Reads an XLSX as a stream, the same way whatever order its zip entries come in. A streaming
 * reader sees entries in zip order, which no tool agrees on (Excel writes shared strings after
 * the sheets, others the workbook last), so each thing is read in a pass of its own over a fresh
 * stream of the file: the sheet list (kept by the zip guard), then shared strings and styles,
 * then rows. Sheets are taken in the workbook's tab order, never in zip order.
 */

/** Parts the zip guard keeps whole for readWorkbook: the sheet list and where each sheet lives. */
export const WORKBOOK_PARTS = ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels'] as const;

export type WorkbookSheet = { name: string; part: string; hidden: boolean };
export type Workbook = { sheets: WorkbookSheet[]; sharedStrings?: string; styles?: string; date1904: boolean };
/** What cells need to be read: shared strings, each cell style's number format, the date system. */
export type CellContext = { strings: string[]; numFmts: (string | undefined)[]; date1904: boolean };

/** One `<row>` as read: its number (see SheetParser) and the cells that exist, by 0-based column. */
export type PhysicalRow = { row: number; cells: Map<number, RawCell> };

// ---------------------------------------------------------------------------------------------
// The workbook: which sheets, in which order

const RELATIONSHIP_TYPE = /\/(worksheet|sharedStrings|styles)$/;

export function readWorkbook(zip: ZipInspection): Workbook {
  const present = new Set(zip.names);
  const rels = new Map<string, { type: string; part: string }>();
  const sheets: { name: string; id?: string; hidden: boolean }[] = [];
  let date1904 = false;
  const relsXml = zip.kept.get('xl/_rels/workbook.xml.rels');
  if (relsXml) {
    parseWhole(relsXml, {
      open(name, raw) {
        if (name !== 'Relationship') return;
        const a = attributesOf(raw);
        const type = RELATIONSHIP_TYPE.exec(a.Type ?? '')?.[1];
        if (a.Id && type && a.Target && a.TargetMode !== 'External')
          rels.set(a.Id, { type, part: resolveTarget(a.Target) });
      },
      close() {},
      text() {},
    });
  }
  const workbookXml = zip.kept.get('xl/workbook.xml');
  if (!workbookXml) throw corrupt();
  parseWhole(workbookXml, {
    open(name, raw) {
      if (name === 'sheet') {
        const a = attributesOf(raw);
        sheets.push({
          name: a.name ?? `Sheet${sheets.length + 1}`,
          id: a.id,
          hidden: a.state === 'hidden' || a.state === 'veryHidden',
        });
      } else if (name === 'workbookPr') {
        const value = attributesOf(raw).date1904;
        date1904 = value === '1' || value === 'true';
      }
    },
    close() {},
    text() {},
  });

  const listed: WorkbookSheet[] = [];
  for (const s of sheets) {
    const rel = s.id ? rels.get(s.id) : undefined;
    // Chart sheets and dialog sheets hold no cells; a sheet whose part is missing cannot be read.
    if (rel?.type !== 'worksheet' || !present.has(rel.part) || listed.some((l) => l.part === rel.part)) continue;
    listed.push({ name: s.name, part: rel.part, hidden: s.hidden });
  }
  // A workbook whose sheet list cannot be followed still has sheets: take them by their part names.
  if (listed.length === 0) {
    const parts = zip.names.filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n));
    parts.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    parts.forEach((part, i) => listed.push({ name: `Sheet${i + 1}`, part, hidden: false }));
  }
  const related = (type: string, fallback: string) => {
    const part = [...rels.values()].find((r) => r.type === type)?.part;
    return part && present.has(part) ? part : present.has(fallback) ? fallback : undefined;
  };
  return {
    sheets: listed,
    sharedStrings: related('sharedStrings', 'xl/sharedstrings.xml'),
    styles: related('styles', 'xl/styles.xml'),
    date1904,
  };
}

/** A relationship target, relative to xl/ unless absolute, as a partName. */
function resolveTarget(target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  return partName(out.join('/'));
}

function parseWhole(bytes: Buffer, handler: XmlHandler): void {
  try {
    const tokens = new XmlTokenizer(handler);
    tokens.write(xmlDecoder(bytes).decode(bytes));
    tokens.end();
  } catch (error) {
    if (error instanceof SheetError) throw error;
    throw corrupt();
  }
}

// ---------------------------------------------------------------------------------------------
// Shared strings and styles

/** Reads the shared strings and the cell styles' number formats, wherever they sit in the zip. */
export async function readCellContext(body: SourceStream, workbook: Workbook, pace: Pace): Promise<CellContext> {
  const strings = new SharedStringsParser();
  const styles = new StylesParser();
  const wanted = new Map<string, XmlHandler>();
  if (workbook.sharedStrings) wanted.set(workbook.sharedStrings, strings);
  if (workbook.styles) wanted.set(workbook.styles, styles);
  if (wanted.size > 0) {
    await guarded(async () => {
      for await (const { name, entry } of zipEntries(body)) {
        const handler = wanted.get(name);
        if (!handler) {
          await drain(entry, pace);
          continue;
        }
        // Only the first entry of a name counts: a zip may (wrongly) hold two.
        wanted.delete(name);
        const tokens = new XmlTokenizer(handler);
        let decoder: TextDecoder | undefined;
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          await pace.step();
          decoder ??= xmlDecoder(chunk);
          tokens.write(decoder.decode(chunk, { stream: true }));
        }
        tokens.write(decoder?.decode() ?? '');
        tokens.end();
        if (wanted.size === 0) break;
      }
    });
  }
  return { strings: strings.strings, numFmts: styles.formats(), date1904: workbook.date1904 };
}

class SharedStringsParser implements XmlHandler {
  readonly strings: string[] = [];
  private current: string | undefined;
  private capturing = false;
  // Phonetic runs (<rPh>, furigana) are a reading aid, not part of the text.
  private phonetic = 0;

  open(name: string, _raw: string, selfClosing: boolean) {
    if (name === 'si') {
      if (selfClosing) this.strings.push('');
      else this.current = '';
    } else if (name === 'rPh' && !selfClosing) this.phonetic += 1;
    else if (name === 't' && this.current !== undefined && this.phonetic === 0 && !selfClosing) this.capturing = true;
  }

  text(text: string) {
    if (this.capturing) this.current += text;
  }

  close(name: string) {
    if (name === 't') this.capturing = false;
    else if (name === 'rPh') this.phonetic = Math.max(0, this.phonetic - 1);
    else if (name === 'si' && this.current !== undefined) {
      this.strings.push(this.current);
      this.current = undefined;
    }
  }
}

/** ECMA-376 §18.8.30: number formats every workbook has without declaring them. */
const BUILT_IN_FORMATS: Record<number, string> = {
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy h:mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};
// 27-36 and 50-58 are East Asian date formats whose code depends on the locale: all dates.
for (const id of [27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58])
  BUILT_IN_FORMATS[id] = 'yyyy-mm-dd';

class StylesParser implements XmlHandler {
  private readonly custom = new Map<number, string>();
  private readonly xfFormats: number[] = [];
  private inCellXfs = false;

  open(name: string, raw: string, selfClosing: boolean) {
    if (name === 'numFmt') {
      const a = attributesOf(raw);
      this.custom.set(Number(a.numFmtId), a.formatCode ?? '');
    } else if (name === 'cellXfs') this.inCellXfs = !selfClosing;
    // Cell styles index <cellXfs>; the <xf> under <cellStyleXfs> are named styles, not indexed by cells.
    else if (name === 'xf' && this.inCellXfs) this.xfFormats.push(Number(attributesOf(raw).numFmtId ?? 0) || 0);
  }

  close(name: string) {
    if (name === 'cellXfs') this.inCellXfs = false;
  }

  text() {}

  formats(): (string | undefined)[] {
    return this.xfFormats.map((id) => (id === 0 ? undefined : (this.custom.get(id) ?? BUILT_IN_FORMATS[id])));
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

/** Lets the caller of sheetRows stop parsing a sheet early, and see which sheets have ended. */
export type SheetScan = { skip: Set<string>; ended: Set<string> };

/**
 * The rows of the given sheet parts, in zip order, one part after another. Stops reading the file
 * once every part has ended. A part in `scan.skip` is no longer parsed (its bytes still flow past).
 */
export async function* sheetRows(
  body: SourceStream,
  parts: ReadonlySet<string>,
  context: CellContext,
  pace: Pace,
  scan: SheetScan = { skip: new Set(), ended: new Set() },
): AsyncGenerator<{ part: string; row: PhysicalRow }> {
  const remaining = new Set(parts);
  try {
    for await (const { name, entry } of zipEntries(body)) {
      if (!remaining.has(name)) {
        await drain(entry, pace);
        continue;
      }
      remaining.delete(name);
      const parser = new SheetParser(context);
      const tokens = new XmlTokenizer(parser);
      let decoder: TextDecoder | undefined;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        await pace.step();
        if (scan.skip.has(name)) continue;
        decoder ??= xmlDecoder(chunk);
        tokens.write(decoder.decode(chunk, { stream: true }));
        for (const row of parser.take()) yield { part: name, row };
      }
      if (!scan.skip.has(name)) {
        tokens.write(decoder?.decode() ?? '');
        tokens.end();
        for (const row of parser.take()) yield { part: name, row };
      }
      scan.ended.add(name);
      if (remaining.size === 0) return;
    }
  } catch (error) {
    if (error instanceof SheetError) throw error;
    throw corrupt();
  }
}

type OpenCell = { column: number; type: string; style: number; value?: string; formula?: string; inline?: string };

/**
 * Turns the tokens of one worksheet into rows. Row numbers are taken from `r` while they go up;
 * a row without one, or whose number repeats or goes backwards (some tools write that), is the
 * row after the previous one, so every row is read, in file order, under a number of its own.
 * Cells likewise take the column after the previous cell when they carry no reference.
 */
class SheetParser implements XmlHandler {
  private done: PhysicalRow[] = [];
  private inSheetData = false;
  private lastRow = 0;
  private row: PhysicalRow | undefined;
  private lastColumn = 0;
  private cell: OpenCell | undefined;
  private capture: 'v' | 'f' | 't' | undefined;
  private buffer = '';
  private inInline = false;
  private phonetic = 0;

  constructor(private readonly context: CellContext) {}

  take(): PhysicalRow[] {
    const rows = this.done;
    if (rows.length) this.done = [];
    return rows;
  }

  open(name: string, raw: string, selfClosing: boolean) {
    switch (name) {
      case 'sheetData':
        this.inSheetData = !selfClosing;
        return;
      case 'row':
        if (!this.inSheetData) return;
        this.startRow(raw);
        if (selfClosing) this.endRow();
        return;
      case 'c':
        if (!this.row) return;
        this.startCell(raw);
        if (selfClosing) this.cell = undefined;
        return;
      case 'v':
      case 'f':
        if (!this.cell) return;
        if (selfClosing) {
          // <f t="shared" si="0"/>: a formula shared from another cell; its value still follows.
          if (name === 'f') this.cell.formula ??= '';
          return;
        }
        this.capture = name;
        this.buffer = '';
        return;
      case 'is':
        if (this.cell && !selfClosing) {
          this.inInline = true;
          this.cell.inline ??= '';
        }
        return;
      case 'rPh':
        if (this.inInline && !selfClosing) this.phonetic += 1;
        return;
      case 't':
        if (this.inInline && this.phonetic === 0 && !selfClosing) {
          this.capture = 't';
          this.buffer = '';
        }
        return;
    }
  }

  text(text: string) {
    if (this.capture) this.buffer += text;
  }

  close(name: string) {
    switch (name) {
      case 'v':
        if (this.capture === 'v' && this.cell) this.cell.value = this.buffer;
        this.capture = undefined;
        return;
      case 'f':
        if (this.capture === 'f' && this.cell) this.cell.formula = this.buffer;
        this.capture = undefined;
        return;
      case 't':
        if (this.capture === 't' && this.cell) this.cell.inline += this.buffer;
        this.capture = undefined;
        return;
      case 'rPh':
        this.phonetic = Math.max(0, this.phonetic - 1);
        return;
      case 'is':
        this.inInline = false;
        return;
      case 'c':
        this.endCell();
        return;
      case 'row':
        this.endRow();
        return;
      case 'sheetData':
        this.inSheetData = false;
        return;
    }
  }

  private startRow(raw: string) {
    const declared = rowNumberOf(attributesOf(raw).r);
    const row = declared !== undefined && declared > this.lastRow ? declared : this.lastRow + 1;
    if (row > SHEET_MAX_ROWS) throw sheetOutOfBounds(`baris ${row.toLocaleString('id-ID')}`);
    this.lastRow = row;
    this.lastColumn = 0;
    this.row = { row, cells: new Map() };
  }

  private endRow() {
    if (this.row) this.done.push(this.row);
    this.row = undefined;
    this.cell = undefined;
  }

  private startCell(raw: string) {
    const a = attributesOf(raw);
    const column = columnOf(a.r) ?? this.lastColumn + 1;
    if (column > SHEET_MAX_COLUMNS)
      throw sheetOutOfBounds(
        `kolom ke-${column.toLocaleString('id-ID')} (baris ${this.row!.row.toLocaleString('id-ID')})`,
      );
    this.lastColumn = column;
    this.cell = { column, type: a.t ?? 'n', style: a.s ? Number(a.s) : 0 };
  }

  private endCell() {
    const open = this.cell;
    this.cell = undefined;
    this.capture = undefined;
    this.inInline = false;
    if (!open || !this.row) return;
    const cell = cellOf(open, this.context);
    if (cell) this.row.cells.set(open.column - 1, cell);
  }
}

const rowNumberOf = (r: string | undefined) => (r && /^\d+$/.test(r) ? Number(r) : undefined);

/** The column of a reference like "AB12", 1-based; undefined when there is none to read. */
function columnOf(ref: string | undefined): number | undefined {
  if (!ref) return undefined;
  let column = 0;
  let i = 0;
  for (; i < ref.length && i < 4; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 0x61 || c > 0x7a) break;
    column = column * 26 + (c - 0x60);
  }
  // More than three letters is past XFD whatever follows.
  if (i === 4 && /^[a-z]$/i.test(ref[3]!)) return SHEET_MAX_COLUMNS + 1;
  return i === 0 ? undefined : column;
}

function cellOf(open: OpenCell, context: CellContext): RawCell | undefined {
  const numFmt = context.numFmts[open.style];
  const raw = open.value;
  let cell: RawCell;
  switch (open.type) {
    case 'inlineStr': {
      const text = open.inline ?? raw;
      if (text === undefined) return undefined;
      cell = textCell(text);
      break;
    }
    case 's': {
      if (raw === undefined) return undefined;
      cell = textCell(context.strings[Number(raw)] ?? '');
      break;
    }
    case 'str':
      if (raw === undefined) return undefined;
      cell = textCell(raw);
      break;
    case 'b': {
      if (raw === undefined) return undefined;
      const value = raw.trim() === '1' || raw.trim().toLowerCase() === 'true';
      cell = { value, text: value ? 'TRUE' : 'FALSE' };
      break;
    }
    case 'e':
      if (raw === undefined) return undefined;
      cell = { value: null, text: raw };
      break;
    case 'd': {
      // Strict OOXML stores dates as ISO text; one without a zone is a calendar date, so UTC.
      if (raw === undefined) return undefined;
      const date = new Date(/T[\d:.]+$/.test(raw) ? `${raw}Z` : raw);
      cell = Number.isNaN(date.getTime()) ? textCell(raw) : dateCell(date);
      break;
    }
    default: {
      if (raw === undefined) return undefined;
      const value = Number(raw);
      if (raw.trim() === '' || Number.isNaN(value)) cell = textCell(raw);
      // A number shown as a date is a date: Excel keeps dates as serial day numbers.
      else if (isDateFormat(numFmt)) cell = dateCell(excelSerialToDate(value, context.date1904));
      else cell = { value, text: String(value) };
    }
  }
  if (cell.value === null && cell.text === '' && !open.formula) return undefined;
  // `cell` is a fresh object here: set the rest on it rather than copy it once more per cell.
  if (numFmt) cell.numFmt = numFmt;
  // A formula counts by its cached result: the operator saw the result, and we never evaluate.
  if (open.formula) cell.formula = open.formula;
  return cell;
}

// ---------------------------------------------------------------------------------------------
// The zip, as a stream of entries

/**
 * The zip's entries in order. The caller reads or drains each entry before asking for the next
 * (the zip stream waits for it); leaving the loop early closes the file.
 */
async function* zipEntries(body: SourceStream): AsyncGenerator<{ name: string; entry: Entry }> {
  const input = toReadable(body);
  const zip = Parse({ forceStream: true });
  const feeding = pipeline(input, zip).then(
    () => undefined,
    (error: unknown) => error ?? new Error('zip stream failed'),
  );
  let complete = false;
  try {
    for await (const item of zip) {
      const entry = item as Entry;
      yield { name: partName(entry.path), entry };
    }
    complete = true;
  } finally {
    if (!complete) {
      input.destroy();
      zip.destroy();
    }
  }
  if (await feeding) throw corrupt();
}

async function drain(entry: Entry, pace: Pace): Promise<void> {
  for await (const _ of entry) await pace.step();
}

async function guarded<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SheetError) throw error;
    throw corrupt();
  }
}

/** XML parts are UTF-8 unless they start with a UTF-16 byte order mark. */
function xmlDecoder(first: Buffer): TextDecoder {
  if (first[0] === 0xff && first[1] === 0xfe) return new TextDecoder('utf-16le');
  if (first[0] === 0xfe && first[1] === 0xff) return new TextDecoder('utf-16be');
  return new TextDecoder('utf-8');
}
