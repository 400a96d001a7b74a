import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  SheetError,
  openProposalSheet,
  type SheetRow,
} from '../../../functions/core/spreadsheet/read-proposal-sheet';
import { inline, last, num, rawXlsx, shared, source, textRow, type RawSheet } from './fixtures';

/**
 * Workbooks that are valid (or nearly) but not shaped like Excel's own: other tools' entry order,
 * row numbering and far-away cells. None may be read at random, throw a system error, or take
 * time that follows row numbers instead of the rows that exist.
 */

const HEADER = ['NIK', 'Nama Lengkap', 'Tanggal Lahir', 'Jenis Kelamin', 'Pekerjaan'];
const person = (name: string) => ['6203011205850001', name, '12-05-1985', 'L', 'petani'];
const list = (name: string, rows: [number | undefined, string[]][]): RawSheet => ({
  name,
  sheetData: rows.map(([r, values]) => textRow(r, values)).join(''),
});
const notes = (name: string, rows = 3): RawSheet => ({
  name,
  sheetData: Array.from({ length: rows }, (_, i) => textRow(i + 1, [`Catatan ${i + 1}`])).join(''),
});

async function all(rows: AsyncIterable<SheetRow>) {
  const out: SheetRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

async function sheetError(promise: Promise<unknown>): Promise<SheetError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SheetError) return error;
    throw error;
  }
  throw new Error('expected a SheetError');
}

async function read(file: Buffer) {
  const sheet = await openProposalSheet(source(file));
  return { sheetName: sheet.header.sheetName, headerRow: sheet.header.row, rows: await all(sheet.rows) };
}

describe('every sheet is considered, deterministically, whatever the zip entry order', () => {
  it('finds the list on the last of five sheets in every one of many concurrent reads (shared strings last, as Excel writes)', async () => {
    const strings = [...HEADER, ...person('Budi Santoso'), 'Petunjuk pengisian'];
    const filler = (name: string): RawSheet => ({
      name,
      sheetData: Array.from(
        { length: 2000 },
        (_, i) => `<row r="${i + 1}">${shared(`A${i + 1}`, strings.length - 1)}</row>`,
      ).join(''),
    });
    const daftar: RawSheet = {
      name: 'Daftar',
      sheetData: [HEADER, person('Budi Santoso')]
        .map(
          (values, r) =>
            `<row r="${r + 1}">${values.map((v, c) => shared(`${'ABCDE'[c]}${r + 1}`, strings.indexOf(v))).join('')}</row>`,
        )
        .join(''),
    };
    const file = rawXlsx([filler('Petunjuk'), filler('Rekap'), filler('Desa'), filler('Kode'), daftar], { strings });
    const reads = await Promise.all(Array.from({ length: 12 }, () => read(file)));
    for (const r of reads) {
      expect(r.sheetName).toBe('Daftar');
      expect(r.rows.map((row) => row.cells.name?.text)).toEqual(['Budi Santoso']);
    }
  });

  it('reads a workbook whose workbook.xml comes last in the zip, after its rels, shared strings and sheets', async () => {
    const sharedFirst = (names: string[]) => {
      const rest = names.filter((n) => n !== 'xl/sharedStrings.xml' && n !== 'xl/workbook.xml');
      return ['xl/sharedStrings.xml', ...rest, 'xl/workbook.xml'];
    };
    const file = rawXlsx(
      [
        list('Data', [
          [1, HEADER],
          [2, person('Budi')],
        ]),
      ],
      { strings: ['tidak dipakai'], order: sharedFirst },
    );
    const r = await read(file);
    expect(r.sheetName).toBe('Data');
    expect(r.rows.map((row) => row.cells.name?.text)).toEqual(['Budi']);
  });

  it('reads past the first sheet when the file has no shared strings', async () => {
    const file = rawXlsx([
      notes('Petunjuk'),
      notes('Rekap'),
      list('Usulan', [
        [1, HEADER],
        [2, person('Siti')],
      ]),
    ]);
    const r = await read(file);
    expect(r.sheetName).toBe('Usulan');
    expect(r.rows.map((row) => row.cells.name?.text)).toEqual(['Siti']);
  });

  it('takes the first sheet in tab order, not in zip order, when two sheets have a header', async () => {
    const file = rawXlsx(
      [
        list('Desa A', [
          [1, HEADER],
          [2, person('Budi')],
        ]),
        list('Desa B', [
          [1, HEADER],
          [2, person('Siti')],
        ]),
      ],
      {
        order: last('xl/worksheets/sheet1.xml'),
      },
    );
    const r = await read(file);
    expect(r.sheetName).toBe('Desa A');
    expect(r.rows.map((row) => row.cells.name?.text)).toEqual(['Budi']);
  });

  it('prefers a visible sheet to a hidden one the operator cannot see', async () => {
    const hidden = {
      ...list('Lama', [
        [1, HEADER],
        [2, person('Budi')],
      ]),
      state: 'hidden' as const,
    };
    const r = await read(
      rawXlsx([
        hidden,
        list('Baru', [
          [1, HEADER],
          [2, person('Siti')],
        ]),
      ]),
    );
    expect(r.sheetName).toBe('Baru');
  });

  it('reads sheets written with a namespace prefix (<x:row>, as the OpenXML SDK writes)', async () => {
    const r = await read(
      rawXlsx(
        [
          list('Data', [
            [1, HEADER],
            [2, person('Budi')],
          ]),
        ],
        { prefix: 'x' },
      ),
    );
    expect(r.rows.map((row) => row.cells.name?.text)).toEqual(['Budi']);
  });
});

describe('row numbering other tools write', () => {
  it('reads rows whose numbers repeat or go backwards in file order, numbered upwards', async () => {
    const file = rawXlsx([
      list('Data', [
        [1, HEADER],
        [2, person('Budi')],
        [2, person('Siti')],
        [1, person('Ani')],
        [9, person('Wati')],
      ]),
    ]);
    const r = await read(file);
    expect(r.rows.map((row) => [row.row, row.cells.name?.text])).toEqual([
      [2, 'Budi'],
      [3, 'Siti'],
      [4, 'Ani'],
      [9, 'Wati'],
    ]);
  });

  it('numbers rows and cells without an r attribute as they come (the attribute is optional)', async () => {
    const bare = (values: string[]) =>
      `<row>${values.map((v) => `<c t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;
    const file = rawXlsx([
      { name: 'Data', sheetData: [bare(['Daftar usulan']), bare(HEADER), bare(person('Budi'))].join('') },
    ]);
    const r = await read(file);
    expect(r.headerRow).toBe(2);
    expect(r.rows.map((row) => [row.row, row.cells.nik?.text, row.cells.occupation?.text])).toEqual([
      [3, '6203011205850001', 'petani'],
    ]);
  });

  it('refuses, with a reason, a row past the last row a spreadsheet has (1,048,576)', async () => {
    const file = rawXlsx([
      list('Data', [
        [1, HEADER],
        [2, person('Budi')],
        [5_000_000, person('Siti')],
      ]),
    ]);
    const error = await sheetError(read(file));
    expect(error.code).toBe('SHEET_OUT_OF_BOUNDS');
    expect(error.message).toContain('5.000.000');
  });

  it('refuses a CSV whose data runs past the last row a spreadsheet has', async () => {
    const csv = `NIK;Nama;Tgl Lahir;L/P;Pekerjaan\n6203011205850001;Budi;12-05-1985;L;tani\n${'\n'.repeat(1_048_576)}6203016308900002;Siti;23-08-1990;P;tani\n`;
    const error = await sheetError(
      (async () => {
        const sheet = await openProposalSheet(source(csv, 'u.csv'));
        return all(sheet.rows);
      })(),
    );
    expect(error.code).toBe('SHEET_OUT_OF_BOUNDS');
  }, 30_000);

  it('refuses a cell past the last column (XFD)', async () => {
    const file = rawXlsx([
      {
        name: 'Data',
        sheetData: textRow(1, HEADER) + `<row r="2">${inline('A2', '6203011205850001')}${inline('XFE2', 'x')}</row>`,
      },
    ]);
    expect((await sheetError(read(file))).code).toBe('SHEET_OUT_OF_BOUNDS');
  });
});

describe('far-away cells cost what exists, not where it sits', () => {
  // Walking the empty rows between would take minutes: the test's timeout catches that; no time is asserted.
  it('reads a stray value at the last row of the sheet', async () => {
    const file = rawXlsx([
      list('Data', [
        [1, HEADER],
        [2, person('Budi')],
        [1_048_576, person('Siti')],
      ]),
    ]);
    const r = await read(file);
    expect(r.rows.map((row) => row.row)).toEqual([2, 1_048_576]);
  });

  it('holds only the cells that exist when every row has a stray cell in the last column', async () => {
    const rows = Array.from(
      { length: 2000 },
      (_, i) =>
        `<row r="${i + 2}">${person(`Budi ${'abcdefghij'[i % 10]}`)
          .map((v, c) => inline(`${'ABCDE'[c]}${i + 2}`, v))
          .join('')}${num(`XFD${i + 2}`, 1)}</row>`,
    );
    const file = rawXlsx([{ name: 'Data', sheetData: textRow(1, HEADER) + rows.join('') }]);
    const r = await read(file);
    expect(r.rows).toHaveLength(2000);
    expect(r.rows[0]!.original.size).toBe(6);
    expect(r.rows[0]!.original.get(16_383)).toMatchObject({ value: 1 });
  });

  it('refuses a file whose cells repeat one long shared string into more text than a proposal holds', async () => {
    const long = 'x'.repeat(30_000);
    const strings = [...HEADER, ...person('Budi'), long];
    const rows = Array.from(
      { length: 400 },
      (_, i) =>
        `<row r="${i + 2}">${[5, 6, 7, 8, 10].map((s, c) => shared(`${'ABCDE'[c]}${i + 2}`, s)).join('')}</row>`,
    );
    const file = rawXlsx(
      [
        {
          name: 'Data',
          sheetData: `<row r="1">${HEADER.map((_, c) => shared(`${'ABCDE'[c]}1`, c)).join('')}</row>${rows.join('')}`,
        },
      ],
      { strings },
    );
    expect(file.length).toBeLessThan(100_000);
    const reading = (async () =>
      all((await openProposalSheet(source(file), { ...DEFAULT_LIMITS, maxCellChars: 5_000_000 })).rows))();
    expect((await sheetError(reading)).code).toBe('FILE_TOO_LARGE');
  });
});

describe('time', () => {
  it('refuses, in Indonesian, a file it cannot read before the deadline', async () => {
    const file = rawXlsx([
      list('Data', [
        [1, HEADER],
        [2, person('Budi')],
      ]),
    ]);
    const error = await sheetError(openProposalSheet(source(file), { ...DEFAULT_LIMITS, readBy: Date.now() - 1 }));
    expect(error.code).toBe('FILE_TOO_SLOW');
    expect(error.message).toMatch(/waktu/);
  });

  it('hands the event loop back while reading a big file held in memory', async () => {
    const rows = 100_000;
    const body = () =>
      Readable.from(
        (function* () {
          yield 'NIK;Nama;Tgl Lahir;L/P;Pekerjaan\n';
          for (let i = 1; i <= rows; i++)
            yield `620302120585${String(i % 10_000 || 1).padStart(4, '0')};Budi;12-05-1985;L;tani\n`;
        })(),
      );
    // Other work in the same process (the API, an approval) gets turns while the file is read: in the
    // first half of the rows and in the second (turns counted, no time asserted).
    let turns = 0;
    let reading = true;
    const other = () => {
      turns += 1;
      if (reading) setImmediate(other);
    };
    try {
      const sheet = await openProposalSheet({ fileName: 'big.csv', body });
      setImmediate(other);
      let read = 0;
      let turnsAtHalf = 0;
      for await (const _row of sheet.rows) if (++read === rows / 2) turnsAtHalf = turns;
      expect(read).toBe(rows);
      expect(turnsAtHalf).toBeGreaterThan(1);
      expect(turns).toBeGreaterThan(turnsAtHalf + 1);
    } finally {
      reading = false;
    }
  }, 30_000);
});
