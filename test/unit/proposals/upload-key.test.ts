import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { Programme } from '../../../functions/core/programmes/programme';
import { checkUploadKey, splitUploadKey } from '../../../functions/core/proposals/upload-key';
import { findVillage } from '../../../functions/core/regions/villages';

const lookups = { findProgramme, findVillage };

function refusal(key: string, l = lookups) {
  const check = checkUploadKey(key, l);
  if (check.ok) throw new Error(`expected ${key} to be refused`);
  return check;
}

describe('splitUploadKey', () => {
  it('splits proposals/<programme>/<village>/<file>', () => {
    expect(splitUploadKey('proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx')).toEqual({
      programmeId: 'kapuas-2026-apbd',
      villageCode: '62.03.01.2011',
      fileName: 'usulan.xlsx',
    });
  });

  it('keeps nested folders in the file name, so the check can refuse them', () => {
    expect(splitUploadKey('proposals/kapuas-2026-apbd/62.03.01.2011/lama/usulan.xlsx').fileName).toBe(
      'lama/usulan.xlsx',
    );
  });

  it('leaves missing parts undefined rather than empty', () => {
    expect(splitUploadKey('proposals/kapuas-2026-apbd/')).toEqual({
      programmeId: 'kapuas-2026-apbd',
      villageCode: undefined,
      fileName: undefined,
    });
  });
});

describe('checkUploadKey', () => {
  it('accepts a desa of Kapuas under a Kapuas programme and names the village', () => {
    const check = checkUploadKey('proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx', lookups);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.programme.id).toBe('kapuas-2026-apbd');
    expect(check.village).toMatchObject({ code: '62.03.01.2011', kind: 'desa', districtName: 'Selat' });
    expect(check.parts).toEqual({
      programmeId: 'kapuas-2026-apbd',
      villageCode: '62.03.01.2011',
      fileName: 'usulan.xlsx',
    });
  });

  it.each([
    ['a key outside proposals/', 'uploads/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx'],
    ['a key with no folder at all', 'usulan.xlsx'],
    ['a file straight under proposals/', 'proposals/usulan.xlsx'],
    ['no village folder', 'proposals/kapuas-2026-apbd/usulan.xlsx'],
    ['an empty file name', 'proposals/kapuas-2026-apbd/62.03.01.2011/'],
    ['an empty programme folder', 'proposals//62.03.01.2011/usulan.xlsx'],
    ['a nested folder under the village', 'proposals/kapuas-2026-apbd/62.03.01.2011/revisi/usulan.xlsx'],
  ])('refuses %s with UPLOAD_LAYOUT and shows the expected layout', (_, key) => {
    const { reason } = refusal(key);
    expect(reason.code).toBe('UPLOAD_LAYOUT');
    expect(reason.message).toContain('Lokasi berkas tidak sesuai');
    expect(reason.message).toContain('proposals/<kode-program>/<kode-desa>/<nama-berkas>');
    expect(reason.message).toContain('proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx');
  });

  it('refuses an unknown programme, naming it and saying to check the folder', () => {
    const { reason, parts } = refusal('proposals/kapuas-2024-apbd/62.03.01.2011/usulan.xlsx');
    expect(reason.code).toBe('UPLOAD_UNKNOWN_PROGRAMME');
    expect(reason.message).toContain('"kapuas-2024-apbd" tidak dikenal');
    expect(reason.message).toContain('Periksa kode program');
    expect(parts.programmeId).toBe('kapuas-2024-apbd');
  });

  it.each(['6203012011', '62-03-01-2011', '62.3.1.2011', '62.03.01.2011a'])(
    'refuses village code %s for its format, with an example',
    (code) => {
      const { reason } = refusal(`proposals/kapuas-2026-apbd/${code}/usulan.xlsx`);
      expect(reason.code).toBe('UPLOAD_VILLAGE_CODE_FORMAT');
      expect(reason.message).toContain(`"${code}"`);
      expect(reason.message).toContain('contoh: 62.03.01.2011, dengan titik');
    },
  );

  it('refuses a well-formed code that is not a village', () => {
    const { reason } = refusal('proposals/kapuas-2026-apbd/62.03.01.2999/usulan.xlsx');
    expect(reason.code).toBe('VILLAGE_UNKNOWN');
    expect(reason.message).toContain('62.03.01.2999');
    expect(reason.message).toContain('tidak terdaftar');
  });

  it('refuses a village outside the programme regency, naming village and regency', () => {
    // The shipped data holds Kapuas villages only, so the "other regency" here is the programme's.
    const kobar = Programme.parse({
      ...findProgramme('kapuas-2026-apbd')!,
      id: 'kobar-2026-apbd',
      regency: { code: '62.01', name: 'Kabupaten Kotawaringin Barat' },
    });
    const { reason } = refusal('proposals/kobar-2026-apbd/62.03.01.2011/usulan.xlsx', {
      findProgramme: (id) => (id === kobar.id ? kobar : undefined),
      findVillage,
    });
    expect(reason.code).toBe('VILLAGE_NOT_IN_REGENCY');
    expect(reason.message).toContain(findVillage('62.03.01.2011')!.name);
    expect(reason.message).toContain('62.03.01.2011');
    expect(reason.message).toContain('Kabupaten Kotawaringin Barat');
    expect(reason.message).toContain('kobar-2026-apbd');
  });

  it('refuses a real village of another regency as outside the regency, not as unknown', () => {
    // 63.01.01.2001 is a desa in Kabupaten Tanah Laut (Kalimantan Selatan); Jaring ships only Kapuas's list.
    const { reason } = refusal('proposals/kapuas-2026-apbd/63.01.01.2001/usulan.xlsx');
    expect(reason.code).toBe('VILLAGE_NOT_IN_REGENCY');
    expect(reason.message).toContain('Kabupaten Kapuas');
    expect(reason.message).toContain('62.03');
  });

  it('refuses a kelurahan under the APBDes programme and points to APBD', () => {
    expect(findVillage('62.03.01.1006')?.kind).toBe('kelurahan');
    const { reason } = refusal('proposals/kapuas-2026-apbdes/62.03.01.1006/usulan.xlsx');
    expect(reason.code).toBe('KELURAHAN_NO_APBDES');
    expect(reason.message).toContain('Murung Keramat adalah kelurahan');
    expect(reason.message).toContain('Gunakan program APBD');
  });

  it('accepts a desa under the APBDes programme and a kelurahan under APBD', () => {
    expect(checkUploadKey('proposals/kapuas-2026-apbdes/62.03.01.2011/usulan.xlsx', lookups).ok).toBe(true);
    expect(checkUploadKey('proposals/kapuas-2026-apbd/62.03.01.1006/usulan.xlsx', lookups).ok).toBe(true);
  });

  it.each(['usulan.pdf', 'usulan.xls', 'usulan.docx', 'usulan', 'usulan.xlsx.pdf'])(
    'refuses %s as not a spreadsheet, asking for .xlsx or .csv',
    (file) => {
      const { reason } = refusal(`proposals/kapuas-2026-apbd/62.03.01.2011/${file}`);
      expect(reason.code).toBe('UPLOAD_NOT_SPREADSHEET');
      expect(reason.message).toContain(`"${file}"`);
      expect(reason.message).toContain('Unggah berkas Excel (.xlsx) atau CSV (.csv)');
    },
  );

  it.each(['USULAN.XLSX', 'usulan.csv', 'Usulan Desa.Csv'])('accepts %s whatever the case of its extension', (file) => {
    const check = checkUploadKey(`proposals/kapuas-2026-apbd/62.03.01.2011/${file}`, lookups);
    expect(check.ok).toBe(true);
    expect(check.parts.fileName).toBe(file);
  });

  it('checks the programme before the village and the village before the file type', () => {
    expect(refusal('proposals/nope/6203012011/a.pdf').reason.code).toBe('UPLOAD_UNKNOWN_PROGRAMME');
    expect(refusal('proposals/kapuas-2026-apbd/6203012011/a.pdf').reason.code).toBe('UPLOAD_VILLAGE_CODE_FORMAT');
    expect(refusal('proposals/kapuas-2026-apbdes/62.03.01.1006/a.pdf').reason.code).toBe('KELURAHAN_NO_APBDES');
  });
});
