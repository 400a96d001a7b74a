import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbQuotaLedger } from '../../functions/adapters/dynamodb-quota-ledger';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import { quotaOf } from '../../functions/core/proposals/reservations';
import {
  api,
  approvalLink,
  decide,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const SETTLED = ['AWAITING_APPROVAL', 'INVALID', 'FAILED'];

async function reportOf(p: { id: string }) {
  const res = await api(stack, `/proposals/${p.id}/report?format=json`);
  expect(res.status).toBe(302);
  return (await (await fetch(res.headers.get('location')!)).json()) as {
    counts: Record<string, number>;
    rows: { row: number; status: string; errors: { code: string; message: string }[]; warnings: { code: string }[] }[];
  };
}

async function reportWorkbook(p: { report: { 'report.xlsx': string } }) {
  const out = await stack.s3.send(
    new GetObjectCommand({ Bucket: stack.info.s3.buckets.uploads!, Key: p.report['report.xlsx'] }),
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await out.Body!.transformToByteArray()) as never);
  return wb;
}

/** A name part from a number: names with digits are refused as implausible. */
const lettersOf = (n: number): string =>
  (n < 26 ? '' : lettersOf(Math.floor(n / 26) - 1)) + 'abcdefghijklmnopqrstuvwxyz'[n % 26]!.toUpperCase();

/** `count` distinct valid workers (Kapuas NIKs, ages well inside 18-65). */
function workers(count: number, from: number): string[][] {
  return Array.from({ length: count }, (_, i) => {
    const day = (i % 28) + 1;
    const birth = `${String(day).padStart(2, '0')}-06-1980`;
    return [nik(birth, 'L', from + i), `Pekerja ${lettersOf(from + i)}`, birth, 'L', 'petani'];
  });
}

describe('validation through the local stack', () => {
  it('reports every row of an Excel sheet with its own row number, codes and Indonesian messages', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Usulan');
    ws.addRow(['DAFTAR USULAN PEKERJA RENTAN DESA SEI TATAS']);
    ws.addRow([]);
    ws.addRow(['No', 'No. KTP', 'Nama Lengkap', 'Tgl Lahir', 'L/P', 'Pekerjaan']);
    ws.addRow([1, '6203011205850001', 'Budi Santoso', new Date(Date.UTC(1985, 4, 12)), 'L', 'Petani']); // row 4: valid
    ws.addRow([2, '6203015208900002', 'Siti Aminah', '12-08-1990', 'L', 'nelayan']); // row 5: sex disagrees with NIK
    ws.addRow([3, 6.20301e15, 'Rahmat', '01-01-1980', 'L', 'petani']); // row 6: NIK became a number
    ws.addRow([4, '6203011205850001', 'Budi Santoso', '12-05-1985', 'L', 'Petani']); // row 7: same NIK as row 4
    ws.addRow([5, '6203013101000003', '=HYPERLINK("http://contoh.test","klik")', '31-01-2000', 'L', 'pemulung']); // row 8
    const uploadKey = 'proposals/kapuas-2026-apbd/62.03.02.2006/usulan-excel.xlsx';
    await upload(stack, uploadKey, Buffer.from(await wb.xlsx.writeBuffer()));

    const p = await waitForProposal(stack, uploadKey, SETTLED);
    expect(p).toMatchObject({ rows: 5, valid: 1 });
    const report = await reportOf(p);
    const byRow = new Map(report.rows.map((r) => [r.row, r]));
    expect([...byRow.keys()]).toEqual([4, 5, 6, 7, 8]);
    expect(byRow.get(4)).toMatchObject({ status: 'valid', errors: [] });
    expect(byRow.get(5)!.errors.map((e) => e.code)).toContain('SEX_MISMATCH');
    expect(byRow.get(6)!.status).toBe('invalid');
    expect(byRow.get(6)!.errors.map((e) => e.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^NIK_/)]));
    expect(byRow.get(7)!.errors.map((e) => e.code)).toContain('NIK_DUPLICATE_IN_FILE');
    expect(byRow.get(7)!.errors.find((e) => e.code === 'NIK_DUPLICATE_IN_FILE')!.message).toContain('4');
    for (const r of report.rows) for (const e of r.errors) expect(e.message).toMatch(/[a-z]{3,}/);

    // The operator's own sheet comes back with a status and reasons; nothing in it is a live formula.
    const xlsx = await reportWorkbook(p);
    let formulas = 0;
    let statusColumn = 0;
    for (const sheet of xlsx.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell, col) => {
          if (cell.type === ExcelJS.ValueType.Formula) formulas += 1;
          if (cell.value === 'Status') statusColumn = col;
        }),
      );
    }
    expect(formulas).toBe(0);
    expect(statusColumn).toBeGreaterThan(0);
  });

  it('refuses a whole file it cannot take, saying why, whether that shows at once or while reading', async () => {
    const headerOnly = 'proposals/kapuas-2026-apbd/62.03.02.2006/hanya-judul.csv';
    await upload(stack, headerOnly, proposalCsv([]));
    const a = await waitForProposal(stack, headerOnly, ['INVALID']);
    expect(a.reason.code).toBe('NO_DATA_ROWS');

    // Past the row cap (200,000): found only while streaming the rows.
    const huge = 'proposals/kapuas-2026-apbd/62.03.02.2006/terlalu-besar.csv';
    const line = '6203011205850001;Budi;12-05-1985;L;petani\n';
    await upload(stack, huge, 'NIK;Nama;Tgl Lahir;L/P;Pekerjaan\n' + line.repeat(200_001));
    const b = await waitForProposal(stack, huge, ['INVALID', 'FAILED'], 90_000);
    expect(b).toMatchObject({ status: 'INVALID', reason: { code: 'TOO_MANY_ROWS' } });
    expect((await reportOf(b)).counts.rows).toBe(0);
  });

  it('reads an XLSX written by LibreOffice', async () => {
    const uploadKey = 'proposals/kapuas-2026-apbd/62.03.02.2006/libreoffice.xlsx';
    await upload(stack, uploadKey, readFileSync(new URL('../fixtures/libreoffice-proposal.xlsx', import.meta.url)));
    const p = await waitForProposal(stack, uploadKey, SETTLED);
    const report = await reportOf(p);
    expect(report.rows.map((r) => r.row)).toEqual([2, 3, 4]);
    // LibreOffice rounded the first NIK to 15 significant digits on import: reported, never repaired.
    expect(report.rows[0]!.errors.map((e) => e.code)).toContain('NIK_PRECISION_LOST');
  });

  it('refuses a person already proposed elsewhere in the period, whichever funding source', async () => {
    const person = [nik('15-07-1975', 'P', 501), 'Dewi Lestari', '15-07-1975', 'P', 'pedagang pasar'];
    const first = 'proposals/kapuas-2026-apbd/62.03.03.2001/usulan-a.csv';
    await upload(stack, first, proposalCsv([person]));
    await waitForProposal(stack, first, ['AWAITING_APPROVAL']);

    const second = 'proposals/kapuas-2026-dbh-sawit/62.03.04.2001/usulan-b.csv';
    await upload(stack, second, proposalCsv([person, ...workers(1, 600)]));
    const p = await waitForProposal(stack, second, SETTLED);
    const report = await reportOf(p);
    const refused = report.rows.find((r) => r.row === 2)!;
    expect(refused.status).toBe('invalid');
    const error = refused.errors.find((e) => e.code === 'NIK_ALREADY_ENROLLED')!;
    expect(error.message).toContain('diusulkan');
    // Another village's proposal is that village's business: the operator is told to ask Dinas Sosial.
    expect(error.message).not.toContain('usulan-a.csv');
    expect(error.message).not.toContain('62.03.03.2001');
    expect(error.message).toContain('hubungi Dinas Sosial');
    expect(report.rows.find((r) => r.row === 3)!.status).toBe('valid');
  });

  it('lets a corrected re-upload supersede the undecided proposal, keeping the old one in the history', async () => {
    const key = (name: string) => `proposals/kapuas-2026-apbd/62.03.05.2001/${name}`;
    const rows = workers(3, 700);
    await upload(stack, key('usulan-v1.csv'), proposalCsv([...rows, ['123', 'Salah', '01-01-1980', 'L', 'petani']]));
    const old = await waitForProposal(stack, key('usulan-v1.csv'), ['AWAITING_APPROVAL']);
    const { code } = await approvalLink(stack, old.id);

    await upload(stack, key('usulan-v2.csv'), proposalCsv(rows));
    const fresh = await waitForProposal(stack, key('usulan-v2.csv'), SETTLED);
    // The same people are in both files: the newer file is not refused as a duplicate of the older.
    expect(fresh).toMatchObject({ status: 'AWAITING_APPROVAL', valid: 3, invalid: 0, supersedes: old.id });
    const replaced = await waitForProposal(stack, key('usulan-v1.csv'), ['SUPERSEDED']);
    expect(replaced.supersededBy).toBe(fresh.id);
    expect((await decide(stack, old.id, code, 'APPROVED')).status).toBe(409);
    const listed = await api(stack, '/proposals?programmeId=kapuas-2026-apbd&villageCode=62.03.05.2001');
    expect(listed.body.proposals.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      [fresh.id, 'AWAITING_APPROVAL'],
      [old.id, 'SUPERSEDED'],
    ]);
    const history = await api(stack, `/proposals/${old.id}/history`);
    expect(history.body.events.map((e: { action: string }) => e.action)).toContain('PROPOSAL_SUPERSEDED');
  });

  it('caps a desa at 100 under APBDes, reporting the rest as over quota, and refuses a kelurahan', async () => {
    const uploadKey = 'proposals/kapuas-2026-apbdes/62.03.06.2001/usulan-apbdes.csv';
    await upload(stack, uploadKey, proposalCsv(workers(103, 1000)));
    const p = await waitForProposal(stack, uploadKey, SETTLED);
    expect(p).toMatchObject({ rows: 103, valid: 100, overQuota: 3 });
    const report = await reportOf(p);
    const over = report.rows.filter((r) => r.status === 'over_quota');
    expect(over.map((r) => r.row)).toEqual([102, 103, 104]);
    expect(over[0]!.errors[0]).toMatchObject({ code: 'OVER_QUOTA', message: expect.stringContaining('100') });

    const kelurahan = 'proposals/kapuas-2026-apbdes/62.03.01.1006/usulan.csv';
    await upload(stack, kelurahan, proposalCsv(workers(1, 1200)));
    const refused = await waitForProposal(stack, kelurahan, ['INVALID']);
    expect(refused.reason.code).toBe('KELURAHAN_NO_APBDES');
  });

  it('never reserves past a quota when proposals validate at once, and a rejection gives places back', async () => {
    const programme = findProgramme('kapuas-2026-dbh-sawit')!;
    const villages = ['62.03.07.2003', '62.03.08.2001', '62.03.09.2001'];
    const keys = villages.map((v) => `proposals/${programme.id}/${v}/usulan-sawit.csv`);
    await Promise.all(keys.map((k, i) => upload(stack, k, proposalCsv(workers(200, 2000 + i * 300)))));
    const done = await Promise.all(keys.map((k) => waitForProposal(stack, k, SETTLED, 90_000)));
    const totalValid = done.reduce((n, p) => n + p.valid, 0);
    const totalOver = done.reduce((n, p) => n + p.overQuota, 0);
    // An earlier test may hold DBH Sawit places; whatever is left is filled exactly, never more.
    const ledger = new DynamoDbQuotaLedger(
      DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: stack.info.dynamodb.endpoint, region: stack.info.region }),
      ),
      stack.info.dynamodb.tables.quotas!,
    );
    const quota = quotaOf(programme, villages[0]!);
    expect(await ledger.reserved(quota)).toBe(500);
    expect(totalValid + totalOver).toBe(600);
    expect(totalOver).toBeGreaterThanOrEqual(100);

    const biggest = done.sort((a, b) => b.valid - a.valid)[0]!;
    const { code } = await approvalLink(stack, biggest.id);
    expect((await decide(stack, biggest.id, code, 'REJECTED', 'Data belum diverifikasi DTSEN')).status).toBe(200);
    await waitForProposal(stack, biggest.uploadKey, ['REJECTED']);
    expect(await ledger.reserved(quota)).toBe(500 - biggest.valid);
  });

  it('expires a proposal nobody decided, giving its quota and people back', async () => {
    const programme = findProgramme('kapuas-2026-apbdes')!;
    const village = '62.03.11.2001';
    const uploadKey = `proposals/${programme.id}/${village}/usulan-lupa.csv`;
    const people = workers(4, 5000);
    await upload(stack, uploadKey, proposalCsv(people));
    const waiting = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL']);
    const ledger = new DynamoDbQuotaLedger(
      DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: stack.info.dynamodb.endpoint, region: stack.info.region }),
      ),
      stack.info.dynamodb.tables.quotas!,
    );
    expect(await ledger.reserved(quotaOf(programme, village))).toBe(4);

    // What the workflow runs when the approval wait times out (days, in AWS): the same handler, called as Step
    // Functions would.
    const { handler } = await import('../../functions/handlers/resolve-approval-timeout');
    const outcome = await handler(
      { proposalId: waiting.id, executionArn: 'arn:aws:states:local:0:execution:test:timeout' },
      {} as never,
    );
    expect(outcome).toEqual({ proposalId: waiting.id, decision: 'EXPIRED' });
    const expired = await waitForProposal(stack, uploadKey, ['EXPIRED']);
    expect(expired.reason.code).toBe('APPROVAL_EXPIRED');
    expect(await ledger.reserved(quotaOf(programme, village))).toBe(0);

    // The same people may now be proposed again by another desa.
    const again = `proposals/${programme.id}/62.03.11.2002/usulan-ulang.csv`;
    await upload(stack, again, proposalCsv(people));
    expect(await waitForProposal(stack, again, SETTLED)).toMatchObject({ status: 'AWAITING_APPROVAL', valid: 4 });
  });

  it('grants exactly the quota to many reservations racing on DynamoDB, and repeats answers for a retry', async () => {
    const ledger = new DynamoDbQuotaLedger(
      DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: stack.info.dynamodb.endpoint, region: stack.info.region }),
      ),
      stack.info.dynamodb.tables.quotas!,
    );
    const quota = { key: 'quota#race-test', limit: 500, scope: 'programme' as const };
    const grants = await Promise.all(Array.from({ length: 25 }, (_, i) => ledger.reserve(quota, `race-${i}`, 30)));
    expect(grants.reduce((a, b) => a + b, 0)).toBe(500);
    expect(await ledger.reserved(quota)).toBe(500);
    expect(await ledger.reserve(quota, 'race-3', 30)).toBe(grants[3]);
    await ledger.release(quota, 'race-3');
    await ledger.release(quota, 'race-3');
    expect(await ledger.reserved(quota)).toBe(500 - grants[3]!);
  });

  it('serves a template that validates back to its own example rows', async () => {
    const res = await fetch(`${stack.info.api}/programmes/kapuas-2026-apbd/template`, {
      headers: { authorization: `Bearer ${stack.info.users.operator!.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const uploadKey = 'proposals/kapuas-2026-apbd/62.03.10.2001/templat-kosong.xlsx';
    await upload(stack, uploadKey, Buffer.from(await res.arrayBuffer()));
    const p = await waitForProposal(stack, uploadKey, SETTLED);
    const report = await reportOf(p);
    expect(report.rows.length).toBeGreaterThan(0);
    for (const r of report.rows) expect(r.errors.map((e) => e.code)).toContain('NIK_EXAMPLE_ROW');
  });
});
