import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbClaimStore } from '../../functions/adapters/dynamodb-claim-store';
import { DynamoDbCoverageStore } from '../../functions/adapters/dynamodb-coverage-store';
import type { ClaimStatus, DocumentType } from '../../functions/core/claims/claim';
import { jakartaDate } from '../../functions/core/contributions/calendar';
import type { StoredClaim } from '../../functions/ports/claim-store';
import {
  api,
  approvalLink,
  bpjsFaults,
  decide,
  mails,
  nik,
  proposalCsv,
  portsOf,
  startTestStack,
  upload,
  uploadAsOperator,
  waitForMail,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

/**
 * Issue 10's "done when", on the local stack: claims filed through the API (POST /claims), their
 * documents uploaded to S3, verified in the console, approved through the mailed links, decided and
 * paid by the BPJS sandbox, with the claims workflow carrying each one. Waits poll the claim until it
 * reaches a status; nothing sleeps a fixed time.
 */

const PROGRAMME = 'kapuas-2026-apbd';
const VILLAGE = '62.03.01.2011';
const OPERATOR = 'operator@desa-pulau-telo.local';
const VERIFIER = 'verifikator@dinsos-kapuas.local';
/** The programme's approver (catalogue.ts) and the second approver (the stack's opsEmail). */
const APPROVERS = ['kepala.dinsos@kapuaskab.go.id', 'dinsos@jaring.example.go.id'];

let stack: TestStack;
let sfn: SFNClient;
let claims: DynamoDbClaimStore;
let coverages: DynamoDbCoverageStore;
const people = [1, 2, 3, 4, 5, 6, 7].map((serial) => nik('12-05-1985', 'L', serial));
const [paidUp, missingCertificate, verifiedByMe, jkkDeath, reclassified, acrossRestart] = people as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const today = jakartaDate(new Date());

const heirsOf = (deceased: string) => {
  const serial = Number(deceased.slice(-2));
  const sibling = nik('03-03-1980', 'P', 40 + serial);
  const child = nik('04-04-2005', 'P', 60 + serial);
  return {
    child,
    heirs: [
      // Listed first, but a sibling ranks below a child (Permenaker 4/2023 Ps. 57(4)): the child is paid.
      {
        nik: sibling,
        name: 'Siti Saudara',
        relationship: 'SIBLING',
        bankAccount: { bank: 'BRI', number: `11100${serial}`, holder: 'Siti Saudara' },
      },
      {
        nik: child,
        name: 'Rina Anak',
        relationship: 'CHILD',
        bankAccount: { bank: 'Bank Kalteng', number: `22200${serial}`, holder: 'Rina Anak' },
      },
    ],
  };
};

async function fileClaim(body: Record<string, unknown>) {
  return api(stack, '/claims', {
    as: 'operator',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ programmeId: PROGRAMME, description: 'Meninggal dunia di rumah karena sakit.', ...body }),
  });
}

/** Files a death claim for an enrolled participant and answers its id. */
async function fileDeath(deceased: string, type: 'JKM' | 'JKK_DEATH' = 'JKM') {
  const filed = await fileClaim({ nik: deceased, type, eventDate: today, heirs: heirsOf(deceased).heirs });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  return filed.body.id as string;
}

/** A document as the operator uploads it: a presigned PUT from the API, to claims/<id>/<type>/<file>. */
async function uploadDocument(claimId: string, documentType: DocumentType) {
  const granted = await api(stack, `/claims/${claimId}/documents`, {
    as: 'operator',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ documentType, fileName: `${documentType.toLowerCase()}.pdf` }),
  });
  expect(granted.status, JSON.stringify(granted.body)).toBe(201);
  expect(granted.body.key).toBe(`claims/${claimId}/${documentType}/${documentType.toLowerCase()}.pdf`);
  const put = await fetch(granted.body.url, {
    method: 'PUT',
    headers: granted.body.headers,
    body: Buffer.from(`%PDF-1.4 ${documentType}`),
  });
  expect(put.ok, await put.text()).toBe(true);
}

async function uploadAll(claimId: string, except: DocumentType[] = []) {
  const c = (await claims.get(claimId))!;
  for (const d of c.requiredDocuments.filter((doc) => !except.includes(doc.type)))
    await uploadDocument(claimId, d.type);
}

/** Polls the stored claim until `until` holds (the workflow moves it; nothing sleeps a fixed time). */
async function waitForClaim(id: string, until: (c: StoredClaim) => boolean, what: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let last: StoredClaim | undefined;
  while (Date.now() < deadline) {
    last = await claims.get(id);
    if (last && until(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `Claim ${id} did not become ${what}; last: ${JSON.stringify({ ...last, heirs: undefined, waiting: last?.waiting?.for })}`,
  );
}
const waitForStatus = (id: string, status: ClaimStatus, timeoutMs?: number) =>
  waitForClaim(id, (c) => c.status === status, status, timeoutMs);
/** A status and the workflow's token parked for the step that follows it. */
const waitingFor = (id: string, status: ClaimStatus, step: 'DOCUMENTS' | 'VERIFICATION' | 'APPROVAL') =>
  waitForClaim(id, (c) => c.status === status && c.waiting?.for === step, `${status} waiting for ${step}`);

const verify = (id: string) =>
  api(stack, `/claims/${id}/verify`, {
    as: 'verifier',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ note: 'Dokumen dan perhitungan sesuai.' }),
  });

/** The link mailed to one approver for a claim: `/claim-approvals/<id>?code=...`. */
async function claimApprovalCode(claimId: string, approver: string) {
  const pattern = new RegExp(`/claim-approvals/${claimId}\\?code=([\\w-]+)`);
  const mail = await waitForMail(stack, (m) => m.to.includes(approver) && pattern.test(m.text), 30_000);
  return mail.text.match(pattern)![1]!;
}
const approveByLink = (claimId: string, code: string) =>
  api(stack, `/claim-approvals/${claimId}`, {
    as: 'anonymous',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ code, decision: 'APPROVED' }).toString(),
  });

/** Verified, then approved by as many approvers as the claim's amount needs. */
async function verifyAndApprove(id: string, approvers: string[]) {
  await waitingFor(id, 'AWAITING_VERIFICATION', 'VERIFICATION');
  expect((await verify(id)).status).toBe(200);
  await waitingFor(id, 'AWAITING_APPROVAL', 'APPROVAL');
  for (const approver of approvers) {
    const code = await claimApprovalCode(id, approver);
    const decided = await approveByLink(id, code);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  }
}

/** What the BPJS sandbox holds for a claim of ours: every BPJS claim filed under its reference. */
async function bpjsClaimsFor(reference: string) {
  const all = (await (await fetch(`${stack.info.bpjs}/_sandbox/claims`)).json()) as { reference: string }[];
  return all.filter((c) => c.reference === reference);
}

/** How many requests the BPJS sandbox answered with a server error (its fault settings). */
async function bpjsErrorsServed() {
  const state = (await (await fetch(`${stack.info.bpjs}/_sandbox/state`)).json()) as { served: { errors: number } };
  return state.served.errors;
}

/** The claims workflow's executions for a claim, once none is running any more. */
async function settledExecutionsOf(claimId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mine = await executionsOf(claimId);
    if (!mine.some((e) => e.status === 'RUNNING') || Date.now() > deadline) return mine;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The claims workflow's executions for a claim (started with its id). */
async function executionsOf(claimId: string) {
  const stateMachineArn = stack.info.stepfunctions.stateMachines.claims!;
  const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
  const mine = [];
  for (const e of executions) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }));
    if ((JSON.parse(d.input ?? '{}') as { claimId?: string }).claimId === claimId) mine.push(d);
  }
  return mine;
}

beforeAll(async () => {
  // Short enough to see a reminder and the wait parked within the test (AWS: days).
  process.env.CLAIM_DOCUMENT_REMINDER_SECONDS = '3';
  stack = await startTestStack();
  const credentials = { accessKeyId: 't', secretAccessKey: 't' };
  sfn = new SFNClient({ endpoint: stack.info.stepfunctions.endpoint, region: stack.info.region, credentials });
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.info.dynamodb.endpoint, region: stack.info.region, credentials }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const { tables } = stack.info.dynamodb;
  claims = new DynamoDbClaimStore(db, { claims: tables.claims!, audit: tables.audit! });
  coverages = new DynamoDbCoverageStore(db, { coverage: tables.coverage!, audit: tables.audit! });

  // Enrolled as enrollment does it: the village's proposal, approved, registered with BPJS (the sandbox
  // then knows each KPJ, which it checks before it pays a claim).
  const fileName = 'usulan-klaim.csv';
  const csv = proposalCsv(people.map((n) => [n, 'Pekerja Desa', '12-05-1985', 'L', 'petani']));
  const key = await uploadAsOperator(stack, { programmeId: PROGRAMME, villageCode: VILLAGE, fileName }, csv);
  const waiting = await waitForProposal(stack, key, ['AWAITING_APPROVAL', 'INVALID', 'FAILED']);
  const { code } = await approvalLink(stack, waiting.id);
  expect((await decide(stack, waiting.id, code, 'APPROVED')).status).toBe(200);
  expect(await waitForProposal(stack, key, ['ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED'])).toMatchObject({
    status: 'ENROLLED',
  });
  for (const n of people) expect(await coverages.get(PROGRAMME, n)).toMatchObject({ status: 'ACTIVE' });
}, 300_000);

afterAll(async () => {
  delete process.env.CLAIM_DOCUMENT_REMINDER_SECONDS;
  await stack?.stop();
});

describe('claims workflow on the local stack', () => {
  it('pays a JKM claim with every document Rp42,000,000 in its three parts to the right heir', async () => {
    const id = await fileDeath(paidUp);
    await uploadAll(id);
    await verifyAndApprove(id, [APPROVERS[0]!]);
    const paid = await waitForStatus(id, 'PAID');

    const { child } = heirsOf(paidUp);
    expect(paid.benefit).toMatchObject({ computedFor: 'JKM', total: 42_000_000 });
    expect(paid.benefit!.parts.map((p) => [p.code, p.amount])).toEqual([
      ['LUMP_SUM', 20_000_000],
      ['PERIODIC', 12_000_000],
      ['FUNERAL', 10_000_000],
    ]);
    expect(paid.payouts).toHaveLength(1);
    expect(paid.payouts[0]).toMatchObject({ heirNik: child, amount: 42_000_000, paidOn: today });
    expect(paid.payouts[0]!.bankReference).toMatch(/^TRF-/);
    expect(paid.waiting).toBeUndefined();
    // The payout step goes on after the claim is PAID (coverage, mail): let it end first.
    expect((await settledExecutionsOf(id)).map((e) => e.status)).toEqual(['SUCCEEDED']);
    // Out of the next bill: the participant is DECEASED (coverage.ts DIED).
    expect(await coverages.get(PROGRAMME, paidUp)).toMatchObject({ status: 'DECEASED' });
    // The heirs' operator and Dinas Sosial are told, with the bank reference, the NIK masked.
    const notice = await waitForMail(stack, (m) => m.subject.includes(`klaim ${id} telah dibayarkan`));
    expect(notice.to).toEqual(expect.arrayContaining([OPERATOR, APPROVERS[1], APPROVERS[0]]));
    expect(notice.text).toContain(paid.payouts[0]!.bankReference);
    expect(notice.text).toContain('Rp42.000.000');
    expect(notice.text).not.toContain(child);
    // Filed with BPJS once.
    expect(await bpjsClaimsFor(id)).toHaveLength(1);
  }, 180_000);

  it('refuses a never-enrolled person, a date outside coverage and a second death claim, saying why', async () => {
    const stranger = await fileClaim({
      nik: nik('12-05-1985', 'L', 99),
      type: 'JKM',
      eventDate: today,
      heirs: heirsOf(paidUp).heirs,
    });
    expect(stranger.status).toBe(422);
    expect(stranger.body.error).toBe('NOT_A_PARTICIPANT');
    expect(stranger.body.message).toMatch(/\w+/);

    const outside = await fileClaim({
      nik: missingCertificate,
      type: 'JKM',
      eventDate: '2025-06-01',
      heirs: heirsOf(missingCertificate).heirs,
    });
    expect(outside.status).toBe(422);
    expect(JSON.stringify(outside.body)).toContain('OUTSIDE_COVERAGE');
    expect(outside.body.message).toContain('di luar masa perlindungan');

    const second = await fileClaim({ nik: paidUp, type: 'JKM', eventDate: today, heirs: heirsOf(paidUp).heirs });
    expect(second.status).toBe(422);
    expect(JSON.stringify(second.body)).toContain('ALREADY_CLAIMED');
    expect(second.body.message).toContain('sudah punya klaim');
    // Refused claims start no workflow.
    if (second.body.id) expect(await executionsOf(second.body.id as string)).toEqual([]);
  }, 60_000);

  it('waits for a missing death certificate, reminds the operator, and resumes when the file arrives', async () => {
    const id = await fileDeath(missingCertificate);
    await uploadAll(id, ['DEATH_CERTIFICATE']);
    // Each upload is ticked off as its event arrives: wait until only the certificate is missing.
    const onlyCertificate = (c: StoredClaim) =>
      c.requiredDocuments
        .filter((d) => !d.present)
        .map((d) => d.type)
        .join() === 'DEATH_CERTIFICATE';
    const waiting = await waitForClaim(
      id,
      (c) => onlyCertificate(c) && c.status === 'WAITING_FOR_DOCUMENTS',
      'waiting for the death certificate only',
    );
    expect(waiting.status).toBe('WAITING_FOR_DOCUMENTS');
    // The reminder names what is missing; it refuses nothing.
    const reminder = await waitForMail(
      stack,
      (m) => m.subject === `[Jaring] Dokumen klaim ${id} belum lengkap`,
      30_000,
    );
    expect(reminder.to).toEqual([OPERATOR]);
    expect(reminder.text).toContain('Surat keterangan kematian');
    expect((await claims.get(id))!.status).toBe('WAITING_FOR_DOCUMENTS');

    // A direct upload to the bucket at the document's key, as the issue allows.
    await upload(stack, `claims/${id}/DEATH_CERTIFICATE/akta-kematian.pdf`, '%PDF-1.4 akta');
    const resumed = await waitingFor(id, 'AWAITING_VERIFICATION', 'VERIFICATION');
    expect(resumed.requiredDocuments.every((d) => d.present)).toBe(true);
    expect(resumed.requiredDocuments.find((d) => d.type === 'DEATH_CERTIFICATE')?.key).toBe(
      `claims/${id}/DEATH_CERTIFICATE/akta-kematian.pdf`,
    );
  }, 120_000);

  it('never lets the verifier approve the claim they verified', async () => {
    const id = await fileDeath(verifiedByMe);
    await uploadAll(id);
    await waitingFor(id, 'AWAITING_VERIFICATION', 'VERIFICATION');
    expect((await verify(id)).status).toBe(200);
    await waitingFor(id, 'AWAITING_APPROVAL', 'APPROVAL');
    // No link went to the verifier; approving from the console is refused, and nothing moved.
    await claimApprovalCode(id, APPROVERS[0]!);
    expect((await mails(stack)).some((m) => m.to.includes(VERIFIER) && m.text.includes(`/claim-approvals/${id}`))).toBe(
      false,
    );
    const own = await api(stack, `/claims/${id}/approve`, {
      as: 'verifier',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(own.status).toBe(403);
    const after = (await claims.get(id))!;
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.decisions.filter((d) => d.action === 'APPROVED')).toEqual([]);
    expect(await bpjsClaimsFor(id)).toEqual([]);
  }, 120_000);

  it('pays a JKK death at the Rp1,000,000 bracket Rp70,000,000, approved by two different approvers', async () => {
    const id = await fileDeath(jkkDeath, 'JKK_DEATH');
    expect((await claims.get(id))!.benefit!.total).toBe(70_000_000);
    await uploadAll(id);
    await verifyAndApprove(id, APPROVERS);
    const paid = await waitForStatus(id, 'PAID');
    expect(paid.approval?.approversNeeded).toBe(2);
    expect(new Set(paid.decisions.filter((d) => d.action === 'APPROVED').map((d) => d.by)).size).toBe(2);
    expect(paid.payouts).toEqual([expect.objectContaining({ heirNik: heirsOf(jkkDeath).child, amount: 70_000_000 })]);
  }, 180_000);

  it('survives BPJS outages and a reclassification (JKK death found not work-related) with one payout', async () => {
    const id = await fileDeath(reclassified, 'JKK_DEATH');
    await uploadAll(id);
    await waitingFor(id, 'AWAITING_VERIFICATION', 'VERIFICATION');
    expect((await verify(id)).status).toBe(200);
    await waitingFor(id, 'AWAITING_APPROVAL', 'APPROVAL');
    // BPJS is down while the claim is filed and while it is polled, and classifies the death as JKM.
    const errorsBefore = await bpjsErrorsServed();
    await bpjsFaults(stack, { errorRate: 1, reclassifyClaims: { [reclassified]: 'JKM' } });
    for (const approver of APPROVERS)
      expect((await approveByLink(id, await claimApprovalCode(id, approver))).status).toBe(200);
    await waitForClaim(id, (c) => c.decisions.filter((d) => d.action === 'APPROVED').length === 2, 'approved twice');
    // Outages are retried (BpjsUnavailableError), not failures: BPJS returns once it has refused the filing.
    const deadline = Date.now() + 30_000;
    while ((await bpjsErrorsServed()) === errorsBefore && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    expect(await bpjsErrorsServed()).toBeGreaterThan(errorsBefore);
    await bpjsFaults(stack, { reclassifyClaims: { [reclassified]: 'JKM' } });
    const paid = await waitForStatus(id, 'PAID', 150_000);

    expect(paid.type).toBe('JKM');
    expect(paid.benefit).toMatchObject({ computedFor: 'JKM', total: 42_000_000 });
    const why = paid.decisions.find((d) => d.action === 'RECLASSIFIED');
    expect(why).toMatchObject({ by: 'bpjs' });
    expect(why!.reason).toContain('Rp70.000.000 menjadi Rp42.000.000');
    expect(paid.payouts).toEqual([expect.objectContaining({ amount: 42_000_000 })]);
    expect(await bpjsClaimsFor(id)).toHaveLength(1);
    const told = await waitForMail(stack, (m) => m.subject === `[Jaring] Klaim ${id} digolongkan ulang oleh BPJS`);
    expect(told.to).toContain(OPERATOR);
    expect((await settledExecutionsOf(id)).map((e) => e.status)).toEqual(['SUCCEEDED']);
    await bpjsFaults(stack, {});
  }, 240_000);

  it('carries on after the local stack restarts while a claim waits for its verifier', async () => {
    const id = await fileDeath(acrossRestart);
    await uploadAll(id);
    await waitingFor(id, 'AWAITING_VERIFICATION', 'VERIFICATION');
    const before = (await claims.get(id))!.waiting!.taskToken;
    const ports = portsOf(stack.info);
    await stack.stop();

    // Same data, new services: the engine remembers no execution; the recovery function starts the claim's again.
    stack = await startTestStack(stack.home, { ports });
    expect(stack.redriven).toContain(id);
    await waitForClaim(id, (c) => c.waiting?.for === 'VERIFICATION' && c.waiting.taskToken !== before, 'waiting anew');
    await verifyAndApprove(id, [APPROVERS[0]!]);
    const paid = await waitForStatus(id, 'PAID');
    expect(paid.payouts).toEqual([
      expect.objectContaining({ heirNik: heirsOf(acrossRestart).child, amount: 42_000_000 }),
    ]);
    expect(await bpjsClaimsFor(id)).toHaveLength(1);
  }, 240_000);
});
