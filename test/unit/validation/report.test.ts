import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { openProposalSheet } from '../../../functions/core/spreadsheet/read-proposal-sheet';
import { ValidationReport, countRows, neutraliseFormula, reportRowOf, writeReportXlsx, type ReportRow } from '../../../functions/core/validation/report';
import { validateRows } from '../../../functions/core/validation/rules';
import { source, xlsx } from '../spreadsheet/fixtures';

const programme = findProgramme('kapuas-2026-apbd')!;

async function upload() {
  return source(
    await xlsx((wb) => {
      const ws = wb.addWorksheet('Data');
      ws.addRow(['USULAN DESA SELAT HILIR']);
      ws.addRow(['No', 'NIK', 'Nama', 'Tgl Lahir', 'L/P', 'Pekerjaan', 'Catatan']);
      ws.addRow([1, '6203011205850001', 'Budi Santoso', new Date(Date.UTC(1985, 4, 12)), 'L', 'petani', '=HYPERLINK("http://evil","klik")']);
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
    await writeReportXlsx(out, { report, header: again.header, rows: again.rows, verdictOf: (r) => byRow.get(r), names: { village: 'Selat Hilir' } });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(bytes) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Ringkasan', 'Hasil Validasi']);
    const summary = wb.getWorksheet('Ringkasan')!;
    expect(summary.getCell('B3').value).toBe('Selat Hilir (62.03.01.1007)');
    expect(summary.getCell('B9').value).toBe(2);

    const ws = wb.getWorksheet('Hasil Validasi')!;
    // Rows keep their original numbers, so "baris 4" in a message is row 4 here too.
    expect(ws.getRow(2).values).toEqual([undefined, 'No', 'NIK', 'Nama', 'Tgl Lahir', 'L/P', 'Pekerjaan', 'Catatan', 'Status', 'Keterangan']);
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
    expect(reportRowOf({ row: 2, errors: [{ code: 'NAME_MISSING', message: 'x' }], warnings: [] }, true).status).toBe('invalid');
  });
});
