import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import type { ProposalColumn, RawCell, SheetRow } from '../../../functions/core/spreadsheet/read-proposal-sheet';
import { MESSAGES, WARNING_CODES, issue } from '../../../functions/core/validation/messages';
import {
  InFileDuplicates,
  ageOn,
  readBirthDate,
  readSex,
  validateRow,
  validateRows,
} from '../../../functions/core/validation/rules';

const programme = findProgramme('kapuas-2026-apbd')!; // coverage starts 2026-01-01, ages 18-65

const cell = (v: RawCell['value']): RawCell => ({
  value: v,
  text: v instanceof Date ? '' : v === null ? '' : String(v),
});

function row(overrides: Partial<Record<ProposalColumn, RawCell['value']>> = {}, number = 5): SheetRow {
  const values: Partial<Record<ProposalColumn, RawCell['value']>> = {
    nik: '6203011205850001',
    name: 'Budi Santoso',
    birthDate: '12-05-1985',
    sex: 'L',
    occupation: 'petani',
    ...overrides,
  };
  const cells = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, cell(v ?? null)]));
  return { row: number, cells, original: new Map(Object.values(cells).map((c, i) => [i, c])) };
}

const codes = (r: SheetRow) => {
  const v = validateRow(r, programme);
  return { errors: v.errors.map((i) => i.code), warnings: v.warnings.map((i) => i.code) };
};

describe('validateRow', () => {
  it('turns a good row into a Worker', () => {
    const v = validateRow(
      row({ phone: '+62 812-3456-7890', dtsenDecile: '2', address: ' Jl. Pemuda  RT 01 ' }),
      programme,
    );
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual([]);
    expect(v.worker).toEqual({
      row: 5,
      nik: '6203011205850001',
      name: 'Budi Santoso',
      birthDate: '1985-05-12',
      sex: 'L',
      occupation: 'petani',
      occupationCategory: 'petani',
      address: 'Jl. Pemuda RT 01',
      phone: '081234567890',
      dtsenDecile: 2,
    });
  });

  it('gives no worker when any error is found', () => {
    const v = validateRow(row({ name: '' }), programme);
    expect(v.errors.map((e) => e.code)).toEqual(['NAME_MISSING']);
    expect(v.worker).toBeUndefined();
    expect(v.nik).toBe('6203011205850001');
  });

  it('checks the birth date against the NIK, in every accepted spelling', () => {
    for (const birthDate of [
      '12-05-1985',
      '12/05/1985',
      '12.5.1985',
      '1985-05-12',
      '12 Mei 1985',
      '12 mei 1985',
      'Kuala Kapuas, 12-05-1985',
      new Date(Date.UTC(1985, 4, 12)),
      31179,
    ]) {
      expect(codes(row({ birthDate })).errors, String(birthDate)).toEqual([]);
    }
    expect(codes(row({ birthDate: '13-05-1985' })).errors).toEqual(['BIRTHDATE_MISMATCH']);
    expect(codes(row({ birthDate: '12-05-1986' })).errors).toEqual(['BIRTHDATE_MISMATCH']);
  });

  it('refuses unreadable dates and two-digit years', () => {
    expect(codes(row({ birthDate: '12-05-85' })).errors).toEqual(['BIRTHDATE_FORMAT']);
    expect(codes(row({ birthDate: '31-02-1985' })).errors).toEqual(['BIRTHDATE_FORMAT']);
    expect(codes(row({ birthDate: 'kemarin' })).errors).toEqual(['BIRTHDATE_FORMAT']);
    expect(codes(row({ birthDate: '' })).errors).toEqual(['BIRTHDATE_MISSING']);
  });

  it('checks sex against the NIK (women: day + 40)', () => {
    expect(codes(row({ sex: 'P' })).errors).toEqual(['SEX_MISMATCH']);
    expect(codes(row({ nik: '6203015205850001', sex: 'Perempuan' })).errors).toEqual([]);
    expect(codes(row({ sex: 'X' })).errors).toEqual(['SEX_UNKNOWN']);
    expect(codes(row({ sex: '' })).errors).toEqual(['SEX_MISSING']);
  });

  it('keeps ages within the programme limits at coverage start', () => {
    // 2026-01-01: born 2008-01-01 is 18, born 2008-01-02 is 17; born 1960-01-01 is 66.
    expect(codes(row({ nik: '6203010101080001', birthDate: '01-01-2008' })).errors).toEqual([]);
    expect(codes(row({ nik: '6203010201080001', birthDate: '02-01-2008' })).errors).toEqual(['AGE_OUT_OF_RANGE']);
    expect(codes(row({ nik: '6203010201600001', birthDate: '02-01-1960' })).errors).toEqual([]);
    expect(codes(row({ nik: '6203010101600001', birthDate: '01-01-1960' })).errors).toEqual(['AGE_OUT_OF_RANGE']);
  });

  it('refuses implausible names', () => {
    for (const name of ['6203011205850001', '123', 'Budi 2', '-', 'B', '=HYPERLINK("x")']) {
      expect(codes(row({ name })).errors, name).toEqual(['NAME_IMPLAUSIBLE']);
    }
    for (const name of ["Nur'aini", 'Muh. Ali', 'I Gusti Ayu Made', 'Siti-Aisyah', 'Dénis']) {
      expect(codes(row({ name })).errors, name).toEqual([]);
    }
  });

  it('caps a name at what a KTP carries, without echoing all of it back', () => {
    const long = `Budi ${'a'.repeat(32_000)}`;
    const v = validateRow(row({ name: long }), programme);
    expect(v.errors.map((e) => e.code)).toEqual(['NAME_TOO_LONG']);
    expect(v.errors[0]!.message).toContain('32.005 karakter');
    expect(v.errors[0]!.message.length).toBeLessThan(400);
    expect(v.worker).toBeUndefined();
    // Long real names pass: 60 letters is the rule for names recorded since 2022, older ones and titles run longer.
    const longest = 'Raden Mas Muhammad Abdurrahman Wahyu Kusumonegoro Hadiningrat, S.Pd.I., M.Pd.';
    expect(longest.length).toBeGreaterThan(60);
    expect(codes(row({ name: longest })).errors).toEqual([]);
    expect(codes(row({ name: `Budi ${'a'.repeat(95)}` })).errors).toEqual([]);
    expect(codes(row({ name: `Budi ${'a'.repeat(96)}` })).errors).toEqual(['NAME_TOO_LONG']);
  });

  it('quotes at most a short piece of what the operator typed in any message', () => {
    const junk = 'x'.repeat(30_000);
    for (const overrides of [
      { occupation: junk },
      { birthDate: junk },
      { sex: junk },
      { phone: `0${junk}` },
      { kk: junk },
      { dtsenDecile: junk },
      { nik: `62${junk}` },
    ]) {
      const v = validateRow(row(overrides), programme);
      for (const i of [...v.errors, ...v.warnings]) expect(i.message.length, i.code).toBeLessThan(500);
    }
  });

  it('maps occupations tolerantly; an unknown one is a warning', () => {
    const category = (occupation: string) => validateRow(row({ occupation }), programme).worker?.occupationCategory;
    expect(category('Tani')).toBe('petani');
    expect(category('PETANI/PEKEBUN')).toBe('petani');
    expect(category('petani karet')).toBe('petani');
    expect(category('Buruh Harian')).toBe('buruh harian lepas');
    expect(category('BURUH HARIAN LEPAS')).toBe('buruh harian lepas');
    expect(category('pedagang')).toBe('pedagang pasar');
    expect(category('Nelayan')).toBe('nelayan');
    expect(codes(row({ occupation: 'PNS' }))).toEqual({ errors: [], warnings: ['OCCUPATION_UNKNOWN'] });
    // A category the programme does not name stays unknown, even with a synonym for it.
    expect(codes(row({ occupation: 'guru ngaji' })).warnings).toEqual(['OCCUPATION_UNKNOWN']);
    expect(codes(row({ occupation: '' })).errors).toEqual(['OCCUPATION_MISSING']);
  });

  it('warns for a NIK from outside the regency, a high decile, a bad phone or KK', () => {
    expect(codes(row({ nik: '6371011205850001' }))).toEqual({ errors: [], warnings: ['NIK_OUTSIDE_REGENCY'] });
    expect(codes(row({ dtsenDecile: 7 })).warnings).toEqual(['DTSEN_DECILE_HIGH']);
    expect(codes(row({ dtsenDecile: 4 })).warnings).toEqual([]);
    expect(codes(row({ dtsenDecile: 'tinggi' })).warnings).toEqual(['DTSEN_DECILE_INVALID']);
    expect(codes(row({ phone: '12' })).warnings).toEqual(['PHONE_INVALID']);
    expect(codes(row({ kk: 6203011205850000 })).warnings).toEqual(['KK_FORMAT']);
    expect(codes(row({ kk: '6203011205850001' })).warnings).toEqual(['KK_SAME_AS_NIK']);
    expect(codes(row({ kk: '6203010101100003' })).warnings).toEqual([]);
  });

  it('restores the leading 0 of a phone kept as a number', () => {
    expect(validateRow(row({ phone: 81234567890 }), programme).worker?.phone).toBe('081234567890');
  });

  it('refuses the template example rows', () => {
    expect(codes(row({ nik: '6203011205859991' })).errors).toEqual(['NIK_EXAMPLE_ROW']);
  });

  it('reports NIK damage by its own code', () => {
    expect(codes(row({ nik: '6,20301E+15' })).errors).toEqual(['NIK_SCIENTIFIC']);
    expect(codes(row({ nik: 6203011205850000 })).errors).toEqual(['NIK_PRECISION_LOST']);
    expect(codes(row({ nik: 6203011205850001 }))).toEqual({ errors: [], warnings: ['NIK_NUMBER_CELL'] });
  });
});

describe('in-file duplicates', () => {
  it('invalidates every later row with the same NIK and names the first row', async () => {
    async function* rows() {
      yield row({}, 3);
      yield row({ name: 'Budi S' }, 4);
      yield row({ nik: '6203015205850001', sex: 'P' }, 7);
      yield row({}, 9);
    }
    const verdicts = [];
    for await (const v of validateRows(rows(), programme)) verdicts.push(v);
    expect(verdicts.map((v) => [v.row, v.errors.map((e) => e.code), Boolean(v.worker)])).toEqual([
      [3, [], true],
      [4, ['NIK_DUPLICATE_IN_FILE'], false],
      [7, [], true],
      [9, ['NIK_DUPLICATE_IN_FILE'], false],
    ]);
    expect(verdicts[1]!.errors[0]!.message).toContain('baris 3');
  });

  it('counts an invalid row as the first occurrence: it is the same person', () => {
    const duplicates = new InFileDuplicates();
    duplicates.check(validateRow(row({ name: '' }, 2), programme));
    expect(duplicates.check(validateRow(row({}, 6), programme)).errors.map((e) => e.code)).toEqual([
      'NIK_DUPLICATE_IN_FILE',
    ]);
  });
});

describe('helpers', () => {
  it('reads sex words', () => {
    expect(['L', 'l', 'Laki-laki', 'LAKI LAKI', 'Pria', 'Lk'].map(readSex)).toEqual(Array(6).fill('L'));
    expect(['P', 'Perempuan', 'WANITA', 'Pr'].map(readSex)).toEqual(Array(4).fill('P'));
  });
  it('counts age in whole years', () => {
    expect(ageOn({ year: 1980, month: 3, day: 2 }, { year: 2025, month: 3, day: 1 })).toBe(44);
    expect(ageOn({ year: 1980, month: 3, day: 1 }, { year: 2025, month: 3, day: 1 })).toBe(45);
  });
  it('reads an Excel serial kept as a number', () => {
    expect(readBirthDate({ value: 29587, text: '29587' })).toEqual({
      ok: true,
      date: { year: 1981, month: 1, day: 1 },
    });
  });
});

describe('messages', () => {
  it('has an Indonesian message for every code, including the store-side ones', () => {
    for (const code of [
      'NIK_ALREADY_ENROLLED',
      'OVER_QUOTA',
      'VILLAGE_UNKNOWN',
      'VILLAGE_NOT_IN_REGENCY',
      'KELURAHAN_NO_APBDES',
    ]) {
      expect(Object.keys(MESSAGES)).toContain(code);
    }
    expect(WARNING_CODES.has('NIK_OUTSIDE_REGENCY')).toBe(true);
    expect(WARNING_CODES.has('NIK_SCIENTIFIC')).toBe(false);
  });
  it('names where a NIK is already enrolled', () => {
    const m = issue('NIK_ALREADY_ENROLLED', {
      status: 'pending',
      villageName: 'Selat Hilir',
      villageCode: '62.03.01.1007',
      fileName: 'usulan.xlsx',
      row: 12,
      fundingSource: 'APBDes',
    });
    expect(m.code).toBe('NIK_ALREADY_ENROLLED');
    expect(m.message).toContain('Selat Hilir (62.03.01.1007)');
    expect(m.message).toContain('"usulan.xlsx" baris 12');
    expect(m.message).toContain('sumber dana APBDes');
    expect(issue('OVER_QUOTA', { limit: 100, scope: 'desa' }).message).toContain('kuota per desa 100');
  });
});
