import * as z from 'zod';

/**
 * Every problem Jaring reports about a proposal row, by stable code, with its message for the
 * village operator in Bahasa Indonesia: what is wrong and how to fix it. Messages take params
 * where the operator needs specifics (which row, which village). Codes never change meaning:
 * the report, the dashboard and the audit trail all key on them.
 */

export const RowIssue = z.object({ code: z.string(), message: z.string() });
export type RowIssue = z.infer<typeof RowIssue>;

const asText =
  'Format kolom NIK sebagai Teks (klik kanan kolom > Format Sel > Teks), lalu ketik ulang NIK dari KTP/KK.';

/**
 * What the operator typed, as a message quotes it: enough to find the cell. Never all of it: a
 * cell can hold 32,767 characters, and one long text repeated down a sheet would otherwise grow
 * every message, the JSON report and the report sheet by that much per row.
 */
function quote(text: string, max = 40): string {
  if (text.length <= max) return text;
  // Cut by code points, so an emoji or an accented letter is not split in half.
  const head = [...text.slice(0, max * 2)].slice(0, max).join('');
  return head.length < text.length ? `${head}…` : text;
}

/** Where an earlier enrolment or proposal of the same NIK lives, as far as the caller knows. */
export type EnrolmentPlace = {
  status: 'active' | 'pending';
  villageName?: string;
  villageCode?: string;
  fileName?: string;
  row?: number;
  /** "APBD", "DBH Sawit", "APBDes" or a programme name. */
  fundingSource?: string;
};

function describePlace(p: EnrolmentPlace): string {
  const parts = [
    p.villageName
      ? `desa/kelurahan ${p.villageName}${p.villageCode ? ` (${p.villageCode})` : ''}`
      : p.villageCode
        ? `desa/kelurahan ${p.villageCode}`
        : undefined,
    p.fileName ? `file "${p.fileName}"${p.row ? ` baris ${p.row}` : ''}` : undefined,
    p.fundingSource ? `sumber dana ${p.fundingSource}` : undefined,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export const MESSAGES = {
  // --- NIK ------------------------------------------------------------------------------------
  NIK_MISSING: () => 'NIK kosong. Isi 16 digit NIK sesuai KTP/KK.',
  NIK_FORMAT: (p: { text: string }) =>
    `NIK "${quote(p.text)}" berisi huruf atau tanda selain angka. NIK hanya 16 angka; periksa KTP/KK lalu ketik ulang.`,
  NIK_LENGTH: (p: { digits: number; numberCell: boolean }) =>
    `NIK harus 16 digit, yang tertulis ${p.digits} digit.${p.numberCell ? ` NIK tersimpan sebagai angka sehingga digitnya bisa berubah. ${asText}` : ' Periksa kembali dari KTP/KK.'}`,
  NIK_SCIENTIFIC: (p: { text: string }) =>
    `NIK tertulis "${quote(p.text)}" (format ilmiah): Excel sudah memotong digitnya sehingga NIK asli tidak dapat diketahui. ${asText}`,
  NIK_PRECISION_LOST: (p: { text: string }) =>
    `NIK ${quote(p.text)} tersimpan sebagai angka; Excel hanya menyimpan 15 digit sehingga digit terakhir bisa sudah berubah menjadi 0. Kami tidak menebak NIK. ${asText}`,
  NIK_REGION_INVALID: (p: { nik: string }) =>
    `NIK ${p.nik} tidak mungkin: 6 digit pertama (kode wilayah) tidak valid. Periksa kembali dari KTP/KK.`,
  NIK_DATE_INVALID: (p: { nik: string }) =>
    `NIK ${p.nik} tidak mungkin: digit ke-7 s.d. 12 harus tanggal lahir (DDMMYY, tanggal ditambah 40 untuk perempuan). Periksa kembali dari KTP/KK.`,
  NIK_SERIAL_INVALID: (p: { nik: string }) =>
    `NIK ${p.nik} tidak mungkin: 4 digit terakhir tidak boleh 0000. Periksa kembali dari KTP/KK.`,
  NIK_NUMBER_CELL: () =>
    'NIK tersimpan sebagai angka, bukan teks. NIK ini masih utuh dan diterima, tetapi format kolom NIK sebagai Teks agar tidak rusak saat disimpan di Excel.',
  NIK_OUTSIDE_REGENCY: (p: { regencyCode: string; regencyName: string }) =>
    `NIK diterbitkan di luar ${p.regencyName} (kode wilayah NIK bukan ${p.regencyCode}). Boleh untuk pendatang yang berdomisili di sini; pastikan orangnya benar tinggal di desa/kelurahan ini.`,
  NIK_DUPLICATE_IN_FILE: (p: { firstRow: number }) =>
    `NIK ini sudah ada di baris ${p.firstRow} file ini. Satu orang hanya boleh diusulkan sekali: hapus salah satu baris.`,
  NIK_EXAMPLE_ROW: () => 'Ini baris contoh dari template, bukan data pekerja. Hapus baris ini.',
  // --- Identity --------------------------------------------------------------------------------
  NAME_MISSING: () => 'Nama kosong. Isi nama lengkap sesuai KTP.',
  NAME_TOO_LONG: (p: { text: string; max: number }) =>
    `Nama "${quote(p.text)}" terlalu panjang (${p.text.length.toLocaleString('id-ID')} karakter; paling banyak ${p.max}). Nama di KTP paling banyak 60 huruf termasuk spasi (Permendagri 73/2022), ditambah gelar. Periksa apakah kolom Nama berisi data lain, lalu isi nama lengkap sesuai KTP saja.`,
  NAME_IMPLAUSIBLE: (p: { text: string }) =>
    `Nama "${quote(p.text)}" tidak wajar (berisi angka atau tanda, atau terlalu pendek). Isi nama lengkap sesuai KTP.`,
  BIRTHDATE_MISSING: () => 'Tanggal lahir kosong. Isi dengan format HH-BB-TTTT, misalnya 31-12-1980.',
  BIRTHDATE_FORMAT: (p: { text: string }) =>
    `Tanggal lahir "${quote(p.text)}" tidak dapat dibaca. Tulis dengan format HH-BB-TTTT dan tahun 4 digit, misalnya 31-12-1980.`,
  BIRTHDATE_MISMATCH: (p: { rowDate: string; nikDate: string }) =>
    `Tanggal lahir ${p.rowDate} tidak sama dengan tanggal lahir dalam NIK (${p.nikDate}). Periksa KTP: salah satunya salah ketik.`,
  SEX_MISSING: () => 'Jenis kelamin kosong. Isi L (laki-laki) atau P (perempuan).',
  SEX_UNKNOWN: (p: { text: string }) =>
    `Jenis kelamin "${quote(p.text)}" tidak dikenali. Isi L (laki-laki) atau P (perempuan).`,
  SEX_MISMATCH: (p: { sex: 'L' | 'P'; nikSex: 'L' | 'P' }) =>
    `Jenis kelamin ${p.sex === 'L' ? 'L (laki-laki)' : 'P (perempuan)'} tidak sesuai NIK, yang menunjukkan ${p.nikSex === 'L' ? 'laki-laki' : 'perempuan'} (tanggal pada NIK perempuan ditambah 40). Periksa KTP.`,
  AGE_OUT_OF_RANGE: (p: { age: number; min: number; max: number; at: string }) =>
    `Umur ${p.age} tahun pada ${p.at} di luar batas program (${p.min}-${p.max} tahun). Pekerja ini tidak dapat diusulkan pada program ini.`,
  // --- Work and welfare ------------------------------------------------------------------------
  OCCUPATION_MISSING: () =>
    'Pekerjaan kosong. Isi pekerjaan, misalnya petani, nelayan, pedagang pasar, atau buruh harian lepas.',
  OCCUPATION_UNKNOWN: (p: { text: string; categories: readonly string[] }) =>
    `Pekerjaan "${quote(p.text)}" tidak termasuk kategori program (${p.categories.join(', ')}). Tetap diproses; verifikator Dinas Sosial akan memeriksa.`,
  DTSEN_DECILE_HIGH: (p: { decile: number; threshold: number }) =>
    `Desil DTSEN ${p.decile} di atas batas program (desil 1-${p.threshold}). Tetap diproses; verifikator Dinas Sosial akan memeriksa kelayakannya.`,
  DTSEN_DECILE_INVALID: (p: { text: string }) =>
    `Desil DTSEN "${quote(p.text)}" tidak dikenali (harus angka 1 sampai 10). Kolom ini diabaikan untuk baris ini.`,
  PHONE_INVALID: (p: { text: string }) =>
    `Nomor HP "${quote(p.text)}" tidak wajar (contoh yang benar: 081234567890). Kolom ini diabaikan untuk baris ini.`,
  KK_FORMAT: (p: { text: string }) =>
    `Nomor KK "${quote(p.text)}" bukan 16 digit atau tersimpan sebagai angka. Format kolom KK sebagai Teks dan ketik ulang dari Kartu Keluarga.`,
  KK_SAME_AS_NIK: () =>
    'Nomor KK sama dengan NIK. Nomor KK ada di Kartu Keluarga dan berbeda dengan NIK; periksa kembali.',
  // --- Across proposals and quotas (checked against the store, not in the row rules) ----------
  NIK_ALREADY_ENROLLED: (p: EnrolmentPlace) =>
    `NIK ini sudah ${p.status === 'active' ? 'terdaftar sebagai peserta aktif' : 'diusulkan dan masih diproses'} pada periode program ini${describePlace(p)}. Satu orang hanya boleh didaftarkan sekali; hapus baris ini.`,
  NIK_ENROLLED_IN_OTHER_REGENCY: (p: {
    status: 'active' | 'pending';
    otherRegency: string;
    otherDinasSosial: string;
    dinasSosial: string;
  }) =>
    `NIK ini sudah ${p.status === 'active' ? 'terdaftar sebagai peserta aktif' : 'diusulkan dan masih diproses'} di ${p.otherRegency} pada periode yang sama. Jika orangnya pindah domisili ke sini, kepesertaannya di ${p.otherRegency} harus diakhiri lebih dulu: ${p.dinasSosial} dan ${p.otherDinasSosial} sudah diberi tahu. Hapus baris ini, atau hubungi ${p.dinasSosial}.`,
  OVER_QUOTA: (p: { limit: number; scope: 'programme' | 'desa' }) =>
    `Melebihi kuota: ${p.scope === 'desa' ? `kuota per desa ${p.limit} orang` : `kuota program ${p.limit.toLocaleString('id-ID')} orang`} sudah terpenuhi. Baris ini valid tetapi tidak dapat diikutkan pada usulan ini.`,
  VILLAGE_UNKNOWN: (p: { code: string }) =>
    `Kode desa/kelurahan "${p.code}" tidak dikenal. Gunakan kode Kemendagri 10 digit, misalnya 62.03.01.2001.`,
  VILLAGE_NOT_IN_REGENCY: (p: { code: string; regencyName: string }) =>
    `Desa/kelurahan ${p.code} tidak berada di ${p.regencyName}, sehingga tidak dapat mengusulkan pada program ini.`,
  KELURAHAN_NO_APBDES: (p: { villageName: string }) =>
    `${p.villageName} adalah kelurahan; kelurahan tidak memiliki APBDes. Usulkan melalui program APBD kabupaten.`,
} as const;

export type IssueCode = keyof typeof MESSAGES;
type ParamsOf<C extends IssueCode> = Parameters<(typeof MESSAGES)[C]>;

/** A RowIssue with the code's message filled in. */
export function issue<C extends IssueCode>(code: C, ...params: ParamsOf<C>): RowIssue {
  const message = (MESSAGES[code] as (...args: ParamsOf<C>) => string)(...params);
  return { code, message };
}

/** Codes that are warnings: the row stays valid. Everything else makes the row invalid. */
export const WARNING_CODES: ReadonlySet<IssueCode> = new Set<IssueCode>([
  'NIK_NUMBER_CELL',
  'NIK_OUTSIDE_REGENCY',
  'OCCUPATION_UNKNOWN',
  'DTSEN_DECILE_HIGH',
  'DTSEN_DECILE_INVALID',
  'PHONE_INVALID',
  'KK_FORMAT',
  'KK_SAME_AS_NIK',
]);
