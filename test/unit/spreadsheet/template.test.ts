import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { openProposalSheet } from '../../../functions/core/spreadsheet/read-proposal-sheet';
import { buildProposalTemplate } from '../../../functions/core/spreadsheet/template';
import { validateRows } from '../../../functions/core/validation/rules';
import { source } from './fixtures';

const programme = findProgramme('kapuas-2026-apbdes')!;

describe('buildProposalTemplate', () => {
  it('is read by our own reader, and its example rows pass every rule except being examples', async () => {
    const file = await buildProposalTemplate(programme);
    const sheet = await openProposalSheet(source(file));
    expect(sheet.header.row).toBe(1);
    expect(sheet.header.sheetName).toBe('Usulan');
    expect(sheet.header.columns.filter((c) => c.column).map((c) => c.column)).toEqual([
      'nik',
      'name',
      'birthPlace',
      'birthDate',
      'sex',
      'occupation',
      'address',
      'phone',
      'dtsenDecile',
      'kk',
    ]);
    const verdicts = [];
    for await (const v of validateRows(sheet.rows, programme)) verdicts.push(v);
    expect(verdicts.map((v) => [v.row, v.errors.map((e) => e.code), v.warnings.map((w) => w.code)])).toEqual([
      [2, ['NIK_EXAMPLE_ROW'], []],
      [3, ['NIK_EXAMPLE_ROW'], []],
    ]);
  });

  it('formats NIK as Text and offers dropdowns for sex, occupation, date', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildProposalTemplate(programme)) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('Usulan')!;
    expect(ws.getCell('B2').numFmt).toBe('@');
    expect(ws.getCell('B2').value).toBe('6203011205859991');
    expect(ws.getCell('B500').numFmt).toBe('@');
    expect(ws.getCell('F10').dataValidation).toMatchObject({ type: 'list', formulae: ['"L,P"'] });
    expect(ws.getCell('G10').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"petani,nelayan,pedagang pasar,buruh harian lepas"'],
    });
    expect(ws.getCell('E10').dataValidation).toMatchObject({ type: 'date' });
    const guide = wb.getWorksheet('Petunjuk')!;
    const text = guide.getColumn(1).values.join('\n');
    expect(text).toContain('Hapus dua baris contoh');
    expect(text).toContain('18 sampai 65 tahun');
  });

  it("is the programme's regency's own: its examples' NIKs and birthplace, its Dinas Sosial named", async () => {
    const kubuRaya = {
      ...programme,
      id: 'kuburaya-test-apbd',
      name: 'Perlindungan Pekerja Rentan Kubu Raya (uji)',
      regency: { code: '61.12', name: 'Kabupaten Kubu Raya' },
    };
    const file = await buildProposalTemplate(kubuRaya);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('Usulan')!;
    expect(ws.getCell('B2').value).toBe('6112011205859991');
    expect(ws.getCell('D2').value).toBe('Sungai Raya');
    const text = wb.getWorksheet('Petunjuk')!.getColumn(1).values.join('\n');
    expect(text).toContain('Kabupaten Kubu Raya. Pertanyaan: Dinas Sosial Kabupaten Kubu Raya, Sungai Raya');
    expect(text).toContain('pindah domisili');
    expect(text).not.toContain('Kapuas');
    // Still refused as examples, and nothing else: not even as NIKs of another regency.
    const verdicts = [];
    for await (const v of validateRows((await openProposalSheet(source(file))).rows, kubuRaya)) verdicts.push(v);
    expect(verdicts.map((v) => [v.errors.map((e) => e.code), v.warnings.map((w) => w.code)])).toEqual([
      [['NIK_EXAMPLE_ROW'], []],
      [['NIK_EXAMPLE_ROW'], []],
    ]);
  });
});
