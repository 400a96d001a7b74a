import { describe, expect, it } from 'vitest';
import { computeBenefit } from '../../../functions/core/claims/benefit';
import type { Claim, Payout } from '../../../functions/core/claims/claim';
import { ClaimSettings } from '../../../functions/core/claims/claim-settings';
import {
  approve,
  bpjsAskedForDocument,
  bpjsReclassified,
  bpjsRefused,
  ClaimTransitionError,
  documentArrived,
  payoutFailed,
  payoutRecorded,
  reject,
  statusAfterChecks,
  submitted,
  verify,
} from '../../../functions/core/claims/claim-transitions';
import { missing, requiredDocuments } from '../../../functions/core/claims/documents';
import { claim, heir, heirNik, PARTICIPANT_NIK } from './fixtures';

const settings = ClaimSettings.parse({});
const AT = '2026-03-12T03:00:00.000Z';

/** Every listed document received. */
const complete = (c: Claim): Claim => ({
  ...c,
  status: 'AWAITING_VERIFICATION',
  requiredDocuments: c.requiredDocuments.map((d) => ({ ...d, present: true, key: `claims/${c.id}/${d.type}/f.pdf` })),
});

/** A JKK death at Rp1,000,000: Rp70,000,000, above the two-approver line. */
function jkkDeath(): Claim {
  const benefit = computeBenefit({
    type: 'JKK_DEATH',
    eventDate: '2026-03-10',
    declaredIncome: 1_000_000,
    paidMonths: 4,
  });
  return claim({ type: 'JKK_DEATH', benefit });
}

function expectRefusal(move: () => unknown, code: ClaimTransitionError['code']) {
  try {
    move();
  } catch (e) {
    expect(e).toBeInstanceOf(ClaimTransitionError);
    expect((e as ClaimTransitionError).code).toBe(code);
    return;
  }
  throw new Error(`expected a ${code} ClaimTransitionError`);
}

const verified = (c: Claim) => verify(complete(c), 'sari', AT);
/** Approved by as many as the benefit needs (two above the line). */
const approved = (c: Claim) =>
  ['kepala', 'sekretaris'].reduce((acc, who) => approve(acc, who, settings, AT).claim, verified(c));
const withBpjs = (c: Claim) => submitted(approved(c), 'BPJS-0001', settings, AT);

function payout(nik: string, bankReference: string): Payout {
  return {
    heirNik: nik,
    amount: 42_000_000,
    paidOn: '2026-03-20',
    bankReference,
    recordedAt: '2026-03-20T05:00:00.000Z',
  };
}

describe('after the checks', () => {
  it('refused on any refusal; waiting while a document is missing; else ready to verify', () => {
    const docs = requiredDocuments('JKM', [heir(1, 'SPOUSE')], 42_000_000);
    const refusal = { code: 'X', message: 'x', severity: 'REFUSAL' } as const;
    const warning = { ...refusal, severity: 'WARNING' } as const;
    expect(statusAfterChecks([warning, refusal], docs)).toBe('REFUSED');
    expect(statusAfterChecks([warning], docs)).toBe('WAITING_FOR_DOCUMENTS');
    expect(
      statusAfterChecks(
        [],
        docs.map((d) => ({ ...d, present: true })),
      ),
    ).toBe('AWAITING_VERIFICATION');
  });
});

describe('documentArrived', () => {
  it('waits until the last missing document, then goes to the verifier', () => {
    let c = claim();
    const types = c.requiredDocuments.map((d) => d.type);
    for (const [i, type] of types.entries()) {
      c = documentArrived(c, type, `claims/klaim-1/${type}/f.pdf`, AT);
      expect(c.status).toBe(i < types.length - 1 ? 'WAITING_FOR_DOCUMENTS' : 'AWAITING_VERIFICATION');
    }
    expect(missing(c.requiredDocuments)).toEqual([]);
    expect(c.updatedAt).toBe(AT);
  });

  it('the same file twice changes nothing; after verification no document is taken', () => {
    const once = documentArrived(claim(), 'KPJ_CARD', 'claims/klaim-1/KPJ_CARD/f.pdf', AT);
    expect(documentArrived(once, 'KPJ_CARD', 'claims/klaim-1/KPJ_CARD/f.pdf', '2026-03-13T00:00:00.000Z')).toBe(once);
    expectRefusal(() => documentArrived(verified(claim()), 'KPJ_CARD', 'k', AT), 'WRONG_STATUS');
  });
});

describe('verify and approve (maker-checker)', () => {
  it('records the verifier and waits for approval; the filer may not verify; documents must be complete', () => {
    const c = verified(claim());
    expect(c.status).toBe('AWAITING_APPROVAL');
    expect(c.decisions).toEqual([{ action: 'VERIFIED', by: 'verifier:sari', at: AT }]);
    expectRefusal(() => verify(complete(claim()), 'Operator-Pulau-Telo', AT), 'MAKER_CHECKER');
    expectRefusal(() => verify({ ...claim(), status: 'AWAITING_VERIFICATION' }, 'sari', AT), 'INCOMPLETE');
  });

  it('the verifier cannot approve the claim, nor can the filer', () => {
    const c = verified(claim());
    expectRefusal(() => approve(c, 'sari', settings, AT), 'MAKER_CHECKER');
    expectRefusal(() => approve(c, 'SARI', settings, AT), 'MAKER_CHECKER');
    expectRefusal(() => approve(c, 'operator-pulau-telo', settings, AT), 'MAKER_CHECKER');
  });

  it('Rp42,000,000 (not above Rp50,000,000): one approver is enough', () => {
    const { claim: c, outcome } = approve(verified(claim()), 'kepala', settings, AT);
    expect(outcome).toBe('APPROVED');
    expect(c.decisions.at(-1)).toEqual({ action: 'APPROVED', by: 'approver:kepala', at: AT });
  });

  it('Rp70,000,000: two different approvers; the same one twice counts once', () => {
    const first = approve(verified(jkkDeath()), 'kepala', settings, AT);
    expect(first.outcome).toBe('NEEDS_SECOND_APPROVER');
    const again = approve(first.claim, 'kepala', settings, AT);
    expect(again).toEqual({ claim: first.claim, outcome: 'NEEDS_SECOND_APPROVER' });
    expectRefusal(() => submitted(first.claim, 'BPJS-1', settings, AT), 'INCOMPLETE');
    const second = approve(first.claim, 'sekretaris', settings, AT);
    expect(second.outcome).toBe('APPROVED');
    expect(second.claim.decisions.filter((d) => d.action === 'APPROVED')).toHaveLength(2);
    // A third click after the claim is approved adds nothing.
    expect(approve(second.claim, 'kabid', settings, AT)).toEqual({ claim: second.claim, outcome: 'APPROVED' });
  });

  it("the line is the programme's: at a Rp100,000,000 line Rp70,000,000 needs one", () => {
    const higher = ClaimSettings.parse({ twoApproversAbove: 100_000_000 });
    expect(approve(verified(jkkDeath()), 'kepala', higher, AT).outcome).toBe('APPROVED');
  });

  it('reject needs a reason and records who, by role', () => {
    expectRefusal(() => reject(verified(claim()), 'kepala', '  ', AT), 'INCOMPLETE');
    const c = reject(verified(claim()), 'kepala', 'Surat ahli waris tidak ditandatangani camat.', AT);
    expect(c.status).toBe('REJECTED');
    expect(c.decisions.at(-1)).toMatchObject({ action: 'REJECTED', by: 'approver:kepala' });
    expect(reject(complete(claim()), 'sari', 'KTP tidak terbaca.', AT).decisions.at(-1)!.by).toBe('verifier:sari');
    expectRefusal(() => reject(withBpjs(claim()), 'kepala', 'terlambat', AT), 'WRONG_STATUS');
  });
});

describe('with BPJS', () => {
  it('submitted once approved, idempotent by reference', () => {
    const c = withBpjs(claim());
    expect(c.status).toBe('SUBMITTED_TO_BPJS');
    expect(c.bpjs).toMatchObject({ reference: 'BPJS-0001', submittedAt: AT, classification: 'JKM' });
    expect(submitted(c, 'BPJS-0001', settings, AT)).toBe(c);
    expectRefusal(() => submitted(verified(claim()), 'BPJS-0001', settings, AT), 'INCOMPLETE');
  });

  it('a document BPJS asks for is awaited, then the claim goes back to BPJS, not to the verifier', () => {
    const asked = bpjsAskedForDocument(withBpjs(claim()), 'ACCIDENT_REPORT', AT);
    expect(asked.status).toBe('WAITING_FOR_DOCUMENTS');
    expect(asked.requiredDocuments.at(-1)).toMatchObject({
      type: 'ACCIDENT_REPORT',
      present: false,
      requestedByBpjs: true,
    });
    const back = documentArrived(asked, 'ACCIDENT_REPORT', 'claims/klaim-1/ACCIDENT_REPORT/f.pdf', AT);
    expect(back.status).toBe('SUBMITTED_TO_BPJS');
  });

  it('a document BPJS asks for that the claim holds is only marked for sending', () => {
    const c = withBpjs(claim());
    const asked = bpjsAskedForDocument(c, 'FAMILY_CARD', AT);
    expect(asked.status).toBe('SUBMITTED_TO_BPJS');
    expect(asked.requiredDocuments.find((d) => d.type === 'FAMILY_CARD')).toMatchObject({
      present: true,
      requestedByBpjs: true,
    });
    expect(bpjsAskedForDocument(asked, 'FAMILY_CARD', AT)).toBe(asked);
  });

  it('reclassified JKK death -> JKM: the benefit recomputed, the change explained, the checklist follows', () => {
    const c = withBpjs(jkkDeath());
    expect(c.requiredDocuments.map((d) => d.type)).toContain('NPWP');
    const r = bpjsReclassified(c, 'JKM', 4, '2026-03-25T03:00:00.000Z');
    expect(r).toMatchObject({ type: 'JKM', status: 'SUBMITTED_TO_BPJS', bpjs: { classification: 'JKM' } });
    expect(r.benefit).toMatchObject({ computedFor: 'JKM', total: 42_000_000 });
    expect(r.benefit!.scholarship!.eligible).toBe(false);
    const decision = r.decisions.at(-1)!;
    expect(decision).toMatchObject({ action: 'RECLASSIFIED', by: 'bpjs' });
    expect(decision.reason).toContain('berkurang Rp28.000.000');
    // The NPWP was received, so it stays on the record; the accident report too.
    expect(r.requiredDocuments.map((d) => d.type)).toEqual(expect.arrayContaining(['NPWP', 'ACCIDENT_REPORT']));
    expect(bpjsReclassified(r, 'JKM', 4, AT)).toBe(r);
  });

  it('reclassified JKM -> JKK death: Rp70,000,000, and the accident documents are awaited', () => {
    const r = bpjsReclassified(withBpjs(claim()), 'JKK_DEATH', 4, AT);
    expect(r.benefit!.total).toBe(70_000_000);
    expect(r.status).toBe('WAITING_FOR_DOCUMENTS');
    expect(missing(r.requiredDocuments).map((d) => d.type)).toEqual([
      'ACCIDENT_REPORT',
      'DOCTOR_STATEMENT',
      'MEDICAL_RECEIPTS',
      'NPWP',
    ]);
    expect(missing(r.requiredDocuments).every((d) => d.requestedByBpjs)).toBe(true);
  });

  it('a plain accident claim is not reclassified into a death', () => {
    const accident = withBpjs(claim({ type: 'JKK', heirs: [] }));
    expectRefusal(() => bpjsReclassified(accident, 'JKM', 0, AT), 'RECLASSIFICATION');
  });

  it('refused by BPJS with its reason, once', () => {
    const r = bpjsRefused(withBpjs(claim()), 'Peserta tidak aktif pada tanggal kejadian.', AT);
    expect(r.status).toBe('REFUSED_BY_BPJS');
    expect(r.bpjs).toMatchObject({ reason: 'Peserta tidak aktif pada tanggal kejadian.', decidedAt: AT });
    expect(bpjsRefused(r, 'Peserta tidak aktif pada tanggal kejadian.', AT)).toBe(r);
    expectRefusal(() => bpjsRefused(verified(claim()), 'x', AT), 'WRONG_STATUS');
  });
});

describe('payouts', () => {
  it('PAID when the recipient is paid; the same bank reference twice changes nothing', () => {
    const paid = payoutRecorded(withBpjs(claim()), payout(heirNik(1), 'TRF-1'));
    expect(paid.status).toBe('PAID');
    expect(paid.payouts).toHaveLength(1);
    expect(payoutRecorded(paid, payout(heirNik(1), 'TRF-1'))).toBe(paid);
  });

  it('refuses a payout to someone who is not the recipient, and a second one to the same person', () => {
    const c = withBpjs(claim({ heirs: [heir(1, 'SPOUSE'), heir(2, 'CHILD')] }));
    expectRefusal(() => payoutRecorded(c, payout(heirNik(2), 'TRF-2')), 'PAYOUT_MISMATCH');
    const two = withBpjs(
      claim({ heirs: [heir(1, 'SPOUSE', { recipient: true }), heir(2, 'CHILD', { recipient: true })] }),
    );
    const one = payoutRecorded(two, payout(heirNik(1), 'TRF-1'));
    expect(one.status).toBe('SUBMITTED_TO_BPJS');
    expectRefusal(() => payoutRecorded(one, payout(heirNik(1), 'TRF-9')), 'PAYOUT_MISMATCH');
    expect(payoutRecorded(one, payout(heirNik(2), 'TRF-2')).status).toBe('PAID');
  });

  it('an accident benefit is paid to the participant', () => {
    const c = withBpjs(claim({ type: 'JKK', heirs: [] }));
    expect(payoutRecorded(c, payout(PARTICIPANT_NIK, 'TRF-3')).status).toBe('PAID');
  });

  it('a failed transfer flags the claim and never makes it PAID; a later payout does', () => {
    const failed = payoutFailed(withBpjs(claim()), 'Rekening tidak ditemukan.', AT);
    expect(failed.status).toBe('PAYOUT_FAILED');
    expect(failed.decisions.at(-1)).toMatchObject({ action: 'FLAGGED', reason: 'Rekening tidak ditemukan.' });
    expect(payoutFailed(failed, 'Rekening tidak ditemukan.', AT)).toBe(failed);
    const paid = payoutRecorded(failed, payout(heirNik(1), 'TRF-4'));
    expect(paid.status).toBe('PAID');
    expectRefusal(() => payoutFailed(paid, 'terlambat', AT), 'WRONG_STATUS');
  });
});
