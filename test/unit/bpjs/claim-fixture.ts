import type { ClaimSubmission } from '../../../functions/core/bpjs/claim-contract';

/** A JKM claim as Jaring files it with BPJS: a widow paid the whole benefit, every document sent. */
export const submission = (over: Partial<ClaimSubmission> = {}): ClaimSubmission => ({
  reference: 'clm-0001',
  programmeId: 'kapuas-2026-apbd',
  kpj: '26000000001',
  nik: '6203011506880001',
  type: 'JKM',
  eventDate: '2026-02-20',
  description: 'Meninggal dunia di rumah karena sakit.',
  recipient: {
    nik: '6203014107900002',
    name: 'Siti Aminah',
    relationship: 'SPOUSE',
    bankAccount: { bank: 'Bank Kalteng', number: '1234567890', holder: 'Siti Aminah' },
  },
  documents: ['KPJ_CARD', 'KTP_PARTICIPANT', 'KTP_HEIR', 'FAMILY_CARD', 'DEATH_CERTIFICATE', 'HEIR_STATEMENT'],
  amountRequested: 42_000_000,
  ...over,
});
