import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { openProposalSheet, type ProposalSource } from '../../../functions/core/spreadsheet/read-proposal-sheet';
import {
  ValidationReport,
  countRows,
  neutraliseFormula,
  reportRowOf,
  writeReportXlsx,
  type ReportRow,
} from '../../../functions/core/validation/report';
import { validateRows } from '../../../functions/core/validation/rules';
import { inline, rawXlsx, source, textRow, xlsx } from '../spreadsheet/fixtures';

const programme = findProgramme('kapuas-2026-apbd')!;

async function upload() {
  return source(
    await xlsx((wb) => {
      const ws = wb.addWorksheet('Data');
      ws.addRow(['USULAN DESA SELAT HILIR']);
      ws.addRow(['No', 'NIK', 'Nama', 'Tgl Lahir', 'L/P', 'Pekerjaan', 'Catatan']);
      ws.addRow([
        1,
        '6203011205850001',
        'Budi Santoso',
        new Date(Date.UTC(1985, 4, 12)),
        'L',
        'petani',
        '=HYPERLINK("http://evil","klik")',
      ]);
      ws.addRow([2, '6,20301E+15', 'Siti', '23-08-1990', 'P', 'nelayan', { formula: '1+1', result: 2 }]);
      ws.addRow([3, '6203016308900002', '@Siti', '23-08-1990', 'P', 'PNS', '+62812']);
      ws.getCell('D3').numFmt = 'dd/mm/yyyy';
    }),
  );
}

describe('validation report', () => {
  it('writes the operator their own sheet with Status and Keterangan, and nothing that can run', async () => {
    const src = await upload();
    const first = await openProposalSheet(src);
    const rows: ReportRow[] = [];
    for await (const v of validateRows(first.rows, programme)) rows.push(reportRowOf(v));
    const report = ValidationReport.parse({
      proposalId: 'p-1',
      programmeId: programme.id,
      villageCode: '62.03.01.1007',
      fileName: src.fileName,
      generatedAt: '2026-01-05T08:00:00.000Z',
      counts: countRows(rows),
      rows,
    });
    expect(report.counts).toEqual({ rows: 3, valid: 1, invalid: 2, overQuota: 0, warnings: 1 });

    const byRow = new Map(report.rows.map((r) => [r.row, r]));
    const again = await openProposalSheet(src);
    const out = new PassThrough();
    const bytes: Buffer[] = [];
    out.on('data', (b: Buffer) => bytes.push(b));
    await writeReportXlsx(out, {
      report,
      header: again.header,
      rows: again.rows,
      verdictOf: (r) => byRow.get(r),
      names: { village: 'Selat Hilir' },
    });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(bytes) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Ringkasan', 'Hasil Validasi']);
    const summary = wb.getWorksheet('Ringkasan')!;
    expect(summary.getCell('B3').value).toBe('Selat Hilir (62.03.01.1007)');
    expect(summary.getCell('B9').value).toBe(2);
    // The regency the village lies in, and whom to ask (issue 13).
    const byLabel = new Map<string, unknown>();
    summary.eachRow((row) => byLabel.set(String(row.getCell(1).value ?? ''), row.getCell(2).value));
    expect(byLabel.get('Kabupaten')).toBe('Kabupaten Kapuas');
    expect(byLabel.get('Pertanyaan')).toBe(
      'Dinas Sosial Kabupaten Kapuas, Kuala Kapuas, Kabupaten Kapuas, Kalimantan Tengah',
    );

    const ws = wb.getWorksheet('Hasil Validasi')!;
    // Rows keep their original numbers, so "baris 4" in a message is row 4 here too.
    expect(ws.getRow(2).values).toEqual([
      undefined,
      'No',
      'NIK',
      'Nama',
      'Tgl Lahir',
      'L/P',
      'Pekerjaan',
      'Catatan',
      'Status',
      'Keterangan',
    ]);
    expect(ws.getCell('H3').value).toBe('VALID');
    expect(ws.getCell('H4').value).toBe('TIDAK VALID');
    expect(String(ws.getCell('I4').value)).toContain('format ilmiah');
    expect(ws.getCell('H5').value).toBe('TIDAK VALID');
    expect(String(ws.getCell('I5').value)).toContain('Peringatan: Pekerjaan "PNS"');
    expect(ws.getCell('D3').value).toEqual(new Date(Date.UTC(1985, 4, 12)));
    expect(ws.getCell('B3').value).toBe('6203011205850001');
    // Formula-like text stays text, prefixed; a formula's result is written, not the formula.
    expect(ws.getCell('G3').value).toBe('\'=HYPERLINK("http://evil","klik")');
    expect(ws.getCell('G4').value).toBe(2);
    expect(ws.getCell('G5').value).toBe("'+62812");
    expect(ws.getCell('C5').value).toBe("'@Siti");
    ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    // Each status coloured and bold; a text NIK kept text when re-saved; a date shown the Indonesian way.
    const fillOf = (ref: string) => (ws.getCell(ref).fill as ExcelJS.FillPattern).fgColor?.argb;
    expect([fillOf('H3'), fillOf('H4'), fillOf('H5')]).toEqual(['FFE2F4E2', 'FFFDE2E2', 'FFFDE2E2']);
    expect(ws.getCell('H4').font?.bold).toBe(true);
    expect(ws.getCell('B3').numFmt).toBe('@');
    expect(ws.getCell('D3').numFmt).toBe('dd-mm-yyyy');

    // Re-uploading the report reads the same rows back, apostrophes removed.
    const reread = await openProposalSheet(source(Buffer.concat(bytes)));
    expect(reread.header.sheetName).toBe('Hasil Validasi');
    const names = [];
    for await (const r of reread.rows) names.push(r.cells.name?.text);
    expect(names).toEqual(['Budi Santoso', 'Siti', '@Siti']);
  });

  it('neutralises every formula lead character', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${lead}x`)).toBe(`'${lead}x`);
    expect(neutraliseFormula('Budi')).toBe('Budi');
  });

  it('marks a valid row over quota only when it is valid', () => {
    expect(reportRowOf({ row: 2, errors: [], warnings: [] }, true).status).toBe('over_quota');
    expect(reportRowOf({ row: 2, errors: [{ code: 'NAME_MISSING', message: 'x' }], warnings: [] }, true).status).toBe(
      'invalid',
    );
  });

  it('names the village once when the caller gives its label with the code', async () => {
    const wb = await reportOf(await upload(), { village: 'Kelurahan Selat Hilir (62.03.01.1007)' });
    expect(wb.getWorksheet('Ringkasan')!.getCell('B3').value).toBe('Kelurahan Selat Hilir (62.03.01.1007)');
  });
});

const HEADER = ['NIK', 'Nama Lengkap', 'Tanggal Lahir', 'Jenis Kelamin', 'Pekerjaan'];
const person = (nik: string, name: string) => [nik, name, '12-05-1985', 'L', 'petani'];

/** Validates the upload as the use case does, writes its report, and opens the report. */
async function reportOf(src: ProposalSource, names?: { village?: string }) {
  const rows: ReportRow[] = [];
  for await (const v of validateRows((await openProposalSheet(src)).rows, programme)) rows.push(reportRowOf(v));
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const { rows: _rows, ...report } = ValidationReport.parse({
    proposalId: 'p-1',
    programmeId: programme.id,
    villageCode: '62.03.01.1007',
    fileName: src.fileName,
    generatedAt: '2026-01-05T08:00:00.000Z',
    counts: countRows(rows),
    rows,
  });
  const again = await openProposalSheet(src);
  const out = new PassThrough();
  const bytes: Buffer[] = [];
  out.on('data', (b: Buffer) => bytes.push(b));
  await writeReportXlsx(out, {
    report,
    header: again.header,
    rows: again.rows,
    verdictOf: (r) => byRow.get(r),
    ...(names ? { names } : {}),
  });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(bytes) as unknown as ExcelJS.Buffer);
  return wb;
}

describe('validation report of unusual sheets', () => {
  // A walk over the empty rows between took hours once: the test's timeout catches that; no time is asserted.
  it('writes a row at the last row of the sheet under its own number', async () => {
    const file = rawXlsx([
      {
        name: 'Data',
        sheetData: [
          textRow(1, HEADER),
          textRow(2, person('6203011205850001', 'Budi')),
          textRow(1_048_576, person('6203011205850002', 'Siti')),
        ].join(''),
      },
    ]);
    const wb = await reportOf(source(file));
    const ws = wb.getWorksheet('Hasil Validasi')!;
    expect(ws.getCell('F2').value).toBe('VALID');
    expect(ws.getCell('B1048576').value).toBe('Siti');
    expect(ws.getCell('F1048576').value).toBe('VALID');
  }, 20_000);

  it('writes rows whose numbers repeat or go backwards, each under the number its verdict has', async () => {
    const file = rawXlsx([
      {
        name: 'Data',
        sheetData: [
          textRow(1, HEADER),
          textRow(2, person('6203011205850001', 'Budi')),
          textRow(2, person('6203011205850001', 'Budi Lagi')),
          textRow(1, person('620301120585', 'Ani')),
        ].join(''),
      },
    ]);
    const ws = (await reportOf(source(file))).getWorksheet('Hasil Validasi')!;
    expect([2, 3, 4].map((r) => [ws.getCell(`B${r}`).value, ws.getCell(`F${r}`).value])).toEqual([
      ['Budi', 'VALID'],
      ['Budi Lagi', 'TIDAK VALID'],
      ['Ani', 'TIDAK VALID'],
    ]);
    // The duplicate names the row it duplicates, as numbered in this report.
    expect(String(ws.getCell('G3').value)).toContain('baris 2');
  });

  it('keeps Status and Keterangan in one column when a row has cells past the header, and costs what exists for a cell at XFD', async () => {
    const rows = Array.from(
      { length: 500 },
      (_, i) =>
        `<row r="${i + 2}">${person(`62030112058${String(50001 + i)}`, 'Budi')
          .map((v, c) => inline(`${'ABCDE'[c]}${i + 2}`, v))
          .join('')}${inline(`XFD${i + 2}`, 'catatan')}</row>`,
    );
    const file = rawXlsx([
      {
        name: 'Data',
        sheetData:
          textRow(1, HEADER) +
          `<row r="2">${person('6203011205850001', 'Budi')
            .map((v, c) => inline(`${'ABCDE'[c]}2`, v))
            .join('')}${inline('G2', 'catatan G')}</row>`,
      },
    ]);
    const ws = (await reportOf(source(file))).getWorksheet('Hasil Validasi')!;
    expect([ws.getCell('F1').value, ws.getCell('G1').value]).toEqual(['Status', 'Keterangan']);
    expect(ws.getCell('F2').value).toBe('VALID');
    // The operator's own cell past the header moves right of Keterangan rather than under Status.
    expect(ws.getCell('I2').value).toBe('catatan G');

    const far = rawXlsx([{ name: 'Data', sheetData: textRow(1, HEADER) + rows.join('') }]);
    const farSheet = (await reportOf(source(far))).getWorksheet('Hasil Validasi')!;
    expect(farSheet.getCell('F2').value).toBe('VALID');
  }, 30_000);

  it('fits text longer than a cell holds (a CSV field can be) into one cell', async () => {
    const long = `Jl. ${'panjang '.repeat(5000)}`;
    const csv = `NIK;Nama;Tgl Lahir;L/P;Pekerjaan;Alamat\n6203011205850001;Budi;12-05-1985;L;petani;${long}\n`;
    const ws = (await reportOf(source(csv, 'u.csv'))).getWorksheet('Hasil Validasi')!;
    expect(String(ws.getCell('F2').value).length).toBe(32_767);
    expect(ws.getCell('G2').value).toBe('VALID');
  });
});
