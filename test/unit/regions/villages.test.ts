import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REGIONS_JSON, extractRegions, servedRegencyCodes } from '../../../scripts/extract-regions';
import {
  districtsOfRegency,
  findVillage,
  villageKindOf,
  villagesOfRegency,
} from '../../../functions/core/regions/villages';

describe('regions.json', () => {
  it('equals what idn-area-data holds for the served regencies (run scripts/extract-regions.ts if this fails)', () => {
    const committed = JSON.parse(readFileSync(REGIONS_JSON, 'utf8'));
    expect(committed).toEqual(extractRegions(servedRegencyCodes()));
  });
});

describe('Kubu Raya villages', () => {
  const kubuRaya = villagesOfRegency('61.12');

  it('has 9 kecamatan and 123 desa, no kelurahan, as idn-area-data lists them', () => {
    expect(districtsOfRegency('61.12').map((d) => d.name)).toEqual([
      'Sungai Raya',
      'Kuala Mandor B',
      'Sungai Ambawang',
      'Terentang',
      'Batu Ampar',
      'Kubu',
      'Rasau Jaya',
      'Teluk Pakedai',
      'Sungai Kakap',
    ]);
    expect(kubuRaya).toHaveLength(123);
    expect(kubuRaya.every((v) => v.kind === 'desa')).toBe(true);
  });

  it('finds a Kubu Raya desa with its kecamatan, beside Kapuas', () => {
    expect(findVillage('61.12.07.2005')).toEqual({
      code: '61.12.07.2005',
      name: 'Bintang Mas',
      districtCode: '61.12.07',
      districtName: 'Rasau Jaya',
      kind: 'desa',
    });
    expect(findVillage('62.03.01.1006')?.name).toBe('Murung Keramat');
  });
});

describe('Kapuas villages', () => {
  const kapuas = villagesOfRegency('62.03');

  it('has 17 kecamatan, 231 villages: 214 desa and 17 kelurahan (DOMAIN.md)', () => {
    expect(districtsOfRegency('62.03')).toHaveLength(17);
    expect(districtsOfRegency('62.03')[0]).toEqual({ code: '62.03.01', name: 'Selat' });
    expect(districtsOfRegency('62.03')[16]).toEqual({ code: '62.03.17', name: 'Bataguh' });
    expect(kapuas).toHaveLength(231);
    expect(kapuas.filter((v) => v.kind === 'desa')).toHaveLength(214);
    expect(kapuas.filter((v) => v.kind === 'kelurahan')).toHaveLength(17);
  });

  it('finds a village by code with its kecamatan and kind', () => {
    expect(findVillage('62.03.01.1006')).toEqual({
      code: '62.03.01.1006',
      name: 'Murung Keramat',
      districtCode: '62.03.01',
      districtName: 'Selat',
      kind: 'kelurahan',
    });
    const desa = kapuas.find((v) => v.kind === 'desa')!;
    expect(findVillage(desa.code)?.code.split('.')[3]).toMatch(/^2\d{3}$/);
  });

  it('knows nothing outside the served regencies, nor malformed codes', () => {
    expect(findVillage('11.01.01.2001')).toBeUndefined();
    expect(findVillage('62.03.01')).toBeUndefined();
    expect(villagesOfRegency('11.01')).toEqual([]);
  });

  it('reads the kind from the Kemendagri serial', () => {
    expect(villageKindOf('62.03.05.1001')).toBe('kelurahan');
    expect(villageKindOf('62.03.05.2001')).toBe('desa');
    expect(villageKindOf('62.03.05')).toBeUndefined();
  });
});
