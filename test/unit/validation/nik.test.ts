import { describe, expect, it } from 'vitest';
import type { RawCell } from '../../../functions/core/spreadsheet/read-proposal-sheet';
import { parseNik, readNikCell } from '../../../functions/core/validation/nik';

const text = (t: string): RawCell => ({ value: t, text: t });
const num = (n: number): RawCell => ({ value: n, text: String(n) });
const codeOf = (cell: RawCell | undefined) => {
  const r = readNikCell(cell);
  return r.ok ? 'OK' : r.issue.code;
};

describe('parseNik', () => {
  it('reads region, birth date and sex (day + 40 for women)', () => {
    const man = parseNik('6203011205850001');
    expect(man).toMatchObject({
      ok: true,
      parts: {
        regencyCode: '62.03',
        districtCode: '62.03.01',
        birthDay: 12,
        birthMonth: 5,
        birthYearTwoDigits: 85,
        sex: 'L',
        serial: '0001',
      },
    });
    const woman = parseNik('6203016308900002');
    expect(woman).toMatchObject({ ok: true, parts: { birthDay: 23, birthMonth: 8, sex: 'P' } });
  });

  it('refuses impossible dates', () => {
    expect(parseNik('6203013102800001')).toMatchObject({ ok: false, issue: { code: 'NIK_DATE_INVALID' } }); // 31 Feb
    expect(parseNik('6203010013800001')).toMatchObject({ ok: false, issue: { code: 'NIK_DATE_INVALID' } }); // day 0, month 13
    expect(parseNik('6203013501800001')).toMatchObject({ ok: false, issue: { code: 'NIK_DATE_INVALID' } }); // day 35: neither man nor woman
    expect(parseNik('6203017201800001')).toMatchObject({ ok: false, issue: { code: 'NIK_DATE_INVALID' } }); // 72 - 40 = 32
  });

  it('accepts 29 February when some century makes it a leap year', () => {
    expect(parseNik('6203012902000001').ok).toBe(true); // 2000
    expect(parseNik('6203012902840001').ok).toBe(true); // 1984
    expect(parseNik('6203012902830001')).toMatchObject({ ok: false, issue: { code: 'NIK_DATE_INVALID' } });
  });

  it('refuses a zero region or serial', () => {
    expect(parseNik('0903011205850001')).toMatchObject({ ok: false, issue: { code: 'NIK_REGION_INVALID' } });
    expect(parseNik('6200011205850001')).toMatchObject({ ok: false, issue: { code: 'NIK_REGION_INVALID' } });
    expect(parseNik('6203011205850000')).toMatchObject({ ok: false, issue: { code: 'NIK_SERIAL_INVALID' } });
  });
});

describe('readNikCell: spreadsheet damage is reported, never repaired', () => {
  it('accepts a text NIK, with separators or a leading apostrophe', () => {
    expect(readNikCell(text('6203011205850001'))).toMatchObject({
      ok: true,
      parts: { nik: '6203011205850001' },
      warnings: [],
    });
    expect(readNikCell(text(' 6203 0112 0585 0001 '))).toMatchObject({ ok: true, parts: { nik: '6203011205850001' } });
    expect(readNikCell(text("'6203011205850001"))).toMatchObject({ ok: true, parts: { nik: '6203011205850001' } });
  });

  it('refuses Excel scientific text in either decimal mark', () => {
    expect(codeOf(text('6,20301E+15'))).toBe('NIK_SCIENTIFIC');
    expect(codeOf(text('6.20301E+15'))).toBe('NIK_SCIENTIFIC');
    expect(codeOf(text('6.20301120585E+15'))).toBe('NIK_SCIENTIFIC');
    const r = readNikCell(text('6,20301E+15'));
    expect(!r.ok && r.issue.message).toMatch(/Teks/);
  });

  it('refuses a 16-digit number ending in 0: Excel may have zeroed the 16th digit', () => {
    // 6203011205850001 typed into an Excel General cell is stored as 6.20301120585000E+15.
    expect(codeOf(num(6.20301120585e15))).toBe('NIK_PRECISION_LOST');
    expect(codeOf(num(6203011205850010))).toBe('NIK_PRECISION_LOST');
  });

  it('accepts an exact 16-digit number not ending in 0, with a warning to make the column Text', () => {
    const r = readNikCell(num(6203011205850001));
    expect(r).toMatchObject({ ok: true, parts: { nik: '6203011205850001' }, warnings: [{ code: 'NIK_NUMBER_CELL' }] });
  });

  it('refuses numbers at or above 2^53, which doubles cannot hold exactly', () => {
    // The literal loses precision on purpose: it is what a spreadsheet's number cell hands over.
    // eslint-disable-next-line no-loss-of-precision
    expect(codeOf(num(9_107_011_205_850_001))).toBe('NIK_PRECISION_LOST');
  });

  it('reports the wrong length, letters, and a missing NIK', () => {
    expect(codeOf(text('620301120585001'))).toBe('NIK_LENGTH');
    expect(codeOf(num(620301120585001))).toBe('NIK_LENGTH');
    expect(readNikCell(num(620301120585001))).toMatchObject({
      ok: false,
      issue: { message: expect.stringMatching(/angka/) },
    });
    expect(codeOf(text('62030112058500O1'))).toBe('NIK_FORMAT');
    expect(codeOf(text('#N/A'))).toBe('NIK_FORMAT');
    expect(codeOf(text('  '))).toBe('NIK_MISSING');
    expect(codeOf(undefined)).toBe('NIK_MISSING');
    expect(codeOf({ value: new Date(0), text: '01-01-1970' })).toBe('NIK_FORMAT');
  });
});
