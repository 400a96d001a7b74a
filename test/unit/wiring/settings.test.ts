import { afterEach, describe, expect, it } from 'vitest';
import { MissingSettingError, once, setting } from '../../../functions/wiring/settings';

describe('a function reading its settings', () => {
  afterEach(() => {
    delete process.env.JARING_TEST_TABLE;
  });

  it('stops with the name of a setting that is missing or empty, before any client sees an empty string', () => {
    expect(() => setting('JARING_TEST_TABLE')).toThrow(new MissingSettingError('JARING_TEST_TABLE'));
    process.env.JARING_TEST_TABLE = '';
    expect(() => setting('JARING_TEST_TABLE')).toThrow(/JARING_TEST_TABLE/);
    process.env.JARING_TEST_TABLE = 'jaring-dev-proposals';
    expect(setting('JARING_TEST_TABLE')).toBe('jaring-dev-proposals');
  });

  it('builds its dependencies once, but tries again after a build that failed (the setting may arrive later)', () => {
    let builds = 0;
    const wiring = once(() => ({ build: ++builds, table: setting('JARING_TEST_TABLE') }));
    expect(() => wiring()).toThrow(MissingSettingError);
    process.env.JARING_TEST_TABLE = 'jaring-dev-proposals';
    expect(wiring()).toEqual({ build: 2, table: 'jaring-dev-proposals' });
    process.env.JARING_TEST_TABLE = 'another';
    expect(wiring()).toEqual({ build: 2, table: 'jaring-dev-proposals' });
  });
});
