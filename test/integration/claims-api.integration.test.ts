import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log';
import { DynamoDbCoverageStore } from '../../functions/adapters/dynamodb-coverage-store';
import { openCoverage } from '../../functions/core/contributions/coverage';
import { api, nik, startTestStack, waitForMail, type Caller, type TestStack } from '../support/local-stack';
import { stackDocumentClient, stackTable } from '../support/stack-tables';

// Claims through the local stack, as each role reaches them: filing, who may do what, masking, the
// documents going to S3, the verifier's check and the approver's link.
const programmeId = 'kapuas-2026-apbd';
const mine = '62.03.01.2011'; // the demo operator's village
const neighbour = '62.03.02.2006'; // a Kapuas village that is not theirs
const deceased = nik('03-04-1984', 'L', 701);
const elsewhere = nik('21-01-1979', 'L', 702);
const widow = nik('09-10-1986', 'P', 703);
const ACCOUNT = '0012010098765';

let stack: TestStack;
let db: DynamoDBDocumentClient;
let tables: { coverage: string; audit: string };
let claimId: string;

const filing = (over: Record<string, unknown> = {}) => ({
  nik: deceased,
  type: 'JKM',
  eventDate: '2026-11-20',
  description: 'Meninggal dunia di rumah karena sakit jantung.',
  heirs: [
    {
      nik: widow,
      name: 'Siti Aminah',
      relationship: 'SPOUSE',
      recipient: true,
      bankAccount: { bank: 'BRI', number: ACCOUNT, holder: 'Siti Aminah' },
    },
  ],
  ...over,
});

const post = (path: string, body: unknown, as: Caller) =>
  api(stack, path, {
    as,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function waitForClaim(id: string, statuses: string[], timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  let last: { status?: string } = {};
  while (Date.now() < deadline) {
    last = (await api(stack, `/claims/${id}`, { as: 'verifier' })).body;
    if (last.status && statuses.includes(last.status)) return last;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Claim ${id} did not reach ${statuses.join('/')}; last seen ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  stack = await startTestStack();
  db = stackDocumentClient(stack);
  tables = { coverage: stackTable(stack, /coverage/i), audit: stackTable(stack, /^audit/i) };
  // The coverage enrollment opens (contributions-api.integration.test.ts goes through enrollment for it).
  const coverages = new DynamoDbCoverageStore(db, tables);
  const open = (n: string, villageCode: string, kpj: string) =>
    coverages.create({
      ...openCoverage(
        { programmeId, nik: n, villageCode, start: '2026-01-01', end: '2026-12-31' },
        '2025-12-20T03:00:00Z',
      ),
      kpj,
    });
  await open(deceased, mine, '26010000701');
  await open(elsewhere, neighbour, '26010000702');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('filing', () => {
  it('answers a stranger 401 and runs nothing', async () => {
    expect((await post('/claims', filing(), 'anonymous')).status).toBe(401);
    expect((await api(stack, '/claims/clm-00000000000000000000', { as: 'anonymous' })).status).toBe(401);
  });

  it('refuses the roles that do not file (403)', async () => {
    for (const as of ['approver', 'finance', 'auditor', 'admin'] as Caller[]) {
      expect((await post('/claims', filing(), as)).status, as).toBe(403);
    }
  });

  it('files the operator’s claim: the required documents in Indonesian, waiting for them', async () => {
    const res = await post('/claims', filing(), 'operator');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    claimId = res.body.id;
    expect(claimId).toMatch(/^clm-[0-9a-f]{20}$/);
    expect(res.body).toMatchObject({ status: 'WAITING_FOR_DOCUMENTS', villageCode: mine, type: 'JKM' });
    expect(res.body.benefit.total).toBe(42_000_000);
    const docs = res.body.requiredDocuments as { type: string; label: string; present: boolean }[];
    expect(docs.find((d) => d.type === 'DEATH_CERTIFICATE')).toMatchObject({
      label: expect.stringMatching(/kematian/),
      present: false,
    });
    expect(docs.some((d) => d.type === 'MARRIAGE_BOOK')).toBe(true);
  });

  it('does not tell the operator that a neighbour village’s person is a participant (422, nothing recorded)', async () => {
    const res = await post('/claims', filing({ nik: elsewhere }), 'operator');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'NOT_A_PARTICIPANT', message: expect.stringMatching(/tidak terdaftar/) });
  });

  it('refuses a second death claim on the same person, recorded with the reason in Indonesian', async () => {
    const res = await post('/claims', filing(), 'verifier');
    expect(res.status).toBe(422);
    expect(res.body.status).toBe('REFUSED');
    expect(res.body.message).toMatch(/sudah punya klaim kematian/);
  });
});

describe('reading a claim', () => {
  it('masks the heir’s account and NIKs for the operator and finance, whole for the verifier, approver and auditor', async () => {
    for (const as of ['operator', 'finance', 'admin', 'verifier', 'approver', 'auditor'] as Caller[]) {
      const res = await api(stack, `/claims/${claimId}`, { as });
      expect(res.status, as).toBe(200);
      const whole = ['verifier', 'approver', 'auditor'].includes(as);
      const heir = res.body.heirs[0];
      expect(heir.bankAccount.number, as).toBe(whole ? ACCOUNT : '*********8765');
      expect(heir.nik, as).toBe(whole ? widow : `${widow.slice(0, 4)}********${widow.slice(12)}`);
      expect(JSON.stringify(res.body).includes(ACCOUNT), as).toBe(whole);
      expect(JSON.stringify(res.body)).not.toMatch(/taskToken|"approval"|"waiting"/);
    }
  });

  it('records every opening on the claim’s trail: who, whether whole, from where', async () => {
    const opened = (await new DynamoDbAuditLog(db, tables.audit).byEntity(`claim#${claimId}`)).filter(
      (e) => e.action === 'CLAIM_OPENED',
    );
    expect(opened.length).toBeGreaterThanOrEqual(6);
    expect(opened.find((e) => e.actor === 'operator:operator-pulau-telo')?.details).toMatchObject({ whole: false });
    expect(opened.find((e) => e.actor === 'auditor:auditor-inspektorat')?.details).toMatchObject({ whole: true });
  });

  it('lists the village’s claims with NIKs masked; the whole programme only regency-wide', async () => {
    const list = await api(stack, `/claims?programmeId=${programmeId}&villageCode=${mine}`, { as: 'operator' });
    expect(list.status).toBe(200);
    expect(list.body.claims.map((c: { id: string }) => c.id)).toContain(claimId);
    expect(JSON.stringify(list.body)).not.toContain(deceased);
    expect((await api(stack, `/claims?programmeId=${programmeId}`, { as: 'operator' })).status).toBe(403);
    expect(
      (await api(stack, `/claims?programmeId=${programmeId}&villageCode=${neighbour}`, { as: 'operator' })).status,
    ).toBe(403);
    expect(
      (await api(stack, `/claims?programmeId=${programmeId}`, { as: 'auditor' })).body.claims.length,
    ).toBeGreaterThan(0);
    expect((await api(stack, `/claim-totals?programmeId=${programmeId}`, { as: 'finance' })).status).toBe(200);
  });

  it('hides another village’s claim from the operator (404)', async () => {
    expect((await api(stack, '/claims/clm-ffffffffffffffffffff', { as: 'operator' })).status).toBe(404);
  });
});

describe('documents, verification and approval', () => {
  it('lets only the verifier verify, and not before the documents are in', async () => {
    expect((await post(`/claims/${claimId}/verify`, {}, 'operator')).status).toBe(403);
    expect((await post(`/claims/${claimId}/verify`, {}, 'approver')).status).toBe(403);
    const early = await post(`/claims/${claimId}/verify`, {}, 'verifier');
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/Dokumen belum lengkap/);
  });

  it('takes each document through a presigned PUT to claims/<id>/<type>/, and the claim goes to the verifier', async () => {
    const claim = (await api(stack, `/claims/${claimId}`, { as: 'operator' })).body;
    for (const doc of claim.requiredDocuments as { type: string }[]) {
      const grant = await post(
        `/claims/${claimId}/documents`,
        { documentType: doc.type, fileName: `${doc.type.toLowerCase()}.pdf` },
        'operator',
      );
      expect(grant.status, JSON.stringify(grant.body)).toBe(201);
      expect(grant.body.key).toBe(`claims/${claimId}/${doc.type}/${doc.type.toLowerCase()}.pdf`);
      const put = await fetch(grant.body.url, { method: 'PUT', headers: grant.body.headers, body: '%PDF-1.4 test' });
      expect(put.ok).toBe(true);
    }
    expect(
      (await post(`/claims/${claimId}/documents`, { documentType: 'NPWP', fileName: 'x.pdf' }, 'approver')).status,
    ).toBe(403);
    await waitForClaim(claimId, ['AWAITING_VERIFICATION']);
  }, 90_000);

  it('opens a received document through a one-minute link for whom may check it, each opening recorded', async () => {
    const path = `/claims/${claimId}/documents/DEATH_CERTIFICATE`;
    expect((await api(stack, path, { as: 'finance' })).status).toBe(403);
    const link = await api(stack, path, { as: 'verifier' });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    expect(await (await fetch(link.body.url)).text()).toBe('%PDF-1.4 test');
    const events = await new DynamoDbAuditLog(db, tables.audit).byEntity(`claim#${claimId}`);
    expect(events).toContainEqual(
      expect.objectContaining({ action: 'CLAIM_DOCUMENT_OPENED', actor: 'verifier:verifikator-dinsos' }),
    );
  });

  it('records the verifier’s check; the verifier may not approve their own claim', async () => {
    const verified = await post(`/claims/${claimId}/verify`, { note: 'Dokumen sesuai.' }, 'verifier');
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.status).toBe('AWAITING_APPROVAL');
    expect((await post(`/claims/${claimId}/approve`, {}, 'verifier')).status).toBe(403);
    const claim = (await api(stack, `/claims/${claimId}`, { as: 'auditor' })).body;
    expect(claim.decisions).toContainEqual(
      expect.objectContaining({
        action: 'VERIFIED',
        by: 'verifier:verifikator@dinsos-kapuas.local',
        reason: 'Dokumen sesuai.',
      }),
    );
  });

  it('the approver decides through the mailed link: a wrong code is refused, the right one recorded', async () => {
    const pattern = new RegExp(`(http\\S+/claim-approvals/${claimId}\\?code=([\\w-]+))`);
    const mail = await waitForMail(stack, (m) => pattern.test(m.text), 45_000);
    const code = mail.text.match(pattern)![2]!;
    const page = await api(stack, `/claim-approvals/${claimId}?code=${code}`, { as: 'anonymous' });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('Setujui klaim');
    expect(String(page.body)).not.toContain(ACCOUNT);
    const form = (c: string) => ({
      as: 'anonymous' as const,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: c, decision: 'APPROVED' }).toString(),
    });
    expect((await api(stack, `/claim-approvals/${claimId}`, form('not-the-code'))).status).toBe(403);
    const decided = await api(stack, `/claim-approvals/${claimId}`, form(code));
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const claim = (await api(stack, `/claims/${claimId}`, { as: 'auditor' })).body;
    expect(claim.decisions).toContainEqual(
      expect.objectContaining({ action: 'APPROVED', by: expect.stringMatching(/^approver:/) }),
    );
  }, 60_000);
});
