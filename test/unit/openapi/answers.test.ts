import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { claimDetail, claimRow } from '../../../functions/core/claims/use-cases/claim-views';
import { BillTally, issueBill, recordPayment } from '../../../functions/core/contributions/bill';
import {
  billDetail,
  billSummary,
  coverageHistory,
  coverageSummary,
  participantRow,
} from '../../../functions/core/contributions/contribution-views';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import {
  BillDetail,
  BillSummary,
  ClaimDetail,
  ClaimRow,
  CoverageHistory,
  CoverageSummary,
  ParticipantRow,
  ProgrammesAnswer,
  ProposalView,
} from '../../../functions/core/openapi/answers';
import { allProgrammes, findProgramme } from '../../../functions/core/programmes/catalogue';
import { impliedBudget } from '../../../functions/core/programmes/programme';
import { proposalView } from '../../../functions/core/proposals/proposal-view';
import { claim, heir } from '../claims/fixtures';
import { apply, coverage, MURUNG_KERAMAT, on, PROGRAMME, terms } from '../contributions/fixtures';
import { proposal } from '../proposals/proposal-fixture';

/**
 * Each view the read API answers with is exactly what its schema in the OpenAPI document says: the
 * schema parses it (nothing missing, no wrong type) and gives back the same JSON (nothing extra,
 * which parsing would strip). A field added to a view without its schema fails here.
 */
function conforms(schema: z.ZodType, view: unknown) {
  const sent: unknown = JSON.parse(JSON.stringify(view));
  expect(schema.parse(sent)).toEqual(sent);
}

describe('the read API answers match their schemas', () => {
  it('proposals, fresh and with everything a proposal gathers on its way', () => {
    conforms(ProposalView, proposalView(proposal(), { self: 'https://api/proposals/prp-0123456789abcdef0123' }));
    conforms(
      ProposalView,
      proposalView(
        proposal({
          status: 'FAILED',
          uploadedBy: { kind: 'user', userId: 'u1', username: 'sari', email: 's@x', grantId: 'g1' },
          reason: { code: 'BPJS_DOWN', message: 'BPJS tidak menjawab untuk 6203011506880001' },
          topIssues: [{ code: 'NIK_INVALID', rows: 2, example: 'NIK 6203011506880001 salah' }],
          bpjsRejections: [{ row: 3, nik: '6203********0001', code: 'DUPLICATE', message: 'Sudah terdaftar' }],
          enrolled: 4,
          rejectedByBpjs: 1,
          supersedes: 'prp-00000000000000000000',
          failure: { stage: 'SubmitToBpjs', previousStatus: 'APPROVED', error: 'Timeout', cause: 'x' },
          redrives: 1,
        }),
        { self: '/proposals/prp-0123456789abcdef0123' },
      ),
    );
    conforms(
      ProposalView,
      proposalView(proposal({ uploadedBy: { kind: 'aws', principal: 'arn:aws:iam::1:role/x' }, report: undefined }), {
        self: '/p',
      }),
    );
    // Judged by a recorded programme version (issue 13): the view says which.
    const judged = proposalView(proposal({ programmeVersion: 2 }), { self: '/p' });
    expect(judged.programmeVersion).toBe(2);
    conforms(ProposalView, judged);
  });

  it('programmes as GET /programmes lists them', () => {
    conforms(ProgrammesAnswer, {
      programmes: allProgrammes().map((p) => ({ ...p, approverEmail: undefined, budget: impliedBudget(p) })),
    });
  });

  it('participants: a list row, one coverage, and its months and changes', () => {
    const t = terms({ lapseAfterUnpaidMonths: 1 });
    const lived = apply(
      coverage(1),
      t,
      on.billed('2026-01'),
      on.duePassed('2026-01'),
      on.paid('2026-01', '2026-01-20'),
    );
    for (const c of [coverage(2), lived]) {
      conforms(ParticipantRow, participantRow(c));
      conforms(CoverageSummary, coverageSummary(c, findProgramme(c.programmeId), t));
      conforms(CoverageHistory, coverageHistory(c));
    }
    conforms(CoverageSummary, coverageSummary(coverage(3), undefined, undefined));
  });

  it('bills, issued and paid', () => {
    const tally = new BillTally(PROGRAMME, '2026-02');
    tally.add(coverage(1));
    tally.add(coverage(2, { villageCode: MURUNG_KERAMAT }));
    const issued = issueBill({
      programme: { id: PROGRAMME, fundingSource: 'APBD', benefits: ['JKK', 'JKM'] },
      tally,
      terms: terms(),
      holidays: indonesianHolidays,
      issuedAt: '2026-02-01T00:05:00.000Z',
    })!;
    const { bill: paid } = recordPayment(
      issued,
      {
        bankReference: 'BKD-001',
        amount: issued.amount,
        paidOn: '2026-02-10',
        proofKey: 'bills/x/2026-02/payments/BKD-001/slip.pdf',
        recordedAt: '2026-02-10T03:00:00.000Z',
        recordedBy: 'finance:bendahara',
      },
      '2026-02-10',
    );
    // Issued under a recorded programme version (issue 13), and one from before versions.
    const versioned = { ...issued, programmeVersion: 3 };
    expect(billDetail(versioned).programmeVersion).toBe(3);
    for (const b of [issued, paid, versioned]) {
      conforms(BillSummary, billSummary(b));
      conforms(BillDetail, billDetail(b));
    }
  });

  it('claims, masked and whole, paid', () => {
    const paid = claim({
      heirs: [heir(1, 'SPOUSE', { recipient: true }), heir(2, 'CHILD')],
      status: 'PAID',
      payouts: [
        {
          heirNik: heir(1, 'SPOUSE').nik,
          amount: 42_000_000,
          paidOn: '2026-04-02',
          bankReference: 'TRF-1',
          recordedAt: '2026-04-02T05:00:00Z',
        },
      ],
      bpjs: { reference: 'BPJS-1', classification: 'JKM', submittedAt: '2026-03-20T00:00:00Z' },
      decisions: [{ action: 'VERIFIED', by: 'verifier:v', at: '2026-03-15T00:00:00Z' }],
    });
    // Filed under a recorded programme version (issue 13), and one from before versions.
    const versioned = claim({ programmeVersion: 2 });
    expect(claimDetail(versioned, false).programmeVersion).toBe(2);
    for (const c of [claim(), paid, versioned]) {
      conforms(ClaimRow, claimRow(c));
      conforms(ClaimDetail, claimDetail(c, true));
      conforms(ClaimDetail, claimDetail(c, false));
    }
  });
});
