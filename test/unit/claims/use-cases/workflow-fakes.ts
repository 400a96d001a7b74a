import type {
  AmountConfirmation,
  BpjsClaimStatus,
  ClaimSubmission,
} from '../../../../functions/core/bpjs/claim-contract';
import { computeBenefit } from '../../../../functions/core/claims/benefit';
import type { Claim, ClaimType, DocumentType } from '../../../../functions/core/claims/claim';
import { requiredDocuments } from '../../../../functions/core/claims/documents';
import type { BpjsClaims } from '../../../../functions/ports/bpjs';
import type { Mail, Mailer } from '../../../../functions/ports/mailer';

const DECEASED = '6203011205850001';
export const CHILD = '6203014404050061';
const SIBLING = '6203014303800041';

/** A claim as the filing leaves it: heirs (a sibling listed before the child, who is paid), benefit, checklist. */
export function filedClaim(over: Partial<Claim> = {}, type: ClaimType = 'JKM'): Claim {
  const benefit = computeBenefit({ type, eventDate: '2026-11-20', declaredIncome: 1_000_000, paidMonths: 11 });
  const heirs: Claim['heirs'] = [
    {
      nik: SIBLING,
      name: 'Siti Saudara',
      relationship: 'SIBLING',
      recipient: false,
      bankAccount: { bank: 'BRI', number: '111001', holder: 'Siti Saudara' },
    },
    {
      nik: CHILD,
      name: 'Rina Anak',
      relationship: 'CHILD',
      recipient: false,
      bankAccount: { bank: 'Bank Kalteng', number: '222001', holder: 'Rina Anak' },
    },
  ];
  return {
    id: 'KLM-1',
    programmeId: 'kapuas-2026-apbd',
    nik: DECEASED,
    kpj: 'KPJ-0001',
    villageCode: '62.03.01.2011',
    type,
    eventDate: '2026-11-20',
    description: 'Meninggal dunia di rumah karena sakit.',
    declaredIncome: 1_000_000,
    heirs,
    status: 'WAITING_FOR_DOCUMENTS',
    issues: [],
    requiredDocuments: requiredDocuments(type, heirs, benefit.total),
    benefit,
    decisions: [],
    payouts: [],
    filedBy: 'operator:operator@desa.go.id',
    filedAt: '2026-11-21T01:00:00.000Z',
    updatedAt: '2026-11-21T01:00:00.000Z',
    filerEmail: 'operator@desa.go.id',
    ...over,
  };
}

/** Every document on the checklist received. */
export const withAllDocuments = (c: Claim, except: DocumentType[] = []): Claim => ({
  ...c,
  requiredDocuments: c.requiredDocuments.map((d) =>
    except.includes(d.type) ? d : { ...d, present: true, key: `claims/${c.id}/${d.type}/f.pdf`, receivedAt: c.filedAt },
  ),
});

export class FakeMailer implements Mailer {
  readonly sent: Mail[] = [];
  async send(mail: Mail) {
    this.sent.push(mail);
    return { messageId: `m-${this.sent.length}` };
  }
}

/** BPJS's claims desk, answering what the test sets; counts every call. */
export class FakeBpjsClaims implements BpjsClaims {
  readonly limits = { maxRequestsPerSecond: 10, timeoutMs: 1_000 };
  readonly submissions: ClaimSubmission[] = [];
  readonly supplied: DocumentType[] = [];
  readonly confirmations: AmountConfirmation[] = [];
  status: Partial<BpjsClaimStatus> = {};
  unavailable?: Error;

  private answer(): BpjsClaimStatus {
    if (this.unavailable) throw this.unavailable;
    return {
      bpjsClaimId: 'BPJS-1',
      reference: 'KLM-1',
      status: 'RECEIVED',
      classification: this.submissions[0]?.type ?? 'JKM',
      receivedAt: '2026-11-23T02:00:00.000Z',
      ...this.status,
    };
  }
  async submitClaim(submission: ClaimSubmission) {
    const answer = this.answer();
    this.submissions.push(submission);
    return answer;
  }
  async getClaimStatus() {
    return this.answer();
  }
  async supplyDocument(_id: string, type: DocumentType) {
    this.supplied.push(type);
    return this.answer();
  }
  async confirmAmount(_id: string, confirmation: AmountConfirmation) {
    this.confirmations.push(confirmation);
    return this.answer();
  }
}
