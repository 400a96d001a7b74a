import type { Issue } from '../issues';
import type { Programme } from '../programmes/programme';

/**
 * Where a village puts a proposal: `proposals/<programmeId>/<villageCode>/<fileName>`, with the
 * Kemendagri village code written with dots (62.03.01.2011). The key is the only thing the
 * operator tells us about the upload, so every way it can be wrong gets its own plain answer.
 */
export const PROPOSALS_PREFIX = 'proposals/';

export type UploadKeyParts = { programmeId: string; villageCode: string; fileName: string };

export type VillageInfo = { code: string; name: string; kind: 'desa' | 'kelurahan'; districtName?: string };

export type UploadKeyCheck =
  | { ok: true; parts: UploadKeyParts; programme: Programme; village: VillageInfo }
  | { ok: false; parts: Partial<UploadKeyParts>; reason: Issue };

const SPREADSHEET_EXTENSIONS = ['.xlsx', '.csv'];
/** A Kemendagri village code with dots: 62.03.01.2011. */
export const VILLAGE_CODE = /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/;

/** An example of each regency's, so neither reads as the only programme there is. */
const layoutHint =
  'Unggah ke folder proposals/<kode-program>/<kode-desa>/<nama-berkas>, misalnya ' +
  'proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx (Kabupaten Kapuas) atau ' +
  'proposals/kuburaya-2026-apbd/61.12.07.2005/usulan.xlsx (Kabupaten Kubu Raya).';

export function splitUploadKey(key: string): Partial<UploadKeyParts> {
  const rest = key.startsWith(PROPOSALS_PREFIX) ? key.slice(PROPOSALS_PREFIX.length) : key;
  const [programmeId, villageCode, ...fileParts] = rest.split('/');
  const fileName = fileParts.join('/');
  return {
    programmeId: programmeId || undefined,
    villageCode: villageCode || undefined,
    fileName: fileName || undefined,
  };
}

export function checkUploadKey(
  key: string,
  lookups: {
    findProgramme: (id: string) => Programme | undefined;
    findVillage: (code: string) => VillageInfo | undefined;
  },
): UploadKeyCheck {
  const parts = splitUploadKey(key);
  const { programmeId, villageCode, fileName } = parts;
  if (!key.startsWith(PROPOSALS_PREFIX) || !programmeId || !villageCode || !fileName || fileName.includes('/')) {
    return {
      ok: false,
      parts,
      reason: { code: 'UPLOAD_LAYOUT', message: `Lokasi berkas tidak sesuai. ${layoutHint}` },
    };
  }
  const programme = lookups.findProgramme(programmeId);
  if (!programme) {
    return {
      ok: false,
      parts,
      reason: {
        code: 'UPLOAD_UNKNOWN_PROGRAMME',
        message: `Program "${programmeId}" tidak dikenal. Periksa kode program pada folder unggahan. ${layoutHint}`,
      },
    };
  }
  if (!VILLAGE_CODE.test(villageCode)) {
    return {
      ok: false,
      parts,
      reason: {
        code: 'UPLOAD_VILLAGE_CODE_FORMAT',
        message: `Kode desa "${villageCode}" tidak sesuai format Kemendagri (contoh: 62.03.01.2011, dengan titik).`,
      },
    };
  }
  // The regency first: the village list holds only the regencies Jaring serves.
  if (!villageCode.startsWith(`${programme.regency.code}.`)) {
    const known = lookups.findVillage(villageCode);
    return {
      ok: false,
      parts,
      reason: {
        code: 'VILLAGE_NOT_IN_REGENCY',
        message: `Desa/kelurahan ${known ? `${known.name} (${villageCode})` : villageCode} tidak berada di ${programme.regency.name}, wilayah program ${programme.id}. Periksa kode desa pada folder unggahan; kode ${programme.regency.name} diawali ${programme.regency.code}.`,
      },
    };
  }
  const village = lookups.findVillage(villageCode);
  if (!village) {
    return {
      ok: false,
      parts,
      reason: {
        code: 'VILLAGE_UNKNOWN',
        message: `Kode desa/kelurahan ${villageCode} tidak terdaftar dalam kode wilayah Kemendagri untuk ${programme.regency.name}. Periksa kode desa Anda (10 digit dengan titik) pada folder unggahan, lalu unggah ulang.`,
      },
    };
  }
  if (programme.fundingSource === 'APBDES' && village.kind === 'kelurahan') {
    return {
      ok: false,
      parts,
      reason: {
        code: 'KELURAHAN_NO_APBDES',
        message: `${village.name} adalah kelurahan dan tidak memiliki APBDes, sehingga tidak dapat mengusulkan melalui program ${programme.id}. Gunakan program APBD.`,
      },
    };
  }
  const lower = fileName.toLowerCase();
  if (!SPREADSHEET_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
    return {
      ok: false,
      parts,
      reason: {
        code: 'UPLOAD_NOT_SPREADSHEET',
        message: `Berkas "${fileName}" bukan lembar kerja yang didukung. Unggah berkas Excel (.xlsx) atau CSV (.csv) sesuai templat.`,
      },
    };
  }
  return { ok: true, parts: { programmeId, villageCode, fileName }, programme, village };
}
