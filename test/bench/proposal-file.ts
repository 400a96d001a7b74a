/**
 * A proposal XLSX as a large village list looks: the template's columns, every row valid for a Kapuas
 * programme (NIK agreeing with birth date and sex, adults, known occupations, deciles 1-4), so that all
 * of them go through to BPJS and the participants table, which is the work the bench times.
 *   npx tsx test/bench/proposal-file.ts <file> <rows> [first]
 * Rows `first` .. `first + rows - 1` get distinct NIKs (up to 2,400,000 of them), so files of different
 * sizes can be enrolled in one stack without refusing each other's people. Run as its own process by
 * the bench, so writing the file counts towards no measured peak.
 */
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

/** The i-th NIK of the bench: 620301 (Kapuas, Selat), birth day (+40 for women), month, year, serial 0001-9999. */
export function benchPerson(i: number) {
  const serial = (i % 9999) + 1;
  const combo = Math.floor(i / 9999);
  const day = (combo % 28) + 1;
  const month = (Math.floor(combo / 28) % 12) + 1;
  const year = 1970 + Math.floor(combo / (28 * 12));
  const female = i % 2 === 1;
  const nik = `620301${String(day + (female ? 40 : 0)).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year % 100).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
  return { nik, birth: new Date(Date.UTC(year, month - 1, day)), female };
}

const OCCUPATIONS = ['petani', 'nelayan', 'pedagang pasar', 'buruh harian lepas'];

export async function writeProposalXlsx(file: string, rows: number, first = 0) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('Usulan');
  sheet
    .addRow([
      'No',
      'NIK',
      'Nama Lengkap',
      'Tempat Lahir',
      'Tanggal Lahir',
      'Jenis Kelamin',
      'Pekerjaan',
      'Alamat',
      'No HP',
      'Desil DTSEN',
    ])
    .commit();
  for (let n = 1; n <= rows; n++) {
    const i = first + n - 1;
    const { nik, birth, female } = benchPerson(i);
    const row = sheet.addRow([
      n,
      nik,
      `Pekerja ${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10) % 10]} Santoso`,
      'Kuala Kapuas',
      birth,
      female ? 'P' : 'L',
      OCCUPATIONS[i % OCCUPATIONS.length],
      `RT ${i % 20} Desa Selat`,
      `0812${String(i).padStart(8, '0')}`,
      (i % 4) + 1,
    ]);
    // The NIK as text, as the template asks (a number cell loses its 16th digit).
    row.getCell(2).numFmt = '@';
    row.getCell(5).numFmt = 'dd-mm-yyyy';
    row.commit();
  }
  await workbook.commit();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, rows, first] = process.argv.slice(2);
  if (!file || !rows) throw new Error('usage: proposal-file.ts <file> <rows> [first]');
  await writeProposalXlsx(file, Number(rows), Number(first ?? 0));
}
