import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { componentsToKey, keyToComponents } from '../../../infra/local/s3-store';

const odd = [
  'proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx',
  `proposals/p/v/${'n'.repeat(950)}.csv`,
  'ü'.repeat(512),
  '🚀'.repeat(256),
  '%'.repeat(1024),
  '.'.repeat(1024),
  '../../etc/passwd',
  'a/./b/../c',
  'a//b',
  'a/',
  '/',
  '//',
  '.hidden/..',
  'x._S3rver_object',
  'x._S3rver_object/y',
  '._S3rver_uploads/k',
  'a%~/b',
  '%',
  '%2E%2E',
  'usulan\r\n.csv',
  'trailing. ',
];

/** A key of random characters from an alphabet rich in the ones the mapping treats specially. */
function randomKey(): string {
  const alphabet = ['a', '.', '/', '%', '~', '_', ' ', '\r', 'ü', '日', '🚀', '2', 'E', 'S3rver'];
  let key = '';
  while (Buffer.byteLength(key) < randomInt(1, 1024)) key += alphabet[randomInt(alphabet.length)];
  return key;
}

describe('the path a key is stored under', () => {
  it('gives the key back exactly', () => {
    for (const key of [...odd, ...Array.from({ length: 300 }, randomKey)])
      expect(componentsToKey(keyToComponents(key))).toBe(key);
  });

  it("never leaves the bucket's directory, collides with s3rver's files, or exceeds a file name's 255 bytes", () => {
    for (const key of [...odd, ...Array.from({ length: 300 }, randomKey)]) {
      for (const component of keyToComponents(key)) {
        expect(['', '.', '..']).not.toContain(component);
        expect(component.startsWith('.')).toBe(false);
        expect(component).not.toContain('._S3rver_');
        expect(Buffer.byteLength(`${component}._S3rver_metadata.json`)).toBeLessThanOrEqual(255);
      }
    }
  });

  it('keeps the empty key (the bucket itself) where s3rver keeps bucket settings and uploads', () => {
    expect(keyToComponents('')).toEqual(['']);
  });

  it('maps different keys to different paths', () => {
    const paths = new Map<string, string>();
    for (const key of odd) {
      const path = keyToComponents(key).join('/');
      expect(paths.get(path) ?? key).toBe(key);
      paths.set(path, key);
    }
  });
});
