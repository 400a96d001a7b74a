import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClaimFiling, type Claim } from '../../../../functions/core/claims/claim';
import { ClaimSettings } from '../../../../functions/core/claims/claim-settings';
import { checkBpjsClaim } from '../../../../functions/core/claims/use-cases/check-bpjs-claim';
import { fileClaim } from '../../../../functions/core/claims/use-cases/file-claim';
import { recordClaimPayout } from '../../../../functions/core/claims/use-cases/record-claim-payout';
import { requestClaimApproval } from '../../../../functions/core/claims/use-cases/request-claim-approval';
import { submitClaimToBpjs } from '../../../../functions/core/claims/use-cases/submit-claim-to-bpjs';
import { indonesianHolidays } from '../../../../functions/core/contributions/holidays';
import { findProgramme } from '../../../../functions/core/programmes/catalogue';
import { catalogueOf } from '../../../../functions/core/programmes/catalogue-snapshot';
import type { Programme } from '../../../../functions/core/programmes/programme';
import { programmesNow } from '../../../../functions/handlers/programme-lookup';
import { approvalPolicy, dinasSosial } from '../../../../functions/wiring/claims';
import { MemoryCoverageStore } from '../../contributions/fakes';
import { coverage, PROGRAMME } from '../../contributions/fixtures';
import { FakeClaimsWorkflow, MemoryClaimStore, person } from '../api-fakes';
import { heir, PARTICIPANT_NIK } from '../fixtures';
import { FakeBpjsClaims, FakeMailer, withAllDocuments } from './workflow-fakes';

/**
 * Kapuas's APBD programme as shipped (version 1), and after Dinas Sosial edited it: a new head of the
 * office, and a higher income bracket, which would double a JKK death benefit (48 x income).
 */
const v1 = findProgramme(PROGRAMME)!;
const v2: Programme = {
  ...v1,
  version: 2,
  approverEmail: 'kepala.baru@kapuaskab.go.id',
  declaredMonthlyIncome: 2_000_000,
};
const OPS = 'dinsos@kapuaskab.go.id';
const SECOND = 'sekretaris.dinsos@kapuaskab.go.id';

const beforeTheEdit = () => programmesNow(async () => catalogueOf([v1]));
const afterTheEdit = () => programmesNow(async () => catalogueOf([v1, v2]));

beforeEach(() => {
  vi.stubEnv('OPS_EMAIL', OPS);
  vi.stubEnv('CLAIM_SECOND_APPROVER_EMAIL', SECOND);
});
afterEach(() => vi.unstubAllEnvs());

/** A JKK death claim filed while version 1 was current, then verified: what the later steps find. */
async function filedUnderVersion1() {
  const coverages = new MemoryCoverageStore();
  const c = { ...coverage(1, { nik: PARTICIPANT_NIK }), kpj: '26010000001' };
  coverages.items.set(`${c.programmeId}#${c.nik}`, c);
  const claims = new MemoryClaimStore();
  const result = await fileClaim(
    {
      coverages,
      participants: { get: async () => undefined },
      claims,
      workflow: new FakeClaimsWorkflow(),
      ...(await beforeTheEdit()),
      settingsFor: () => ClaimSettings.parse({}),
      newId: () => 'KLM-1',
      now: () => new Date('2026-03-11T03:00:00Z'),
    },
    {
      filing: ClaimFiling.parse({
        nik: PARTICIPANT_NIK,
        type: 'JKK_DEATH',
        eventDate: '2026-03-10',
        description: 'Meninggal dunia karena kecelakaan kerja di kebun.',
        heirs: [heir(1, 'SPOUSE')],
      }),
      principal: person('operator', 'sari'),
    },
  );
  if (!result.ok) throw new Error(`filing refused: ${result.message}`);
  const verified: Claim = withAllDocuments({
    ...result.claim,
    status: 'AWAITING_APPROVAL',
    decisions: [{ action: 'VERIFIED', by: 'verifier:kasi@kapuaskab.go.id', at: '2026-03-12T00:00:00Z' }],
  });
  claims.items.set('KLM-1', { ...verified, version: 2 });
  return { claims, filed: result.claim };
}

describe('a claim after its filing is judged by the programme version it recorded', () => {
  it('records version 1 and the income of version 1 at filing', async () => {
    const { filed } = await filedUnderVersion1();
    expect(filed).toMatchObject({ programmeVersion: 1, declaredIncome: 1_000_000 });
    expect(filed.benefit!.total).toBe(70_000_000);
  });

  it("asks version 1's approver, submits version 1's amount and tells version 1's Dinas Sosial it is paid", async () => {
    const { claims } = await filedUnderVersion1();
    const { findProgramme: judgedBy } = await afterTheEdit();
    const mailer = new FakeMailer();
    const workflow = new FakeClaimsWorkflow();
    const now = () => new Date('2026-03-12T03:00:00Z');

    await requestClaimApproval(
      { claims, mailer, workflow, apiUrl: 'https://api.example/', now, approvalPolicy: approvalPolicy()(judgedBy) },
      { claimId: 'KLM-1', taskToken: 't1' },
    );
    expect((await claims.get('KLM-1'))!.approval!.links.map((l) => l.approver)).toEqual([v1.approverEmail, SECOND]);
    expect(mailer.sent.flatMap((m) => m.to)).not.toContain(v2.approverEmail);

    // Both approved (by hand here: the decision's own tests cover the link), then to BPJS and paid.
    const asked = (await claims.get('KLM-1'))!;
    claims.items.set('KLM-1', {
      ...asked,
      waiting: undefined,
      decisions: [
        ...asked.decisions,
        { action: 'APPROVED', by: `approver:${v1.approverEmail}`, at: '2026-03-12T04:00:00Z' },
        { action: 'APPROVED', by: `approver:${SECOND}`, at: '2026-03-12T05:00:00Z' },
      ],
    });
    const bpjs = new FakeBpjsClaims();
    const steps = {
      claims,
      bpjs,
      mailer,
      holidays: indonesianHolidays,
      bpjsPromiseWorkingDays: 3,
      apiUrl: 'https://api.example/',
      opsEmail: OPS,
      dinasSosial: dinasSosial()(judgedBy),
      coverages: { get: async () => undefined, byNik: async () => [], update: async () => ({}) as never },
      termsFor: () => ({}) as never,
      now,
    };
    await submitClaimToBpjs(steps, { claimId: 'KLM-1' });
    expect(bpjs.submissions[0]!.amountRequested).toBe(70_000_000);

    const payout = { heirNik: heir(1, 'SPOUSE').nik, amount: 70_000_000, paidOn: '2026-03-20', bankReference: 'TRF-1' };
    bpjs.status = { status: 'PAID', payout, decidedAt: '2026-03-19T00:00:00Z' };
    await checkBpjsClaim(steps, { claimId: 'KLM-1' });
    await recordClaimPayout(steps, { claimId: 'KLM-1' });
    const paid = mailer.sent.find((m) => m.subject.includes('telah dibayarkan'))!;
    expect(paid.to).toContain(v1.approverEmail);
    expect(paid.to).not.toContain(v2.approverEmail);
  });

  it('a claim from before versions (none recorded) is judged by the current version', async () => {
    const { claims } = await filedUnderVersion1();
    const { programmeVersion: _, ...older } = (await claims.get('KLM-1'))!;
    claims.items.set('KLM-1', older);
    const { findProgramme: judgedBy } = await afterTheEdit();

    expect(approvalPolicy()(judgedBy)(older).approvers).toEqual([v2.approverEmail, SECOND]);
    expect(dinasSosial()(judgedBy)(older)).toEqual([OPS, v2.approverEmail]);
  });

  it('a recorded version the catalogue lacks fails the step loudly, not a claim sent to nobody', async () => {
    const { claims } = await filedUnderVersion1();
    const claim = { ...(await claims.get('KLM-1'))!, programmeVersion: 7 };
    const { findProgramme: judgedBy } = await afterTheEdit();
    expect(() => approvalPolicy()(judgedBy)(claim)).toThrow(/version 7 is not in the catalogue/);
    expect(() => dinasSosial()(judgedBy)(claim)).toThrow(/version 7 is not in the catalogue/);
  });
});
