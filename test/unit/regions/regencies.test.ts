import { describe, expect, it } from 'vitest';
import { allProgrammes } from '../../../functions/core/programmes/catalogue';
import {
  dinasSosialContact,
  dinasSosialName,
  findRegency,
  regencyCodeOf,
  regencyName,
  servedRegencies,
} from '../../../functions/core/regions/regencies';
import { villagesOfRegency } from '../../../functions/core/regions/villages';

describe('regency records', () => {
  it('serve Kapuas and Kubu Raya, each with its Dinas Sosial', () => {
    expect(servedRegencies().map((r) => r.code)).toEqual(['62.03', '61.12']);
    expect(findRegency('61.12')).toMatchObject({
      name: 'Kabupaten Kubu Raya',
      province: 'Kalimantan Barat',
      dinasSosial: { name: 'Dinas Sosial Kabupaten Kubu Raya' },
    });
    expect(dinasSosialName('62.03')).toBe('Dinas Sosial Kabupaten Kapuas');
    expect(findRegency('11.01')).toBeUndefined();
  });

  it('every served regency has its villages, and every programme lies in a served regency', () => {
    for (const r of servedRegencies()) expect(villagesOfRegency(r.code).length).toBeGreaterThan(0);
    for (const p of allProgrammes()) expect(findRegency(p.regency.code), p.id).toBeDefined();
  });

  it('names a regency nobody configured without inventing its Dinas Sosial', () => {
    expect(dinasSosialName({ code: '74.13', name: 'Kabupaten Muna Barat' })).toBe('Dinas Sosial Kabupaten Muna Barat');
    expect(dinasSosialName(undefined)).toBe('Dinas Sosial');
    expect(regencyName('74.13')).toBe('kabupaten 74.13');
    expect(regencyCodeOf('61.12.01.2003')).toBe('61.12');
    expect(dinasSosialContact('61.12')).toBe(
      'Dinas Sosial Kabupaten Kubu Raya, Sungai Raya, Kabupaten Kubu Raya, Kalimantan Barat',
    );
    expect(dinasSosialContact('74.13')).toBe('Dinas Sosial kabupaten Anda');
  });
});
