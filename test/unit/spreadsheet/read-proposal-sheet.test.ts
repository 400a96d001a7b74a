import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import {
  DEFAULT_LIMITS,
  SheetError,
  openProposalSheet,
  type SheetRow,
} from '../../../functions/core/spreadsheet/read-proposal-sheet';
import { validateRows } from '../../../functions/core/validation/rules';
import { HEADER, handMadeZip, source, xlsx } from './fixtures';

const programme = findProgramme('kapuas-2026-apbd')!;

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

describe('XLSX written by Excel-like tools (exceljs)', () => {
  it('finds the header below titles and a merged title, and keeps the sheet row numbers', async () => {
    const file = await xlsx((wb) => {
      const ws = wb.addWorksheet('Usulan');
      ws.addRow(['DAFTAR USULAN PEKERJA RENTAN DESA SELAT HILIR']);
      ws.mergeCells('A1:F1');
      ws.addRow(['Tahun 2026']);
      ws.addRow([]);
      ws.addRow(['No.', 'No. KTP', 'Nama', 'Tgl. Lahir', 'L/P', 'Jenis Pekerjaan', 'Alamat', 'No HP', 'Desil DTSEN']);
      ws.addRow([
        1,
        '6203011205850001',
        'Budi Santoso',
        new Date(Date.UTC(1985, 4, 12)),
        'L',
        'Tani',
        'RT 01',
        '0812345678',
        2,
      ]);
      ws.addRow([]);
      ws.addRow([
        2,
        '6203016308900002',
        { richText: [{ text: 'Siti ' }, { text: 'Aminah', font: { bold: true } }] },
        '23-08-1990',
        'P',
        { formula: '"pedagang"&" pasar"', result: 'pedagang pasar' },
      ]);
      ws.addRow([3]); // a pre-numbered empty row
      ws.getCell('D5').numFmt = 'dd/mm/yyyy';
    });
    const sheet = await openProposalSheet(source(file));
    expect(sheet.format).toBe('xlsx');
    expect(sheet.header.row).toBe(4);
    expect(sheet.header.sheetName).toBe('Usulan');
    expect(sheet.header.columns.map((c) => c.column)).toEqual([
      undefined,
      'nik',
      'name',
      'birthDate',
      'sex',
      'occupation',
      'address',
      'phone',
      'dtsenDecile',
    ]);
    const rows = await all(sheet.rows);
    expect(rows.map((r) => r.row)).toEqual([5, 7]);
    expect(rows[0]!.cells.birthDate).toMatchObject({
      value: new Date(Date.UTC(1985, 4, 12)),
      text: '12-05-1985',
      numFmt: 'dd/mm/yyyy',
    });
    expect(rows[1]!.cells.name?.text).toBe('Siti Aminah');
    // A formula counts by its cached result; its text is never the formula.
    expect(rows[1]!.cells.occupation).toMatchObject({
      value: 'pedagang pasar',
      text: 'pedagang pasar',
      formula: '"pedagang"&" pasar"',
    });
    expect(rows[0]!.original.size).toBe(9);
    expect(rows[0]!.original.get(0)).toMatchObject({ value: 1 });
  });

  it('keeps a NIK typed as a number a number, so the rules can judge it', async () => {
    const file = await xlsx((wb) => {
      const ws = wb.addWorksheet('Data');
      ws.addRow(HEADER);
      ws.addRow([1, 6203011205850001, 'Budi', '12-05-1985', 'L', 'petani']);
      ws.addRow([2, 6.20301120585e15, 'Budi', '12-05-1985', 'L', 'petani']);
    });
    const sheet = await openProposalSheet(source(file));
    const verdicts = [];
    for await (const v of validateRows(sheet.rows, programme)) verdicts.push(v);
    expect(verdicts.map((v) => [...v.errors, ...v.warnings].map((i) => i.code))).toEqual([
      ['NIK_NUMBER_CELL'],
      ['NIK_PRECISION_LOST'],
    ]);
  });

  it('picks the sheet that has the header in a multi-sheet workbook, ignoring sheets after it', async () => {
    const file = await xlsx((wb) => {
      wb.addWorksheet('Petunjuk').addRows([['Isi data di sheet Data'], ['NIK harus 16 digit']]);
      const data = wb.addWorksheet('Data');
      data.addRow(HEADER);
      data.addRow([1, '6203011205850001', 'Budi', '12-05-1985', 'L', 'petani']);
      wb.addWorksheet('Rekap').addRows([HEADER, [1, '6203016308900002', 'Siti', '23-08-1990', 'P', 'petani']]);
    });
    const sheet = await openProposalSheet(source(file));
    expect(sheet.header.sheetName).toBe('Data');
    expect((await all(sheet.rows)).map((r) => r.cells.name?.text)).toEqual(['Budi']);
  });

  it('says so when no sheet has a header', async () => {
    const file = await xlsx((wb) => {
      wb.addWorksheet('A').addRows([['Daftar'], ['Budi', 'Siti']]);
      wb.addWorksheet('B').addRows([['1', '2', '3']]);
    });
    const error = await sheetError(openProposalSheet(source(file)));
    expect(error.code).toBe('HEADER_NOT_FOUND');
    expect(error.message).toContain('2 sheet diperiksa');
  });

  it('names the missing required columns', async () => {
    const file = await xlsx((wb) =>
      wb.addWorksheet('Data').addRows([
        ['NIK', 'Nama', 'Alamat'],
        ['6203011205850001', 'Budi', 'RT 1'],
      ]),
    );
    const error = await sheetError(openProposalSheet(source(file)));
    expect(error.code).toBe('COLUMNS_MISSING');
    expect(error.message).toContain('"Tanggal Lahir", "Jenis Kelamin (L/P)", "Pekerjaan"');
    expect(error.message).toContain('template');
  });

  it('refuses a header-only file and an empty workbook', async () => {
    const headerOnly = await xlsx((wb) => wb.addWorksheet('Data').addRow(HEADER));
    expect((await sheetError(openProposalSheet(source(headerOnly)))).code).toBe('NO_DATA_ROWS');
    const empty = await xlsx((wb) => wb.addWorksheet('Data'));
    expect((await sheetError(openProposalSheet(source(empty)))).code).toBe('FILE_EMPTY');
  });

  it('caps the number of rows', async () => {
    const file = await xlsx((wb) => {
      const ws = wb.addWorksheet('Data');
      ws.addRow(HEADER);
      for (let i = 0; i < 6; i++) ws.addRow([i, '6203011205850001', 'Budi', '12-05-1985', 'L', 'petani']);
    });
    const sheet = await openProposalSheet(source(file), { ...DEFAULT_LIMITS, maxRows: 5 });
    const error = await sheetError(all(sheet.rows));
    expect(error.code).toBe('TOO_MANY_ROWS');
  });

  it('un-neutralises formula-like text our own report wrote', async () => {
    const file = await xlsx((wb) =>
      wb
        .addWorksheet('Data')
        .addRows([HEADER, [1, '6203011205850001', '\'=HYPERLINK("x")', '12-05-1985', 'L', 'petani']]),
    );
    const [row] = await all((await openProposalSheet(source(file))).rows);
    expect(row!.cells.name?.text).toBe('=HYPERLINK("x")');
  });
});

describe('XLSX written by LibreOffice (committed fixture, scripts/make-libreoffice-fixture.sh)', () => {
  it('reads real dates and numeric NIKs; a NIK LibreOffice rounded on CSV import is refused', async () => {
    const file = readFileSync(new URL('../../fixtures/libreoffice-proposal.xlsx', import.meta.url));
    const sheet = await openProposalSheet(source(file));
    expect(sheet.header.row).toBe(1);
    const rows = await all(sheet.rows);
    // LibreOffice 7.4 stored the CSV's 6203011205850001 as 6203011205850000: it rounds to 15 digits too.
    expect(rows[0]!.cells.nik?.value).toBe(6203011205850000);
    expect(rows[0]!.cells.birthDate?.value).toEqual(new Date(Date.UTC(1985, 4, 12)));
    const verdicts = [];
    for await (const v of validateRows(
      (async function* () {
        yield* rows;
      })(),
      programme,
    ))
      verdicts.push(v);
    expect(verdicts.map((v) => [v.row, v.errors.map((e) => e.code), Boolean(v.worker)])).toEqual([
      [2, ['NIK_PRECISION_LOST'], false],
      // A genuine NIK ending in 0 kept as a number cannot be told from a truncated one: retype as text.
      [3, ['NIK_PRECISION_LOST'], false],
      [4, [], true],
    ]);
  });
});

describe('CSV', () => {
  const body = [
    '6203011205850001,Budi Santoso,12-05-1985,L,"Petani, karet"',
    '6203016308900002,Siti Aminah,23/08/1990,P,pedagang',
  ];

  it('reads comma-separated UTF-8 with a BOM', async () => {
    const sheet = await openProposalSheet(
      source(`\uFEFFNIK,Nama,Tgl Lahir,JK,Pekerjaan\r\n${body.join('\r\n')}\r\n`, 'u.csv'),
    );
    expect(sheet.format).toBe('csv');
    const rows = await all(sheet.rows);
    expect(rows.map((r) => [r.row, r.cells.nik?.text, r.cells.occupation?.text])).toEqual([
      [2, '6203011205850001', 'Petani, karet'],
      [3, '6203016308900002', 'pedagang'],
    ]);
  });

  it('sniffs semicolons (Indonesian Excel), with a title row and blank lines keeping row numbers', async () => {
    const csv = [
      'DAFTAR USULAN;;;;',
      'NIK;Nama Lengkap;Tanggal Lahir;Jenis Kelamin;Pekerjaan',
      '6203011205850001;Budi, S.Pd;12-05-1985;L;Tani',
      '',
      '6203016308900002;Siti;23-08-1990;P;Nelayan',
    ].join('\n');
    const sheet = await openProposalSheet(source(csv, 'u.csv'));
    expect(sheet.header.row).toBe(2);
    expect((await all(sheet.rows)).map((r) => [r.row, r.cells.name?.text])).toEqual([
      [3, 'Budi, S.Pd'],
      [5, 'Siti'],
    ]);
  });

  it("honours Excel's sep= line", async () => {
    const sheet = await openProposalSheet(
      source(`sep=;\nNIK;Nama;Tgl Lahir;L/P;Pekerjaan\n6203011205850001;Budi;12-05-1985;L;tani\n`, 'u.csv'),
    );
    expect(sheet.header.row).toBe(1);
    expect((await all(sheet.rows))[0]).toMatchObject({ row: 2, cells: { name: { text: 'Budi' } } });
  });

  it('decodes Windows-1252 when the bytes are not UTF-8', async () => {
    const bytes = iconv.encode(
      'NIK;Nama;Tgl Lahir;L/P;Pekerjaan;Alamat\n6203011205850001;José;12-05-1985;L;tani;Désa Saka Tamiang\n',
      'win1252',
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const [row] = await all((await openProposalSheet(source(bytes, 'u.csv'))).rows);
    expect(row!.cells.name?.text).toBe('José');
    expect(row!.cells.address?.text).toBe('Désa Saka Tamiang');
  });

  it('reads scientific-notation NIKs as the text they are, for the rules to refuse', async () => {
    const sheet = await openProposalSheet(
      source('NIK;Nama;Tgl Lahir;L/P;Pekerjaan\n6,20301E+15;Budi;12-05-1985;L;tani\n', 'u.csv'),
    );
    const [verdict] = await (async () => {
      const v = [];
      for await (const x of validateRows(sheet.rows, programme)) v.push(x);
      return v;
    })();
    expect(verdict!.errors.map((e) => e.code)).toEqual(['NIK_SCIENTIFIC']);
  });

  it('streams 100,000 rows without holding them', async () => {
    const rows = 100_000;
    const body = () =>
      Readable.from(
        (function* () {
          yield 'NIK;Nama;Tgl Lahir;L/P;Pekerjaan\n';
          for (let i = 1; i <= rows; i++)
            yield `620302120585${String(i % 10_000 || 1).padStart(4, '0')};Budi;12-05-1985;L;tani\n`;
        })(),
      );
    const sheet = await openProposalSheet({ fileName: 'big.csv', body });
    let count = 0;
    let valid = 0;
    for await (const v of validateRows(sheet.rows, programme)) {
      count += 1;
      if (v.worker) valid += 1;
    }
    expect(count).toBe(rows);
    expect(valid).toBe(9_999); // NIK serials repeat every 10,000 rows: the rest are duplicates
  }, 20_000);
});

describe('files that are not proposals', () => {
  const cases: [string, Buffer, string][] = [
    ['empty', Buffer.alloc(0), 'FILE_EMPTY'],
    ['PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'FILE_IS_PDF'],
    ['old .xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), 'FILE_IS_OLD_EXCEL'],
    ['PNG photo', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'FILE_IS_IMAGE'],
    ['JPEG photo', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'FILE_IS_IMAGE'],
    [
      'DOCX renamed',
      handMadeZip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
      ]),
      'FILE_IS_WORD',
    ],
    [
      'ODS',
      handMadeZip([
        { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet') },
        { name: 'content.xml', data: Buffer.from('<x/>') },
      ]),
      'FILE_IS_ODS',
    ],
    [
      'truncated zip',
      handMadeZip([{ name: 'xl/workbook.xml', data: Buffer.alloc(5000, 'a') }]).subarray(0, 60),
      'FILE_CORRUPT',
    ],
    [
      'HTML saved as .xls',
      Buffer.from('<html><body><table><tr><td>NIK</td></tr></table></body></html>'),
      'FILE_NOT_SPREADSHEET',
    ],
  ];
  it.each(cases)('refuses %s with a message saying what to upload', async (_name, bytes, code) => {
    const error = await sheetError(openProposalSheet(source(bytes, 'usulan.xlsx')));
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(30);
  });

  it('refuses a zip bomb by its compression ratio before inflating it all', async () => {
    const bomb = handMadeZip([
      { name: 'xl/worksheets/sheet1.xml', zeros: 64 * 1024 * 1024 },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
    ]);
    expect(bomb.length).toBeLessThan(200_000);
    const error = await sheetError(openProposalSheet(source(bomb)));
    expect(error.code).toBe('FILE_SUSPICIOUS_COMPRESSION');
  });

  it('refuses a zip that inflates past the size cap', async () => {
    const big = handMadeZip([{ name: 'xl/worksheets/sheet1.xml', zeros: 3 * 1024 * 1024 }]);
    const error = await sheetError(
      openProposalSheet(source(big), { ...DEFAULT_LIMITS, maxUncompressedBytes: 2 * 1024 * 1024 }),
    );
    expect(error.code).toBe('FILE_TOO_LARGE');
  });
});
