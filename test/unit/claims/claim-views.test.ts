import { describe, expect, it } from 'vitest';
import type { Role } from '../../../functions/core/access/principal';
import type { Claim } from '../../../functions/core/claims/claim';
import {
  claimDetail,
  claimRow,
  maskAccountNumber,
  seesBankAccounts,
} from '../../../functions/core/claims/use-cases/claim-views';
import { claimApprovalPage, claimPage } from '../../../functions/pages/claim-pages';
import { person } from './api-fakes';
import { claim, heir, heirNik, PARTICIPANT_NIK } from './fixtures';

const ACCOUNT = '001201009876';
const parked: Claim = {
  ...claim({
    id: 'clm-1',
    heirs: [heir(1, 'SPOUSE', { bankAccount: { bank: 'BRI', number: ACCOUNT, holder: 'Siti' } })],
  }),
  waiting: { for: 'APPROVAL', taskToken: 'secret-token', since: '2026-03-12T03:00:00.000Z' },
  approval: {
    requestedAt: '2026-03-12T03:00:00.000Z',
    approversNeeded: 1,
    links: [{ approver: 'kepala@kapuaskab.go.id', code: 'secret-code' }],
  },
};
const ROLES: Role[] = ['operator', 'verifier', 'approver', 'finance', 'auditor', 'admin'];
const viewAs = (role: Role) => claimDetail(parked, seesBankAccounts(person(role), parked));

describe('claim views', () => {
  it('show the heirs’ accounts and NIKs whole to the verifier, the approver and the auditor only', () => {
    for (const role of ROLES) {
      const view = viewAs(role);
      const whole = ['verifier', 'approver', 'auditor'].includes(role);
      expect(view.whole, role).toBe(whole);
      expect(view.heirs[0]!.bankAccount.number, role).toBe(whole ? ACCOUNT : '********9876');
      expect(view.heirs[0]!.nik, role).toBe(whole ? heirNik(1) : '6203********0001');
      expect(view.nik, role).toBe(whole ? PARTICIPANT_NIK : '6203********0001');
    }
  });

  it('never carry the workflow’s token or an approver’s code', () => {
    for (const role of ROLES) {
      const text = JSON.stringify(viewAs(role));
      expect(text).not.toContain('secret-token');
      expect(text).not.toContain('secret-code');
    }
    expect(viewAs('verifier').waitingFor).toBe('APPROVAL');
  });

  it('list a claim without heirs, the NIK masked', () => {
    const row = claimRow(parked);
    expect(JSON.stringify(row)).not.toContain(PARTICIPANT_NIK);
    expect(JSON.stringify(row)).not.toContain(ACCOUNT);
    expect(row).toMatchObject({ nik: '6203********0001', benefitTotal: 42_000_000, paid: 0 });
  });

  it('mask an account to its last four digits', () => {
    expect(maskAccountNumber('1234')).toBe('****');
    expect(maskAccountNumber('0012345678')).toBe('******5678');
  });

  it('render an operator’s claim page masked, with the upload form but no verifier buttons', () => {
    const page = claimPage(viewAs('operator'), { uploadDocument: '/claims/clm-1/documents' });
    expect(page).not.toContain(ACCOUNT);
    expect(page).not.toContain(PARTICIPANT_NIK);
    expect(page).toContain('********9876');
    expect(page).toContain('data-claim-document="/claims/clm-1/documents"');
    expect(page).not.toContain('Tandai terverifikasi');
    expect(page).toContain('Rp42.000.000');
  });

  it('render a verifier’s buttons carrying the version shown, so a change since refuses them', () => {
    const page = claimPage(viewAs('verifier'), { verify: '/claims/clm-1/verify', reject: '/claims/clm-1/reject' }, 7);
    expect(page).toContain('Tandai terverifikasi');
    expect(page.match(/name="version" value="7"/g)).toHaveLength(2);
    expect(page).toContain(ACCOUNT);
  });

  it('render the approval page with the link’s code only, and no NIK or account whole', () => {
    const c = { ...viewAs('operator'), status: 'AWAITING_APPROVAL' as const };
    const page = claimApprovalPage(c, { action: '/claim-approvals/clm-1', console: '/app/claims/clm-1' }, 'my-code');
    expect(page).toContain('value="my-code"');
    expect(page).toContain('Setujui klaim');
    expect(page).not.toContain(PARTICIPANT_NIK);
    expect(page).not.toContain(ACCOUNT);
  });
});
