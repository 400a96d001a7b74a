import { describe, expect, it } from 'vitest';
import { missing, requiredDocuments, withDocument } from '../../../functions/core/claims/documents';
import { heir } from './fixtures';

const types = (docs: { type: string }[]) => docs.map((d) => d.type);
const DEATH = [
  'KPJ_CARD',
  'KTP_PARTICIPANT',
  'KTP_HEIR',
  'FAMILY_CARD',
  'DEATH_CERTIFICATE',
  'HEIR_STATEMENT',
  'BANK_BOOK',
];

describe('requiredDocuments', () => {
  it('JKM with a child receiving: the seven death documents, no marriage book, no NPWP at Rp42 juta', () => {
    const docs = requiredDocuments('JKM', [heir(1, 'CHILD')], 42_000_000);
    expect(types(docs)).toEqual(DEATH);
    expect(docs.every((d) => !d.present && d.label.length > 0)).toBe(true);
    expect(docs.find((d) => d.type === 'HEIR_STATEMENT')!.label).toContain('lurah/kepala desa dan camat');
  });

  it('adds the marriage book when the recipient is a spouse, not when a spouse is merely named', () => {
    expect(types(requiredDocuments('JKM', [heir(1, 'SPOUSE')], 42_000_000))).toContain('MARRIAGE_BOOK');
    const childReceives = [heir(1, 'SPOUSE'), heir(2, 'CHILD', { recipient: true })];
    expect(types(requiredDocuments('JKM', childReceives, 42_000_000))).not.toContain('MARRIAGE_BOOK');
  });

  it('adds the NPWP above Rp50,000,000 only', () => {
    expect(types(requiredDocuments('JKK_DEATH', [heir(1, 'CHILD')], 50_000_000))).not.toContain('NPWP');
    const docs = requiredDocuments('JKK_DEATH', [heir(1, 'CHILD')], 70_000_000);
    expect(types(docs)).toContain('NPWP');
    expect(docs.find((d) => d.type === 'NPWP')!.label).toContain('Rp50.000.000');
  });

  it('JKK: KPJ, KTP, accident report, doctor statement, receipts', () => {
    expect(types(requiredDocuments('JKK', [], 0))).toEqual([
      'KPJ_CARD',
      'KTP_PARTICIPANT',
      'ACCIDENT_REPORT',
      'DOCTOR_STATEMENT',
      'MEDICAL_RECEIPTS',
    ]);
  });

  it("JKK death: JKK's documents and the death ones, each once", () => {
    const docs = types(requiredDocuments('JKK_DEATH', [heir(1, 'CHILD')], 42_000_000));
    expect(new Set(docs).size).toBe(docs.length);
    expect(docs).toEqual(expect.arrayContaining([...DEATH, 'ACCIDENT_REPORT', 'DOCTOR_STATEMENT', 'MEDICAL_RECEIPTS']));
    expect(docs).toHaveLength(10);
  });
});

describe('withDocument and missing', () => {
  const at = '2026-03-12T02:00:00.000Z';

  it('marks one document received with its key; the rest stay missing', () => {
    const docs = withDocument(requiredDocuments('JKK', [], 0), 'KPJ_CARD', 'claims/c1/KPJ_CARD/kpj.pdf', at);
    expect(docs.find((d) => d.type === 'KPJ_CARD')).toMatchObject({
      present: true,
      key: 'claims/c1/KPJ_CARD/kpj.pdf',
      receivedAt: at,
    });
    expect(types(missing(docs))).toEqual([
      'KTP_PARTICIPANT',
      'ACCIDENT_REPORT',
      'DOCTOR_STATEMENT',
      'MEDICAL_RECEIPTS',
    ]);
  });

  it('adds a document that was not on the list, and replaces one sent again', () => {
    const start = requiredDocuments('JKK', [], 0);
    const extra = withDocument(start, 'FAMILY_CARD', 'claims/c1/FAMILY_CARD/kk.pdf', at);
    expect(extra).toHaveLength(start.length + 1);
    expect(extra.at(-1)).toMatchObject({ type: 'FAMILY_CARD', present: true, label: 'Kartu Keluarga (KK)' });
    const again = withDocument(extra, 'FAMILY_CARD', 'claims/c1/FAMILY_CARD/kk-2.pdf', at);
    expect(again).toHaveLength(extra.length);
    expect(again.at(-1)!.key).toBe('claims/c1/FAMILY_CARD/kk-2.pdf');
  });
});
