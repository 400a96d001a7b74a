/**
 * The columns a proposal sheet may carry, and the many ways village operators label them.
 * Labels are matched after normalising case, accents, punctuation and spacing, and after dropping
 * a parenthesised hint ("Tanggal Lahir (DD-MM-YYYY)"), because every desa retypes the header.
 */

export const PROPOSAL_COLUMNS = [
  'nik',
  'name',
  'birthDate',
  'sex',
  'occupation',
  'address',
  'phone',
  'dtsenDecile',
  'birthPlace',
  'kk',
] as const;
export type ProposalColumn = (typeof PROPOSAL_COLUMNS)[number];

/** Without these a row cannot become a Worker. */
export const REQUIRED_COLUMNS: readonly ProposalColumn[] = ['nik', 'name', 'birthDate', 'sex', 'occupation'];

/** How each column is called in messages and in the template (Bahasa Indonesia). */
export const COLUMN_LABELS: Record<ProposalColumn, string> = {
  nik: 'NIK',
  name: 'Nama Lengkap',
  birthDate: 'Tanggal Lahir',
  sex: 'Jenis Kelamin (L/P)',
  occupation: 'Pekerjaan',
  address: 'Alamat',
  phone: 'No HP',
  dtsenDecile: 'Desil DTSEN',
  birthPlace: 'Tempat Lahir',
  kk: 'No KK',
};

const SYNONYMS: Record<ProposalColumn, string[]> = {
  nik: [
    'nik',
    'no ktp',
    'nomor ktp',
    'ktp',
    'no nik',
    'nomor nik',
    'nik ktp',
    'nik e ktp',
    'no e ktp',
    'nomor induk kependudukan',
    'no induk kependudukan',
    'nik peserta',
    'nik pekerja',
  ],
  name: [
    'nama',
    'nama lengkap',
    'nama peserta',
    'nama pekerja',
    'nama calon peserta',
    'nama tenaga kerja',
    'nama sesuai ktp',
    'nama lengkap sesuai ktp',
    'nama penerima',
  ],
  // "Tempat, Tanggal Lahir" (TTL) is common in BNBA lists; the date parser takes the part after the comma.
  birthDate: [
    'tanggal lahir',
    'tgl lahir',
    'tgl lhr',
    'tanggal lhr',
    'tgllahir',
    'tanggallahir',
    'tgl lahir dd mm yyyy',
    'ttl',
    'tempat tanggal lahir',
    'tempat tgl lahir',
    'tmp tgl lahir',
    'tempat tanggal lhr',
    'date of birth',
  ],
  sex: ['jenis kelamin', 'jk', 'j k', 'l p', 'kelamin', 'jns kelamin', 'jenis kel', 'sex', 'gender'],
  occupation: [
    'pekerjaan',
    'jenis pekerjaan',
    'pekerjaan utama',
    'profesi',
    'mata pencaharian',
    'jenis usaha',
    'pekerjaan sesuai ktp',
    'kategori pekerjaan',
  ],
  address: ['alamat', 'alamat lengkap', 'alamat domisili', 'alamat rumah', 'alamat sesuai ktp', 'domisili'],
  phone: [
    'no hp',
    'nomor hp',
    'hp',
    'no handphone',
    'nomor handphone',
    'handphone',
    'telepon',
    'telp',
    'no telp',
    'no telepon',
    'nomor telepon',
    'no wa',
    'nomor wa',
    'no whatsapp',
    'no hp wa',
    'kontak',
  ],
  dtsenDecile: ['desil', 'desil dtsen', 'desil dtks', 'peringkat desil', 'desil kesejahteraan', 'dtsen desil'],
  birthPlace: ['tempat lahir', 'tmp lahir', 'tpt lahir', 'tmpt lahir'],
  kk: ['no kk', 'nomor kk', 'kk', 'nomor kartu keluarga', 'no kartu keluarga', 'nkk'],
};

/** Lowercase, without accents, punctuation or repeated spaces: "No. KTP" and "no ktp" compare equal. */
export function normaliseLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const bySynonym = new Map<string, ProposalColumn>(
  PROPOSAL_COLUMNS.flatMap((column) => SYNONYMS[column].map((s) => [normaliseLabel(s), column] as const)),
);

/** The proposal column a header label names, if any. */
export function matchColumnLabel(label: string): ProposalColumn | undefined {
  const whole = normaliseLabel(label);
  const direct = bySynonym.get(whole);
  if (direct) return direct;
  // "Jenis Kelamin (L/P)", "NIK (16 digit)": the hint in brackets is not the name.
  const withoutHint = normaliseLabel(label.replace(/\([^)]*\)|\[[^\]]*\]/g, ' '));
  return withoutHint ? bySynonym.get(withoutHint) : undefined;
}
