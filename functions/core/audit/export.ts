import ExcelJS from 'exceljs';
import type { SearchRow } from './search';
import type { Timeline } from './timeline';

/**
 * Exports of the console's lists and timelines (issue 11): the rows the page shows, as CSV or XLSX,
 * already masked as the viewer's role requires (the rows come from the same views). No cell is a
 * formula: XLSX cells are written as text or numbers, and a CSV field that would read as one is quoted.
 */

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type Cell = string | number | undefined;
export type ExportTable = {
  /** The sheet's name (XLSX) and the start of the file name. */
  name: string;
  columns: { header: string; width: number }[];
  rows: Cell[][];
  /** What the table is, who exported it and when: the XLSX's second sheet (a CSV has one table only). */
  about: [string, string][];
};

export type ExportFile = { body: Buffer; contentType: string; fileName: string };

/** A CSV field a spreadsheet would read as a formula (=, +, -, @, tab, CR) is kept as text with a leading quote. */
const inert = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/**
 * CSV as Indonesian Excel opens it with a double click: `;` between fields (its list separator in
 * the id-ID locale, as the proposal sheets villages send), a UTF-8 byte order mark, CRLF lines.
 */
export function toCsv(table: ExportTable): Buffer {
  const field = (cell: Cell) => {
    if (cell === undefined) return '';
    const text = typeof cell === 'number' ? String(cell) : inert(cell);
    return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns.map((c) => c.header), ...table.rows].map((r) => r.map(field).join(';'));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** XLSX: the table on its first sheet (header frozen, text cells), what it is on a second. */
async function toXlsx(table: ExportTable): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Jaring';
  const sheet = book.addWorksheet(table.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  // A string cell of an XLSX is text whatever it starts with (never a formula): written as it is.
  for (const row of table.rows) sheet.addRow(row);
  const about = book.addWorksheet('Keterangan');
  about.columns = [
    { header: 'Keterangan', width: 24 },
    { header: 'Isi', width: 80 },
  ];
  about.getRow(1).font = { bold: true };
  for (const [k, v] of table.about) about.addRow([k, v]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A file name's stem any disk and header takes: letters, digits, dot, dash, underscore. */
export const fileStem = (text: string) => text.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '');

export async function exportFile(table: ExportTable, format: ExportFormat, stem: string): Promise<ExportFile> {
  const safeStem = fileStem(stem);
  return format === 'csv'
    ? { body: toCsv(table), contentType: 'text/csv; charset=utf-8', fileName: `${safeStem}.csv` }
    : {
        body: await toXlsx(table),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName: `${safeStem}.xlsx`,
      };
}

const KIND_TEXT: Record<SearchRow['kind'], string> = {
  proposal: 'Usulan',
  participant: 'Peserta',
  bill: 'Tagihan',
  claim: 'Klaim',
};

/** A search's rows as a table: what the page lists, without links (an export is read, not followed). */
export function searchTable(rows: readonly SearchRow[], about: [string, string][]): ExportTable {
  return {
    name: 'Pencarian',
    columns: [
      { header: 'Jenis', width: 10 },
      { header: 'Judul', width: 40 },
      { header: 'Program', width: 22 },
      { header: 'Kode desa/kelurahan', width: 16 },
      { header: 'Desa/Kelurahan', width: 24 },
      { header: 'Kecamatan', width: 18 },
      { header: 'NIK (disamarkan)', width: 20 },
      { header: 'Status', width: 14 },
      { header: 'Keterangan status', width: 36 },
      { header: 'Tanggal', width: 24 },
      { header: 'Rekaman', width: 34 },
    ],
    rows: rows.map((r) => [
      KIND_TEXT[r.kind],
      r.title,
      r.programmeId,
      r.villageCode,
      r.village,
      r.kecamatan,
      r.nik,
      r.status,
      r.statusText,
      r.date,
      // A participant's entity holds the NIK: the export names it masked, like the rest of the row.
      r.kind === 'participant' ? undefined : r.entity,
    ]),
    about,
  };
}

/** A timeline as a table: one row per event, in chain order, its execution's steps in one cell. */
export function timelineTable(timeline: Timeline, about: [string, string][]): ExportTable {
  return {
    name: 'Riwayat',
    columns: [
      { header: 'Urutan', width: 8 },
      { header: 'Waktu (WIB)', width: 24 },
      { header: 'Waktu (UTC, ISO 8601)', width: 26 },
      { header: 'Pelaku', width: 34 },
      { header: 'Peristiwa', width: 34 },
      { header: 'Kode peristiwa', width: 28 },
      { header: 'Keterangan', width: 60 },
      { header: 'Status dari', width: 18 },
      { header: 'Status ke', width: 18 },
      { header: 'Eksekusi alur kerja', width: 40 },
      { header: 'Langkah alur kerja', width: 60 },
      { header: 'Rantai', width: 10 },
    ],
    rows: timeline.entries.map((e) => [
      e.position,
      e.time,
      e.at,
      e.actor,
      e.label,
      e.action,
      e.summary,
      e.from,
      e.to,
      e.execution,
      e.steps.map((s) => `${s.time} ${s.name} ${s.typeText}${s.error ? ` (${s.error})` : ''}`).join('\n') || undefined,
      e.broken ? 'RUSAK' : undefined,
    ]),
    about: [
      ['Rekaman', timeline.entity],
      ['Judul', timeline.title],
      ['Verifikasi rantai', timeline.verdict.text],
      ...about,
    ],
  };
}
