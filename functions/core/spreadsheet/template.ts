import ExcelJS from 'exceljs';
import type { Programme } from '../programmes/programme';
import { dinasSosialName, findRegency } from '../regions/regencies';
import { COLUMN_LABELS, type ProposalColumn } from './proposal-columns';
import { templateExamples } from './template-examples';

/**
 * The proposal template a village downloads. Its header is exactly what the reader matches; the
 * NIK, KK and phone columns are Text so Excel cannot round them (shared/DOMAIN.md); dropdowns
 * keep L/P and occupations to known words. The example rows are refused by the row rules
 * (NIK_EXAMPLE_ROW) in case an operator leaves them in.
 */

const COLUMNS: { key: ProposalColumn | 'no'; width: number; text?: boolean }[] = [
  { key: 'no', width: 5 },
  { key: 'nik', width: 20, text: true },
  { key: 'name', width: 28 },
  { key: 'birthPlace', width: 16 },
  { key: 'birthDate', width: 14 },
  { key: 'sex', width: 10 },
  { key: 'occupation', width: 20 },
  { key: 'address', width: 32 },
  { key: 'phone', width: 16, text: true },
  { key: 'dtsenDecile', width: 12 },
  { key: 'kk', width: 20, text: true },
];

/** Rows prepared with formats and dropdowns; more can be added by copying a row. */
const PREPARED_ROWS = 1000;

const columnLetter = (key: ProposalColumn) => String.fromCharCode(65 + COLUMNS.findIndex((c) => c.key === key));

function dateOf(ddmmyyyy: string): Date {
  const [d, m, y] = ddmmyyyy.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/** A row to fill in: the template's examples, or a renewal's participants. Birth date as DD-MM-YYYY. */
export type TemplateRow = { [K in ProposalColumn]?: K extends 'dtsenDecile' ? number : string } & {
  nik: string;
  birthDate: string;
};

/**
 * The template, with the two grey examples; or, given `rows`, filled with those people instead (a
 * renewal's proposal: same columns, text NIKs and dropdowns, so it reads and validates like any upload).
 */
export async function buildProposalTemplate(programme: Programme, rows?: readonly TemplateRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Jaring';

  const sheet = workbook.addWorksheet('Usulan', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({
    header: c.key === 'no' ? 'No' : COLUMN_LABELS[c.key],
    key: c.key,
    width: c.width,
    style: c.text ? { numFmt: '@' } : c.key === 'birthDate' ? { numFmt: 'dd-mm-yyyy' } : {},
  }));
  sheet.getRow(1).font = { bold: true };

  if (rows) rows.forEach((r, i) => sheet.addRow({ no: i + 1, ...r, birthDate: dateOf(r.birthDate) }));
  else
    templateExamples(programme.regency.code).forEach((example, i) => {
      const row = sheet.addRow({ no: i + 1, ...example, birthDate: dateOf(example.birthDate) });
      row.font = { italic: true, color: { argb: 'FF808080' } };
    });

  const last = Math.max(PREPARED_ROWS, rows?.length ?? 0) + 1;
  // exceljs accepts a range here (one <dataValidation sqref="F2:F1001">), but its types omit it.
  const validations = (
    sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }
  ).dataValidations;
  const range = (key: ProposalColumn) => `${columnLetter(key)}2:${columnLetter(key)}${last}`;
  validations.add(range('sex'), {
    type: 'list',
    allowBlank: true,
    formulae: ['"L,P"'],
    showErrorMessage: true,
    errorTitle: 'Jenis kelamin',
    error: 'Isi L (laki-laki) atau P (perempuan).',
  });
  // A list longer than 255 characters must live in cells; the programme's list is short.
  validations.add(range('occupation'), {
    type: 'list',
    allowBlank: true,
    formulae: [`"${programme.occupations.join(',')}"`],
    // A warning, not a stop: other occupations are allowed and reviewed by the verifier.
    showErrorMessage: true,
    errorStyle: 'warning',
    errorTitle: 'Pekerjaan',
    error: 'Pekerjaan di luar kategori program akan diperiksa verifikator. Lanjutkan?',
  });
  validations.add(range('birthDate'), {
    type: 'date',
    operator: 'between',
    allowBlank: true,
    formulae: [new Date(Date.UTC(1900, 0, 1)), new Date(Date.UTC(2100, 0, 1))],
    showErrorMessage: true,
    errorTitle: 'Tanggal lahir',
    error: 'Isi tanggal dengan format HH-BB-TTTT, misalnya 31-12-1980.',
  });
  validations.add(range('dtsenDecile'), {
    type: 'whole',
    operator: 'between',
    allowBlank: true,
    formulae: [1, 10],
    showErrorMessage: true,
    errorTitle: 'Desil DTSEN',
    error: 'Desil adalah angka 1 sampai 10.',
  });
  validations.add(range('nik'), {
    type: 'textLength',
    operator: 'equal',
    allowBlank: true,
    formulae: [16],
    showErrorMessage: true,
    errorTitle: 'NIK',
    error: 'NIK harus 16 digit, diketik sebagai teks.',
  });

  const guide = workbook.addWorksheet('Petunjuk');
  guide.getColumn(1).width = 110;
  const { min, max } = programme.ageLimits;
  const office = findRegency(programme.regency.code)?.dinasSosial.address;
  [
    `Petunjuk pengisian usulan: ${programme.name}`,
    `${programme.regency.name}. Pertanyaan: ${dinasSosialName(programme.regency)}${office ? `, ${office}` : ''}.`,
    '',
    '1. Isi data pekerja di sheet "Usulan", satu orang per baris, mulai baris 2. Jangan ubah judul kolom di baris 1.',
    '2. Hapus dua baris contoh (Budi Santoso, Siti Aminah) sebelum mengunggah: baris contoh akan ditolak.',
    '3. NIK: 16 digit sesuai KTP/KK, diketik sebagai teks. Kolom NIK sudah berformat Teks; jangan diubah ke Angka,',
    '   karena Excel hanya menyimpan 15 digit dan NIK akan rusak (tampil seperti 6,20301E+15).',
    '   Jika menempel (paste) dari file lain, gunakan "Tempel Nilai" agar format Teks tetap.',
    '4. Tanggal lahir: format HH-BB-TTTT, misalnya 31-12-1980, dan harus sama dengan tanggal dalam NIK.',
    '5. Jenis kelamin: L atau P, harus sesuai NIK (tanggal pada NIK perempuan ditambah 40).',
    `6. Umur pada ${programme.coverage.start.split('-').reverse().join('-')} harus ${min} sampai ${max} tahun.`,
    `7. Pekerjaan: ${programme.occupations.join(', ')}. Pekerjaan lain tetap diproses dan diperiksa verifikator.`,
    `8. Desil DTSEN (bila ada): 1-10. Desil di atas ${programme.dtsenDecileThreshold} akan diperiksa verifikator.`,
    '9. Satu orang hanya boleh diusulkan sekali, di satu desa/kelurahan dan satu sumber dana.',
    '   Orang yang masih terdaftar di kabupaten lain pada periode yang sama (pindah domisili) ditolak sampai',
    `   kepesertaannya di sana diakhiri; ${dinasSosialName(programme.regency)} membantu mengurusnya.`,
    '10. Simpan sebagai Buku Kerja Excel (.xlsx), atau CSV. Jangan kirim PDF atau foto.',
    '',
    'Setelah diunggah, Jaring mengirim laporan validasi: perbaiki baris TIDAK VALID lalu unggah ulang file yang sama.',
  ].forEach((line, i) => {
    guide.addRow([line]);
    if (i === 0) guide.getRow(1).font = { bold: true, size: 13 };
  });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
