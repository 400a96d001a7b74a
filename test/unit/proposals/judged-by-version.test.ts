import { describe, expect, it } from 'vitest';
import { ClaimFiling } from '../../../functions/core/claims/claim';
import { ClaimSettings } from '../../../functions/core/claims/claim-settings';
import { fileClaim } from '../../../functions/core/claims/use-cases/file-claim';
import { Bill, BillTally, issueBill } from '../../../functions/core/contributions/bill';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import type { Programme } from '../../../functions/core/programmes/programme';
import { registerUpload } from '../../../functions/core/proposals/use-cases/register-upload';
import { requestApproval } from '../../../functions/core/proposals/use-cases/request-approval';
import { findVillage } from '../../../functions/core/regions/villages';
import { programmesNow } from '../../../functions/handlers/programme-lookup';
import type { ProgrammeCatalogue } from '../../../functions/ports/programme-store';
import { FakeClaimsWorkflow, MemoryClaimStore, person } from '../claims/api-fakes';
import { heir, PARTICIPANT_NIK } from '../claims/fixtures';
import { MemoryCoverageStore } from '../contributions/fakes';
import { coverage, PROGRAMME, terms } from '../contributions/fixtures';
import { MemoryObjects } from './fakes';
import { proposal } from './proposal-fixture';
import { world } from './world';

/** Kapuas's APBD programme as shipped (version 1), and the same programme after Dinas Sosial edited it. */
const v1 = findProgramme(PROGRAMME)!;
const v2: Programme = { ...v1, version: 2, approverEmail: 'kepala.baru@kapuaskab.go.id', approvalTimeoutDays: 5 };

/** A catalogue holding both versions, the edit being the current one: what the store's snapshot answers. */
const catalogue: ProgrammeCatalogue = {
  find: (id) => (id === v2.id ? v2 : undefined),
  version: (id, version) => [v1, v2].find((p) => p.id === id && p.version === version),
  all: () => [v2],
};
const lookup = () => programmesNow(async () => catalogue);

describe('the programme version a record is judged by', () => {
  it('is recorded on a proposal at registration: the version current when it arrived', async () => {
    const w = world();
    const key = `proposals/${PROGRAMME}/62.03.01.2011/usulan.csv`;
    const uploads = new MemoryObjects();
    uploads.putVersion({ key, versionId: 'v-1' }, 'NIK;Nama Lengkap\n');
    const registered = await registerUpload(
      {
        proposals: w.proposals,
        uploads,
        grants: { put: async () => undefined, get: async () => undefined },
        findVillage,
        now: w.now,
        ...(await lookup()),
      },
      {
        'detail-type': 'Object Created',
        source: 'aws.s3',
        time: '2026-03-02T01:00:00Z',
        detail: { bucket: { name: 'uploads' }, object: { key, 'version-id': 'v-1', sequencer: '0A1' } },
      },
    );
    expect(registered.accepted).toBe(true);
    expect(await w.proposals.get(registered.proposalId)).toMatchObject({ programmeId: PROGRAMME, programmeVersion: 2 });
  });

  it("judges a proposal's later stages by the version it recorded, and one without a version by the current", async () => {
    const w = world('2026-03-03T01:00:00.000Z');
    const { findProgramme: judgedBy } = await lookup();
    const waiting = { status: 'VALIDATED', approval: undefined, programmeId: PROGRAMME };
    w.proposals.put(proposal({ ...waiting, id: 'prp-00000000000000000001', programmeVersion: 1 }));
    w.proposals.put(proposal({ ...waiting, id: 'prp-00000000000000000002' }));

    for (const id of ['prp-00000000000000000001', 'prp-00000000000000000002'])
      await requestApproval({ ...w.deps, findProgramme: judgedBy }, { proposalId: id, taskToken: `token-${id}` });

    // Registered under version 1: its approver and its 14 days, though the programme has changed since.
    expect(w.sent[0]!.to).toContain(v1.approverEmail);
    expect((await w.proposals.get('prp-00000000000000000001'))!.approval!.expiresAt).toBe('2026-03-17T01:00:00.000Z');
    // From before versions: the programme as it stands.
    expect(w.sent[1]!.to).toContain(v2.approverEmail);
    expect((await w.proposals.get('prp-00000000000000000002'))!.approval!.expiresAt).toBe('2026-03-08T01:00:00.000Z');
  });

  it('does not fall back to the current version when the recorded one is missing', async () => {
    const w = world();
    const { findProgramme: judgedBy } = await lookup();
    w.proposals.put(proposal({ status: 'VALIDATED', approval: undefined, programmeVersion: 7 }));
    await expect(
      requestApproval({ ...w.deps, findProgramme: judgedBy }, { proposalId: proposal().id, taskToken: 't' }),
    ).rejects.toThrow(/not configured/);
    expect(w.sent).toEqual([]);
  });

  it('is recorded on a bill at issue, and a bill from before versions still reads', () => {
    const tally = new BillTally(PROGRAMME, '2026-04');
    tally.add(coverage(1));
    const bill = issueBill({
      programme: v2,
      tally,
      terms: terms(),
      holidays: indonesianHolidays,
      issuedAt: '2026-04-01T00:05:00.000Z',
    })!;
    expect(bill.programmeVersion).toBe(2);
    const { programmeVersion: _, ...older } = bill;
    expect(Bill.parse(older).programmeVersion).toBeUndefined();
  });

  it('is recorded on a claim at filing', async () => {
    const coverages = new MemoryCoverageStore();
    const c = { ...coverage(1), kpj: '26010000001' };
    coverages.items.set(`${c.programmeId}#${c.nik}`, c);
    const { findProgramme: judgedBy, allProgrammes } = await lookup();
    const result = await fileClaim(
      {
        coverages,
        participants: { get: async () => undefined },
        claims: new MemoryClaimStore(),
        workflow: new FakeClaimsWorkflow(),
        findProgramme: judgedBy,
        allProgrammes,
        settingsFor: () => ClaimSettings.parse({}),
        newId: () => 'clm-00000000000000000001',
        now: () => new Date('2026-03-11T03:00:00Z'),
      },
      {
        filing: ClaimFiling.parse({
          nik: PARTICIPANT_NIK,
          type: 'JKM',
          eventDate: '2026-03-10',
          description: 'Meninggal dunia di rumah karena sakit.',
          heirs: [heir(1, 'SPOUSE')],
        }),
        principal: person('operator', 'sari'),
      },
    );
    expect(result.ok && result.claim).toMatchObject({ programmeId: PROGRAMME, programmeVersion: 2 });
  });
});
