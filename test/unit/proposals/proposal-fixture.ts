import { Proposal } from '../../../functions/core/proposals/proposal';

/** A proposal as the workflow stores it, parsed by the real schema; override what a test is about. */
export function proposal(overrides: Record<string, unknown> = {}): Proposal {
  return Proposal.parse({
    id: 'prp-0123456789abcdef0123',
    status: 'AWAITING_APPROVAL',
    programmeId: 'kapuas-2026-apbd',
    villageCode: '62.03.01.2011',
    fileName: 'usulan.xlsx',
    upload: { bucket: 'jaring-uploads', key: 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx', versionId: 'v1' },
    uploadKey: 'proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx',
    operatorEmail: 'operator@desa.example',
    counts: { rows: 12, valid: 9, invalid: 3, overQuota: 0, warnings: 1 },
    report: {
      json: 'reports/prp-0123456789abcdef0123/report.json',
      xlsx: 'reports/prp-0123456789abcdef0123/report.xlsx',
    },
    approval: {
      code: 'secret-approval-code-42',
      taskToken: 'AAAA-task-token-secret',
      requestedAt: '2026-02-12T03:15:00Z',
      expiresAt: '2026-02-26T03:15:00Z',
    },
    sourceEvent: { 'detail-type': 'Object Created' },
    createdAt: '2026-02-12T03:14:15Z',
    updatedAt: '2026-02-12T03:15:00Z',
    ...overrides,
  });
}
