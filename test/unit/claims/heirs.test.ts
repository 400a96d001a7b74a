import { describe, expect, it } from 'vitest';
import { checkHeirs, entitledHeirs, recipientOf, recipientsOf } from '../../../functions/core/claims/heirs';
import { heir, heirNik, PARTICIPANT_NIK } from './fixtures';

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('who is entitled (Permenaker 4/2023 Ps. 57(4))', () => {
  it('spouse and children first, together', () => {
    const heirs = [heir(1, 'SIBLING'), heir(2, 'CHILD'), heir(3, 'SPOUSE'), heir(4, 'PARENT')];
    expect(entitledHeirs(heirs).map((h) => h.relationship)).toEqual(['CHILD', 'SPOUSE']);
  });

  it('else parents, grandchildren and grandparents; else siblings; else parents-in-law; else the will', () => {
    expect(entitledHeirs([heir(1, 'SIBLING'), heir(2, 'GRANDPARENT')]).map((h) => h.nik)).toEqual([heirNik(2)]);
    expect(entitledHeirs([heir(1, 'PARENT_IN_LAW'), heir(2, 'SIBLING')]).map((h) => h.nik)).toEqual([heirNik(2)]);
    expect(entitledHeirs([heir(1, 'WILL_NAMED'), heir(2, 'PARENT_IN_LAW')]).map((h) => h.nik)).toEqual([heirNik(2)]);
    expect(entitledHeirs([heir(1, 'WILL_NAMED')]).map((h) => h.nik)).toEqual([heirNik(1)]);
  });

  it('the recipient is the one marked, else the first of the entitled rank as listed', () => {
    expect(recipientOf([heir(1, 'PARENT'), heir(2, 'CHILD'), heir(3, 'SPOUSE')])!.nik).toBe(heirNik(2));
    expect(recipientOf([heir(1, 'CHILD'), heir(2, 'SPOUSE', { recipient: true })])!.nik).toBe(heirNik(2));
    expect(recipientsOf([])).toEqual([]);
    expect(recipientOf([])).toBeUndefined();
  });
});

describe('checkHeirs', () => {
  it('accepts a spouse receiving with the children named', () => {
    const heirs = [heir(1, 'SPOUSE', { recipient: true }), heir(2, 'CHILD'), heir(3, 'CHILD')];
    expect(checkHeirs(heirs, PARTICIPANT_NIK, 'JKM')).toEqual([]);
  });

  it('refuses a sibling as recipient while a spouse is named, citing the rule and masking NIKs', () => {
    const heirs = [heir(1, 'SPOUSE', { name: 'Siti Aminah' }), heir(2, 'SIBLING', { name: 'Budi', recipient: true })];
    const issues = checkHeirs(heirs, PARTICIPANT_NIK, 'JKM');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'HEIR_NOT_ENTITLED', severity: 'REFUSAL' });
    expect(issues[0]!.message).toContain('Budi (saudara kandung');
    expect(issues[0]!.message).toContain('Siti Aminah (janda/duda');
    expect(issues[0]!.message).toContain('Permenaker 4/2023 Pasal 57 ayat (4)');
    expect(issues[0]!.message).not.toContain(heirNik(1));
    expect(issues[0]!.message).toContain('6203********0001');
  });

  it('accepts a sibling when no higher rank is named', () => {
    expect(checkHeirs([heir(1, 'SIBLING'), heir(2, 'PARENT_IN_LAW')], PARTICIPANT_NIK, 'JKK_DEATH')).toEqual([]);
  });

  it('a death claim needs an heir; a JKK accident claim does not', () => {
    expect(codes(checkHeirs([], PARTICIPANT_NIK, 'JKM'))).toEqual(['HEIRS_MISSING']);
    expect(codes(checkHeirs([], PARTICIPANT_NIK, 'JKK_DEATH'))).toEqual(['HEIRS_MISSING']);
    expect(checkHeirs([], PARTICIPANT_NIK, 'JKK')).toEqual([]);
  });

  it('refuses an impossible NIK, the deceased own NIK, and the same NIK twice', () => {
    const impossible = heir(1, 'CHILD', { nik: '6203013213900001' }); // day 32, month 13
    const deceased = heir(2, 'SPOUSE', { nik: PARTICIPANT_NIK });
    const twice = [heir(3, 'CHILD'), heir(3, 'CHILD', { name: 'Lain' })];
    const issues = checkHeirs([impossible, deceased, ...twice], PARTICIPANT_NIK, 'JKM');
    expect(codes(issues)).toEqual(['HEIR_NIK_INVALID', 'HEIR_IS_PARTICIPANT', 'HEIR_DUPLICATE_NIK']);
    expect(issues.every((i) => i.severity === 'REFUSAL')).toBe(true);
  });

  it('warns when the recipient account is in another name, not for case or spacing', () => {
    const other = heir(1, 'SPOUSE', {
      name: 'Siti Aminah',
      bankAccount: { bank: 'BRI', number: '0012345', holder: 'Ahmad' },
    });
    expect(checkHeirs([other], PARTICIPANT_NIK, 'JKM')).toEqual([
      expect.objectContaining({ code: 'BANK_HOLDER_DIFFERS', severity: 'WARNING' }),
    ]);
    const spaced = heir(1, 'SPOUSE', {
      name: 'Siti Aminah',
      bankAccount: { bank: 'BRI', number: '0012345', holder: 'SITI  AMINAH' },
    });
    expect(checkHeirs([spaced], PARTICIPANT_NIK, 'JKM')).toEqual([]);
  });
});
