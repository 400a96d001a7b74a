import { beforeEach, describe, expect, it } from 'vitest';
import { ClaimFiling } from '../../../functions/core/claims/claim';
import { ClaimSettings } from '../../../functions/core/claims/claim-settings';
import { fileClaim, type FileClaimDeps } from '../../../functions/core/claims/use-cases/file-claim';
import type { Coverage } from '../../../functions/core/contributions/coverage';
import { allProgrammes, findProgramme } from '../../../functions/core/programmes/catalogue';
import { MemoryCoverageStore } from '../contributions/fakes';
import { apply, coverage, MURUNG_KERAMAT, nik, on, terms } from '../contributions/fixtures';
import { FakeClaimsWorkflow, MemoryClaimStore, person } from './api-fakes';
import { claim, heir, PARTICIPANT_NIK } from './fixtures';

const NOW = new Date('2026-03-11T03:00:00Z');
const operator = person('operator', 'sari');

let coverages: MemoryCoverageStore;
let claims: MemoryClaimStore;
let workflow: FakeClaimsWorkflow;
let deps: FileClaimDeps;
let ids: number;

function filing(over: Partial<ClaimFiling> = {}): ClaimFiling {
  return ClaimFiling.parse({
    nik: PARTICIPANT_NIK,
    type: 'JKM',
    eventDate: '2026-03-10',
    description: 'Meninggal dunia di rumah karena sakit.',
    heirs: [heir(1, 'SPOUSE')],
    ...over,
  });
}

const put = (c: Coverage) => coverages.items.set(`${c.programmeId}#${c.nik}`, c);

beforeEach(() => {
  coverages = new MemoryCoverageStore();
  claims = new MemoryClaimStore();
  workflow = new FakeClaimsWorkflow();
  ids = 0;
  deps = {
    coverages,
    participants: { get: async () => undefined },
    claims,
    workflow,
    findProgramme,
    allProgrammes,
    settingsFor: () => ClaimSettings.parse({}),
    newId: () => `clm-${String(++ids).padStart(20, '0')}`,
    now: () => NOW,
  };
  put({ ...coverage(1), kpj: '26010000001' });
});

describe('fileClaim', () => {
  it('files a JKM claim for a participant of the operator’s village: waiting for documents, workflow started', async () => {
    const result = await fileClaim(deps, { filing: filing(), principal: operator });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const c = result.claim;
    expect(c).toMatchObject({
      status: 'WAITING_FOR_DOCUMENTS',
      programmeId: 'kapuas-2026-apbd',
      villageCode: '62.03.01.2011',
      kpj: '26010000001',
      filedBy: 'operator:sari@kapuaskab.go.id',
      filerEmail: 'sari@kapuaskab.go.id',
    });
    expect(c.benefit?.total).toBe(42_000_000);
    expect(c.requiredDocuments.map((d) => d.type)).toEqual(
      expect.arrayContaining(['DEATH_CERTIFICATE', 'HEIR_STATEMENT', 'BANK_BOOK', 'MARRIAGE_BOOK']),
    );
    expect(c.requiredDocuments.every((d) => !d.present && d.label.length > 0)).toBe(true);
    expect(workflow.started).toEqual([{ name: c.id, input: { claimId: c.id } }]);
    expect(claims.audit).toEqual([expect.objectContaining({ action: 'CLAIM_FILED', entity: `claim#${c.id}` })]);
    expect(JSON.stringify(claims.audit)).not.toContain(PARTICIPANT_NIK);
  });

  it('finds the participant by KPJ among the operator’s villages', async () => {
    const result = await fileClaim(deps, {
      filing: filing({ nik: undefined, kpj: '26010000001' }),
      principal: operator,
    });
    expect(result.ok && result.claim.nik).toBe(PARTICIPANT_NIK);
  });

  it('answers NOT_A_PARTICIPANT, records nothing and starts nothing for a NIK nobody covers', async () => {
    const result = await fileClaim(deps, { filing: filing({ nik: nik(9) }), principal: operator });
    expect(result).toMatchObject({ ok: false, status: 422, code: 'NOT_A_PARTICIPANT' });
    expect(!result.ok && result.message).toMatch(/tidak terdaftar sebagai peserta/);
    expect(claims.items.size).toBe(0);
    expect(workflow.started).toEqual([]);
  });

  it('does not tell an operator that a NIK is a participant of another village', async () => {
    put(coverage(2, { villageCode: MURUNG_KERAMAT }));
    const elsewhere = person('operator', 'budi', { villages: ['62.03.01.2012'] });
    const result = await fileClaim(deps, { filing: filing(), principal: elsewhere });
    expect(result).toMatchObject({ ok: false, code: 'NOT_A_PARTICIPANT' });
  });

  it('refuses an approver, who may see the claim but not file it', async () => {
    const result = await fileClaim(deps, { filing: filing(), principal: person('approver', 'kepala') });
    expect(result).toMatchObject({ ok: false, status: 403 });
  });

  it('lets Dinas Sosial’s verifier file for any village of the regency', async () => {
    const result = await fileClaim(deps, { filing: filing(), principal: person('verifier', 'vera') });
    expect(result.ok && result.claim.filedBy).toBe('verifier:vera@kapuaskab.go.id');
  });

  it('records a death while LAPSED as REFUSED with the reason, and starts no workflow', async () => {
    const t = terms();
    put(
      apply(
        coverage(1),
        t,
        on.billed('2026-01'),
        on.paid('2026-01', '2026-01-10'),
        on.billed('2026-02'),
        on.duePassed('2026-02'),
        on.billed('2026-03'),
        on.duePassed('2026-03'),
        on.billed('2026-04'),
        on.duePassed('2026-04'),
      ),
    );
    deps.now = () => new Date('2026-05-02T03:00:00Z');
    const result = await fileClaim(deps, { filing: filing({ eventDate: '2026-04-20' }), principal: operator });
    expect(result.ok && result.claim.status).toBe('REFUSED');
    if (!result.ok) return;
    expect(result.claim.issues).toEqual([expect.objectContaining({ code: 'COVERAGE_LAPSED', severity: 'REFUSAL' })]);
    expect(result.claim.decisions).toEqual([
      expect.objectContaining({
        action: 'REFUSED',
        by: 'system:file-claim',
        reason: expect.stringMatching(/nonaktif/),
      }),
    ]);
    expect(claims.items.get(result.claim.id)?.status).toBe('REFUSED');
    expect(claims.audit[0]?.action).toBe('CLAIM_REFUSED');
    expect(workflow.started).toEqual([]);
  });

  it('flags a death in arrears for the verifier instead of refusing it', async () => {
    const t = terms();
    put(
      apply(
        coverage(1),
        t,
        on.billed('2026-01'),
        on.paid('2026-01', '2026-01-10'),
        on.billed('2026-02'),
        on.duePassed('2026-02'),
      ),
    );
    const result = await fileClaim(deps, { filing: filing({ eventDate: '2026-03-01' }), principal: operator });
    expect(result.ok && result.claim.status).toBe('WAITING_FOR_DOCUMENTS');
    if (!result.ok) return;
    expect(result.claim.decisions).toEqual([
      expect.objectContaining({ action: 'FLAGGED', reason: expect.stringMatching(/menunggak/) }),
    ]);
    expect(workflow.started).toHaveLength(1);
  });

  it('refuses a second death claim on the same person', async () => {
    await claims.create(claim({ id: 'clm-earlier', status: 'AWAITING_VERIFICATION' }), {
      action: 'CLAIM_FILED',
      actor: 't',
    });
    const result = await fileClaim(deps, { filing: filing(), principal: operator });
    expect(result.ok && result.claim.status).toBe('REFUSED');
    expect(result.ok && result.claim.issues.map((i) => i.code)).toContain('ALREADY_CLAIMED');
  });

  it('refuses the second of two death claims racing past the check, at the store’s guard', async () => {
    // The earlier claim is not in the participant's list yet (the index lags), so only the guard sees it.
    const original = claims.byParticipant.bind(claims);
    claims.byParticipant = async () => [];
    await claims.create(claim({ id: 'clm-racing', status: 'WAITING_FOR_DOCUMENTS' }), {
      action: 'CLAIM_FILED',
      actor: 't',
    });
    const result = await fileClaim(deps, { filing: filing(), principal: operator });
    claims.byParticipant = original;
    expect(result.ok && result.claim.status).toBe('REFUSED');
    expect(result.ok && result.claim.issues.at(-1)?.message).toMatch(/sudah diklaim \(klaim clm-racing\)/);
    expect(workflow.started).toEqual([]);
  });

  it('refuses an heir who is the deceased, the NIK masked in the reason', async () => {
    const result = await fileClaim(deps, {
      filing: filing({ heirs: [heir(1, 'SPOUSE', { nik: PARTICIPANT_NIK })] }),
      principal: operator,
    });
    expect(result.ok && result.claim.status).toBe('REFUSED');
    expect(JSON.stringify(result.ok && result.claim.issues)).not.toContain(PARTICIPANT_NIK);
  });

  it('starts the workflow once when a retried filing finds its execution already running', async () => {
    deps.newId = () => 'clm-00000000000000000001';
    const first = await fileClaim(deps, { filing: filing(), principal: operator });
    const again = await fileClaim(deps, { filing: filing(), principal: operator });
    expect(first.ok && first.created).toBe(true);
    expect(again.ok && again.created).toBe(false);
    expect(workflow.started).toHaveLength(1);
  });
});
