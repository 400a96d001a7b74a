import { describe, expect, it } from 'vitest';
import { maskNik, redactDeep, redactText } from '../../../functions/core/privacy/mask';

describe('masking personal data', () => {
  it('keeps a NIK’s region and serial only', () => {
    expect(maskNik('6203011506880001')).toBe('6203********0001');
    expect(maskNik('12345')).toBe('*****');
  });

  it('redacts NIKs, quoted cells and dates from issue messages', () => {
    expect(redactText('NIK 6203015506880002 tidak mungkin')).toBe('NIK 6203********0002 tidak mungkin');
    expect(redactText('Nama "Budi 2" tidak wajar')).toBe('Nama "…" tidak wajar');
    expect(redactText('Tanggal lahir 12-05-1985 tidak sama dengan tanggal lahir dalam NIK (15/06/1988).')).not.toMatch(
      /1985|1988/,
    );
    expect(redactText('NIK 620301150688000 tersimpan sebagai angka')).toBe(
      'NIK *************** tersimpan sebagai angka',
    );
    expect(redactText('NIK tertulis 6,20301E+15 (format ilmiah)')).not.toContain('20301');
    expect(redactText('NIK 6.203.011.506.880.001 ditulis dengan titik')).toBe(
      'NIK 6203********0001 ditulis dengan titik',
    );
  });

  it('leaves amounts, times and ids alone', () => {
    expect(redactText('Iuran Rp16.800.000 per bulan')).toBe('Iuran Rp16.800.000 per bulan');
    expect(redactDeep({ at: '2026-11-25T10:00:00.000Z', proposalId: 'prp-0123456789abcdef0123' })).toEqual({
      at: '2026-11-25T10:00:00.000Z',
      proposalId: 'prp-0123456789abcdef0123',
    });
    // Ids and hashes whose hex happens to hold a long run of digits are ids, not NIKs.
    expect(redactDeep({ reference: 'prp-987c7e94860462603034-1' })).toEqual({
      reference: 'prp-987c7e94860462603034-1',
    });
    const hash = 'a94860462603034118812345fe'.padEnd(64, '0');
    expect(redactText(`rantai ${hash}`)).toBe(`rantai ${hash}`);
    // A NIK beside a word or an underscore is still a NIK.
    expect(redactText('usulan_6203011506880001.csv')).toBe('usulan_6203********0001.csv');
    expect(redactText('NIK:6203011506880001')).toBe('NIK:6203********0001');
    expect(redactText('usulan-desa6203011506880001.xlsx')).toBe('usulan-desa6203********0001.xlsx');
    expect(redactText('face6203011506880001')).toBe('face6203********0001');
  });

  it('masks an approver’s note and drops e-mail addresses from history details', () => {
    expect(
      redactDeep({
        note: 'NIK 6203011205850001 "Budi Santoso" lahir 12-05-1985',
        uploadedBy: { kind: 'user', username: 'sari', email: 'sari@desa.example' },
      }),
    ).toEqual({
      note: 'NIK 6203********0001 "…" lahir **-**-****',
      uploadedBy: { kind: 'user', username: 'sari' },
    });
  });

  it('masks nik fields and drops names and birth dates in structured details', () => {
    const details = {
      rejected: [
        {
          row: 3,
          nik: '6203011506880001',
          name: 'Siti',
          birthDate: '1988-06-15',
          reason: { code: 'X', message: 'NIK 6203011506880001 "Siti"' },
        },
      ],
      enrolledBy: 'prp-1',
      entity: 'participant#kapuas-2026-apbd#6203011506880001',
    };
    expect(redactDeep(details)).toEqual({
      rejected: [{ row: 3, nik: '6203********0001', reason: { code: 'X', message: 'NIK 6203********0001 "…"' } }],
      enrolledBy: 'prp-1',
      entity: 'participant#kapuas-2026-apbd#6203********0001',
    });
  });
});
