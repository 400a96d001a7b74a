import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../infra/stacks/stateless-stack';
import { launchBrowser } from '../support/browser';
import {
  api,
  approvalLink,
  decide,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  uploadAsOperator,
  waitForProposal,
  type Caller,
  type TestStack,
} from '../support/local-stack';

// Issue 11's done-when, on the local stack in a real browser: the auditor finds a proposal by village,
// reads its timeline, exports it, sees a changed event named as the broken link; the operator sees
// their villages only; and the API refuses the auditor every change. One enrolled proposal serves all.
const programmeId = 'kapuas-2026-apbd';
const mine = '62.03.01.2011'; // the demo operator's Pulau Telo
const neighbour = '62.03.02.2006'; // a Kapuas village that is not theirs
const worker = nik('12-05-1985', 'L', 611);

let stack: TestStack;
let browser: Browser;
let own: { id: string };
let other: { id: string };

/** The stages of an enrolled proposal, in the order they happen. */
const STAGES = [
  'UPLOAD_RECEIVED',
  'VALIDATION_STARTED',
  'VALIDATION_PASSED',
  'APPROVAL_REQUESTED',
  'PROPOSAL_APPROVED',
  'BPJS_SUBMISSION_STARTED',
  'BPJS_BATCH_ANSWERED',
  'PARTICIPANTS_RECORDED',
];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  const ownKey = await uploadAsOperator(
    stack,
    { programmeId, villageCode: mine, fileName: 'usulan-audit.csv' },
    proposalCsv([[worker, 'Budi Santoso', '12-05-1985', 'L', 'Petani']]),
  );
  const otherKey = `proposals/${programmeId}/${neighbour}/usulan-tetangga.csv`;
  await upload(
    stack,
    otherKey,
    proposalCsv([[nik('03-03-1983', 'L', 612), 'Joko Susilo', '03-03-1983', 'L', 'petani']]),
  );
  const waiting = await waitForProposal(stack, ownKey, ['AWAITING_APPROVAL']);
  const { code } = await approvalLink(stack, waiting.id);
  await decide(stack, waiting.id, code, 'APPROVED');
  own = await waitForProposal(stack, ownKey, ['ENROLLED'], 60_000);
  other = await waitForProposal(stack, otherKey, ['AWAITING_APPROVAL']);
  // A whole enrollment on a shared, busy machine: more than the default two minutes.
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(as: Caller): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const user = stack.info.users[as]!;
  await page.goto(`${stack.info.api}/masuk`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password!);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app\//);
  return page;
}

/**
 * What on the page could change a record: an action or upload form, a form that POSTs, a button other
 * than a search's (and sign-out), a navigation link to uploading or filing. Waits for the navigation's
 * links to be settled by GET /me first (the script keeps only those the user may follow).
 */
async function actingOn(page: Page) {
  await page.locator('header nav a[href="/app/home"]').waitFor();
  await expect.poll(() => page.locator('header nav a[data-needs][hidden]').count()).toBe(0);
  return page
    .locator(
      [
        'form[data-action]',
        'form[data-upload]',
        'form[data-claim-document]',
        'form[method=post]',
        '#main button:not(form[method=get] button)',
        'a[href="/app/uploads/new"]',
        'a[href="/app/claims/new"]',
      ].join(', '),
    )
    .count();
}

const actionsOn = (page: Page) =>
  page.$$eval('#timeline tr[data-action]', (rows) =>
    rows.map((r) => (r as unknown as { dataset: { action: string } }).dataset.action),
  );

describe('the auditor in a browser', () => {
  it(
    'finds the proposal by village, reads its timeline, exports it, and sees a changed event as the broken link',
    {
      timeout: 180_000,
    },
    async () => {
      const page = await signIn('auditor');
      // Read only: the home page and the proposal's own page offer nothing to do, nor does the navigation.
      await page.goto(`${stack.info.api}/app/home`);
      await expect.poll(() => page.textContent('#main')).toContain('Cari usulan');
      expect(await actingOn(page)).toBe(0);
      await page.goto(`${stack.info.api}/app/proposals/${own.id}`);
      await expect.poll(() => page.textContent('#main')).toContain('Terdaftar di BPJS');
      expect(await actingOn(page)).toBe(0);
      await page.goto(`${stack.info.api}/app/search`);
      await page.waitForSelector('form[action="/app/search"]');
      await page.selectOption('#kind', 'proposal');
      await page.selectOption('#village', mine);
      await page.click('form[action="/app/search"] button[type=submit]');
      await page.waitForURL(/\/app\/search\?.*village=62\.03\.01\.2011/);
      const timelineLink = page.locator(`a[href="/app/timeline/${encodeURIComponent(`proposal#${own.id}`)}"]`);
      await timelineLink.waitFor();
      // The village's proposals only, none of the neighbour's.
      expect(await page.textContent('#main')).not.toContain(other.id);
      expect(await actingOn(page)).toBe(0);
      await timelineLink.click();
      await page.waitForSelector('#timeline');

      // Every stage, in order, each with who and when.
      const actions = await actionsOn(page);
      expect(actions.filter((a) => STAGES.includes(a!))).toEqual(STAGES);
      const approval = page.locator('#timeline tr[data-action="PROPOSAL_APPROVED"]');
      expect(await approval.textContent()).toContain('kepala.dinsos');
      expect(await approval.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(await approval.textContent()).toMatch(/\d{2}-\d{2}-\d{4} \d{2}\.\d{2}\.\d{2} WIB/);
      // From where: the approval link's request, its address and browser.
      expect(await approval.textContent()).toMatch(/dari [0-9a-f.:]{2,}/i);
      expect(await page.textContent('#timeline tr[data-action="VALIDATION_PASSED"]')).toContain('1 valid');
      expect(await page.textContent('#verdict')).toContain(`Rantai bukti utuh: ${actions.length} peristiwa`);
      // The enrollment execution's own steps, merged in under its events.
      expect(await page.locator('#timeline .steps li').count()).toBeGreaterThan(0);
      // Read only: nothing on the page posts anything.
      expect(await actingOn(page)).toBe(0);

      // The XLSX export reads back with the same events, in the same order.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('a[data-download-file$=".xlsx"]'),
      ]);
      expect(download.suggestedFilename()).toBe(`riwayat-proposal-${own.id}.xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await readFile((await download.path())!)) as never);
      const sheet = book.getWorksheet('Riwayat')!;
      const exported: { position: number; at: string; actor: string; action: string }[] = [];
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        exported.push({
          position: Number(row.getCell(1).value),
          at: String(row.getCell(3).value),
          actor: String(row.getCell(4).value),
          action: String(row.getCell(6).value),
        });
      });
      const json = await api(stack, `/timeline/${encodeURIComponent(`proposal#${own.id}`)}`, { as: 'auditor' });
      expect(json.status).toBe(200);
      expect(exported.map((e) => e.action)).toEqual(actions);
      expect(exported).toEqual(
        json.body.entries.map((e: { position: number; at: string; actor: string; action: string }) => ({
          position: e.position,
          at: e.at,
          actor: e.actor,
          action: e.action,
        })),
      );

      // Someone with the table's keys rewrites who approved, directly in DynamoDB.
      const approved = json.body.entries.find((e: { action: string }) => e.action === 'PROPOSAL_APPROVED');
      const db = new DynamoDBClient({
        endpoint: stack.info.dynamodb.endpoint,
        region: stack.info.region,
        credentials: { accessKeyId: 't', secretAccessKey: 't' },
      });
      await db.send(
        new UpdateItemCommand({
          TableName: stack.info.dynamodb.tables.audit!,
          Key: { entity: { S: `proposal#${own.id}` }, seq: { S: String(approved.position).padStart(10, '0') } },
          UpdateExpression: 'SET actor = :someone',
          ExpressionAttributeValues: { ':someone': { S: 'approver:orang-lain@kapuaskab.go.id' } },
        }),
      );
      await page.reload();
      await page.waitForSelector('#timeline');
      const verdict = await page.textContent('#verdict');
      expect(verdict).toContain(`RUSAK pada peristiwa ke-${approved.position} (Usulan disetujui, ${approved.time})`);
      expect(verdict).toContain('hash tidak cocok');
      expect(await page.getAttribute('#timeline tr.broken', 'data-action')).toBe('PROPOSAL_APPROVED');
      const after = await api(stack, `/timeline/${encodeURIComponent(`proposal#${own.id}`)}`, { as: 'auditor' });
      expect(after.body.verdict).toMatchObject({
        ok: false,
        broken: { position: approved.position, action: 'PROPOSAL_APPROVED', reason: 'hash' },
      });
      await page.context().close();
    },
  );

  it("opens a participant's timeline masked in the list, and the opening is on the participant's trail", async () => {
    const found = await api(stack, `/search?kind=participant&nik=${worker}`, { as: 'auditor' });
    expect(found.status).toBe(200);
    expect(found.body.rows).toHaveLength(1);
    expect(found.body.rows[0].nik).toBe(`${worker.slice(0, 4)}********${worker.slice(12)}`);
    // The row and its timeline link name the person by programme, village and KPJ, never by NIK.
    expect(JSON.stringify(found.body.rows[0])).not.toContain(worker);
    expect(decodeURIComponent(found.body.rows[0].links.timeline)).toMatch(
      new RegExp(`^/timeline/participant#${programmeId}#${mine.replace(/\./g, '\\.')}#\\d+$`),
    );
    const csv = await api(stack, `/search?kind=participant&nik=${worker}&format=csv`, { as: 'auditor' });
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="pencarian-participant-.*\.csv"/);
    expect(String(csv.body)).not.toContain(worker);
    const timeline = await api(stack, found.body.rows[0].links.timeline, { as: 'auditor' });
    expect(timeline.status).toBe(200);
    // Enrolled with the batch of people their proposal recorded together: that record's event, shown as
    // theirs, with their KPJ and none of the others' NIKs, its chain checked with theirs.
    const [enrolled] = timeline.body.entries;
    expect(enrolled).toMatchObject({
      action: 'PARTICIPANTS_ENROLLED',
      chain: expect.stringMatching(/^enrolment#prp-/),
      details: { kpj: expect.any(String), villageCode: mine },
    });
    expect(enrolled.details.people).toBeUndefined();
    expect(timeline.body.verdict).toMatchObject({ ok: true });
    expect(timeline.body.entries.map((e: { action: string }) => e.action)).toContain('VIEWED');
    expect(timeline.body.entries.at(-1)).toMatchObject({ action: 'VIEWED', actor: 'auditor:auditor-inspektorat' });
  });
});

describe('the operator', () => {
  it('sees their villages only: in search, in a village named, in a timeline', { timeout: 120_000 }, async () => {
    const page = await signIn('operator');
    await page.goto(`${stack.info.api}/app/home`);
    await expect.poll(() => page.textContent('#main')).toContain('Desa/kelurahan Anda');
    // The operator is offered their work: the navigation keeps uploading and filing for them.
    await page.locator('header nav a[href="/app/uploads/new"]:not([hidden])').waitFor();
    expect(await page.locator('header nav a[href="/app/claims/new"]:not([hidden])').count()).toBe(1);
    const villages = await page.$$eval('#main a[href^="/app/search?kind=proposal&village="]', (as) =>
      as.map((a) => new URL((a as unknown as { href: string }).href).searchParams.get('village')),
    );
    expect(villages.sort()).toEqual([...stack.info.users.operator!.villages!].sort());
    await page.goto(`${stack.info.api}/app/search?kind=proposal`);
    await page.waitForSelector(`a[href="/app/timeline/${encodeURIComponent(`proposal#${own.id}`)}"]`);
    const listed = await api(stack, '/search?kind=proposal', { as: 'operator' });
    expect(listed.body.rows.map((r: { villageCode: string }) => r.villageCode)).not.toContain(neighbour);
    expect(
      listed.body.rows.every((r: { villageCode: string }) =>
        stack.info.users.operator!.villages!.includes(r.villageCode),
      ),
    ).toBe(true);
    expect((await api(stack, `/search?kind=proposal&village=${neighbour}`, { as: 'operator' })).status).toBe(403);
    expect((await api(stack, `/search?kind=bill`, { as: 'operator' })).status).toBe(403);
    await page.goto(`${stack.info.api}/app/timeline/${encodeURIComponent(`proposal#${other.id}`)}`);
    await expect.poll(() => page.textContent('#main')).toContain('tidak ditemukan');
    await page.context().close();
  });
});

describe('the auditor through the API', () => {
  it('is refused (403) on every POST route, with real records behind each', { timeout: 120_000 }, async () => {
    // A claim to act on: the operator files one for the enrolled worker.
    const filed = await api(stack, '/claims', {
      as: 'operator',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        nik: worker,
        type: 'JKM',
        eventDate: '2026-11-20',
        description: 'Meninggal dunia di rumah karena sakit.',
        heirs: [
          {
            nik: nik('12-05-1990', 'P', 613),
            name: 'Siti Aminah',
            relationship: 'SPOUSE',
            recipient: true,
            bankAccount: { bank: 'BRI', number: '0012010012345', holder: 'Siti Aminah' },
          },
        ],
      }),
    });
    expect(filed.status).toBe(201);
    const bill = encodeURIComponent(`${programmeId}#2026-12`);
    const bodies: Record<string, unknown> = {
      '/uploads': { programmeId, villageCode: mine, fileName: 'x.csv' },
      '/renewals': { villageCode: mine, fromProgrammeId: 'kapuas-2025-apbd', toProgrammeId: programmeId },
      '/claims/{id}/documents': { documentType: 'DEATH_CERTIFICATE', fileName: 'akta.pdf' },
      '/claims/{id}/reject': { reason: 'uji akses auditor' },
      '/proposals/{id}/cancel': { note: 'uji akses auditor' },
    };
    const posts = Object.values(API_ROUTES).flatMap((r) => r.signedIn.filter(([method]) => method === 'POST'));
    expect(posts.length).toBeGreaterThan(8);
    const answers: string[] = [];
    for (const [, path] of posts) {
      const concrete = path
        .replace('/proposals/{id}', `/proposals/${own.id}`)
        .replace('/claims/{id}', `/claims/${filed.body.id}`)
        .replace('{billId}', bill);
      const res = await api(stack, concrete, {
        as: 'auditor',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(bodies[path] ?? {}),
      });
      answers.push(`POST ${path} -> ${res.status}`);
    }
    expect(answers).toEqual(posts.map(([, path]) => `POST ${path} -> 403`));
  });
});
