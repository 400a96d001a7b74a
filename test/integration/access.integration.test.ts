import ExcelJS from 'exceljs';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../infra/stacks/stateless-stack';
import {
  api,
  approvalLink,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  uploadAsOperator,
  waitForProposal,
  type Caller,
  type TestStack,
} from '../support/local-stack';

// Sign-in and roles through the local stack, as people and strangers would try them.
const mine = '62.03.01.2011'; // the demo operator's village (Pulau Telo)
const neighbour = '62.03.02.2006'; // a Kapuas village that is not theirs
const programmeId = 'kapuas-2026-apbd';
const absentNik = nik('01-01-1980', 'L', 9999);
const absentClaim = 'clm-00000000000000000000';
const absentBill = `/bills/${encodeURIComponent(`${programmeId}#2026-12`)}`;

let stack: TestStack;
let own: { id: string; uploadKey: string };
let other: { id: string; uploadKey: string };

beforeAll(async () => {
  stack = await startTestStack();
  const csv = (serial: number) =>
    proposalCsv([[nik('12-05-1985', 'L', serial), 'Budi Santoso', '12-05-1985', 'L', 'Petani']]);
  const ownKey = await uploadAsOperator(
    stack,
    { programmeId, villageCode: mine, fileName: 'usulan-akses.csv' },
    csv(301),
  );
  // The neighbour's proposal arrives the way Dinas Sosial staff with bucket access would put it.
  const otherKey = `proposals/${programmeId}/${neighbour}/usulan-tetangga.csv`;
  await upload(stack, otherKey, csv(302));
  own = { id: (await waitForProposal(stack, ownKey, ['AWAITING_APPROVAL'])).id, uploadKey: ownKey };
  other = { id: (await waitForProposal(stack, otherKey, ['AWAITING_APPROVAL'])).id, uploadKey: otherKey };
});
afterAll(async () => {
  await stack?.stop();
});

const concrete = (path: string) =>
  path.replace('{id}', own?.id ?? 'prp-00000000000000000000').replace('{path+}', 'proposals/x');

describe('a stranger without a token', () => {
  it('gets 401 from every route that needs sign-in, and no function runs for them', async () => {
    for (const routes of Object.values(API_ROUTES)) {
      for (const [method, path] of routes.signedIn) {
        const res = await api(stack, concrete(path), {
          as: 'anonymous',
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : '{}',
        });
        expect({ route: `${method} ${path}`, status: res.status }).toEqual({ route: `${method} ${path}`, status: 401 });
      }
    }
  });

  it('cannot set a user’s password with a session that sign-in never issued', async () => {
    const res = await api(stack, '/session', {
      as: 'anonymous',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: stack.info.users.admin!.username,
        password: 'x',
        newPassword: 'Diambil-alih-2026!',
        session: 'made-up',
      }),
    });
    expect(res.status).toBe(401);
    // The admin still signs in with their own password.
    const own = await api(stack, '/session', {
      as: 'anonymous',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: stack.info.users.admin!.username, password: stack.info.users.admin!.password }),
    });
    expect(own.status).toBe(200);
  });

  it('cannot be signed in by another site’s form, nor with credentials in the URL', async () => {
    const user = stack.info.users.operator!;
    const form = await api(stack, '/session', {
      as: 'anonymous',
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    expect(form.status).toBe(415);
    const inUrl = await api(stack, `/session?username=${user.username}&password=${encodeURIComponent(user.password)}`, {
      as: 'anonymous',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(inUrl.status).toBe(400);
  });

  it('reaches sign-in, the console shell and health, which carry no data', async () => {
    for (const path of ['/health', '/masuk', '/app.js', '/app/proposals/x', '/vendor/chart.js', '/openapi.json'])
      expect((await api(stack, path, { as: 'anonymous' })).status, path).toBe(200);
    expect(
      (
        await api(stack, '/session', {
          as: 'anonymous',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"username":"x","password":"y"}',
        })
      ).status,
    ).toBe(401);
  });

  it('is refused with a token it made itself, or one for another audience', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const real = JSON.parse(
      Buffer.from(stack.info.users.auditor!.token.split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    const sign = (header: object, payload: object) => {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const body = `${part(header)}.${part(payload)}`;
      return `${body}.${createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url')}`;
    };
    const forged = sign({ alg: 'RS256', kid: 'CognitoLocal', typ: 'JWT' }, { ...real, 'cognito:groups': ['admin'] });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(real)).toString('base64url')}.`;
    for (const token of [forged, unsigned, 'not-a-token']) {
      const res = await fetch(`${stack.info.api}/proposals/${own.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
    }
  });
});

describe('every signed-in route, for every role (the README table)', () => {
  // [method, path, expected status for operator, verifier, approver, finance, auditor, admin]
  const roles = ['operator', 'verifier', 'approver', 'finance', 'auditor', 'admin'] as const;
  const table = (): [string, string, string | undefined, number[]][] => [
    ['GET', '/me', undefined, [200, 200, 200, 200, 200, 200]],
    ['GET', '/programmes', undefined, [200, 200, 200, 200, 200, 200]],
    ['GET', `/programmes/${programmeId}/template`, undefined, [200, 200, 200, 200, 200, 200]],
    // Programmes as data (issue 13): read by the regency, written by its admin alone (an empty one is refused
    // for what it lacks, after the role; programmes.integration.test.ts has real changes).
    ['GET', `/programmes/${programmeId}`, undefined, [200, 200, 200, 200, 200, 200]],
    ['POST', '/programmes', '{}', [403, 403, 403, 403, 403, 400]],
    ['PUT', `/programmes/${programmeId}`, '{}', [403, 403, 403, 403, 403, 400]],
    ['POST', `/programmes/${programmeId}`, '{}', [403, 403, 403, 403, 403, 400]],
    ['GET', '/uploads/new', undefined, [200, 200, 200, 200, 200, 200]],
    [
      'POST',
      '/uploads',
      JSON.stringify({ programmeId, villageCode: mine, fileName: 'matriks.csv' }),
      [201, 403, 403, 403, 403, 403],
    ],
    ['GET', `/proposals?uploadKey=${encodeURIComponent(own.uploadKey)}`, undefined, [200, 200, 200, 404, 200, 200]],
    ['GET', `/proposals?programmeId=${programmeId}&villageCode=${mine}`, undefined, [200, 200, 200, 403, 200, 200]],
    ['GET', `/proposals/${own.id}`, undefined, [200, 200, 200, 404, 200, 200]],
    ['GET', `/proposals/${own.id}/report`, undefined, [302, 302, 302, 404, 302, 403]],
    ['GET', `/proposals/${own.id}/history`, undefined, [200, 200, 200, 404, 200, 200]],
    // Re-drive and cancel are Dinas Sosial's, and only for a FAILED proposal (this one is not: 409).
    ['POST', `/proposals/${own.id}/redrive`, '{}', [403, 409, 403, 404, 403, 409]],
    ['POST', `/proposals/${own.id}/cancel`, '{"note":"uji akses"}', [403, 409, 403, 404, 403, 409]],
    // Nobody is enrolled here: the lists are empty, a NIK is nobody's (404), and a bill not issued is
    // not there for those who may read bills (contributions-api.integration.test.ts has real ones).
    ['GET', `/participants?programmeId=${programmeId}&villageCode=${mine}`, undefined, [200, 200, 200, 200, 200, 200]],
    ['GET', `/participants/${absentNik}`, undefined, [404, 404, 404, 404, 404, 404]],
    ['GET', `/participants/${absentNik}/coverage`, undefined, [404, 404, 404, 404, 404, 404]],
    ['GET', `/bills?programmeId=${programmeId}`, undefined, [403, 200, 200, 200, 200, 200]],
    ['GET', absentBill, undefined, [403, 404, 404, 404, 404, 404]],
    // Finance alone records payments; an empty payment is refused for what it lacks.
    ['POST', `${absentBill}/payments`, '{}', [403, 403, 403, 400, 403, 403]],
    // A renewal is the village operator's or Dinas Sosial's; into a programme of another source it is refused
    // for that (400) after the role is checked, so the matrix writes no proposal.
    [
      'POST',
      '/renewals',
      JSON.stringify({
        villageCode: mine,
        fromProgrammeId: 'kapuas-2025-apbd',
        toProgrammeId: 'kapuas-2026-dbh-sawit',
      }),
      [400, 400, 403, 404, 403, 400],
    ],
    // Claims (issue 10): filing is the operator's and the verifier's (an empty filing is refused for what it
    // lacks, after the role); no claim is filed here, so one by id is nobody's (claims-api.integration.test.ts
    // has real ones); the paid totals are the regency's.
    ['GET', `/claims?programmeId=${programmeId}&villageCode=${mine}`, undefined, [200, 200, 200, 200, 200, 200]],
    ['POST', '/claims', '{}', [400, 400, 403, 403, 403, 403]],
    ['GET', '/claims/new', undefined, [200, 200, 403, 403, 403, 403]],
    ['GET', `/claims/${absentClaim}`, undefined, [404, 404, 404, 404, 404, 404]],
    ['POST', `/claims/${absentClaim}/documents`, '{}', [404, 404, 404, 404, 404, 404]],
    ['GET', `/claims/${absentClaim}/documents/KTP_HEIR`, undefined, [404, 404, 404, 404, 404, 404]],
    ['POST', `/claims/${absentClaim}/verify`, '{}', [404, 404, 404, 404, 404, 404]],
    ['POST', `/claims/${absentClaim}/reject`, '{}', [404, 404, 404, 404, 404, 404]],
    ['POST', `/claims/${absentClaim}/approve`, '{}', [404, 404, 404, 404, 404, 404]],
    ['GET', `/claim-totals?programmeId=${programmeId}`, undefined, [403, 200, 200, 200, 200, 200]],
    // The auditor's console (issue 11): a home page for everyone; search and timelines by audit:read narrowed by
    // each kind's own read (finance traces no proposals: refused by name, not found by id).
    ['GET', '/home', undefined, [200, 200, 200, 200, 200, 200]],
    ['GET', `/search?kind=proposal&village=${mine}`, undefined, [200, 200, 200, 403, 200, 200]],
    ['GET', `/timeline/${encodeURIComponent(`proposal#${own.id}`)}`, undefined, [200, 200, 200, 404, 200, 200]],
    // The dashboard (issue 11): everyone signed in, each seeing what the policy lets them (an operator their villages).
    ['GET', '/dashboard', undefined, [200, 200, 200, 200, 200, 200]],
    ['GET', `/dashboard/figures?programmeId=${programmeId}`, undefined, [200, 200, 200, 200, 200, 200]],
  ];

  it('answers each role as the table says', async () => {
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const [method, path, body, expected] of table()) {
      for (const [i, as] of roles.entries()) {
        const res = await api(stack, path, {
          as,
          method,
          body,
          headers: body ? { 'content-type': 'application/json' } : {},
        });
        seen.push(`${as} ${method} ${path.split('?')[0]} -> ${res.status}`);
        wanted.push(`${as} ${method} ${path.split('?')[0]} -> ${expected[i]}`);
      }
    }
    expect(seen).toEqual(wanted);
  });

  it('covers every signed-in route of the API', () => {
    const route = (path: string) =>
      path
        .replace(/^\/timeline\/.+$/, '/timeline/{entity}')
        .replace(absentBill, '/bills/{billId}')
        .replace(absentNik, '{nik}')
        .replace(own.id, '{id}')
        .replace(absentClaim, '{id}')
        .replace('KTP_HEIR', '{type}')
        .replace(programmeId, '{id}');
    const covered = new Set(table().map(([method, path]) => `${method} ${route(path.split('?')[0]!)}`));
    for (const routes of Object.values(API_ROUTES))
      for (const [method, path] of routes.signedIn) expect(covered, `${method} ${path}`).toContain(`${method} ${path}`);
  });
});

describe('the access table, role by role', () => {
  const status = async (as: Caller, path: string, method = 'GET') =>
    (
      await api(stack, path, {
        as,
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      })
    ).status;

  it('operator: their own village whole, another village not even there', async () => {
    expect(await status('operator', `/proposals/${own.id}`)).toBe(200);
    expect(await status('operator', `/proposals/${own.id}/history`)).toBe(200);
    expect(await status('operator', `/proposals/${own.id}/report?format=json`)).toBe(200);
    expect(await status('operator', `/proposals/${other.id}`)).toBe(404);
    expect(await status('operator', `/proposals/${other.id}/report`)).toBe(404);
    expect(await status('operator', `/proposals/${other.id}/history`)).toBe(404);
    expect(await status('operator', `/proposals?uploadKey=${encodeURIComponent(other.uploadKey)}`)).toBe(404);
    expect(await status('operator', `/proposals?programmeId=${programmeId}&villageCode=${neighbour}`)).toBe(403);
    expect(await status('operator', `/proposals?programmeId=${programmeId}&villageCode=${mine}`)).toBe(200);
    expect(await status('operator', `/proposals/${own.id}/redrive`, 'POST')).toBe(403);
    expect(await status('operator', `/proposals/${own.id}/cancel`, 'POST')).toBe(403);
  });

  it('verifier and approver: every village of the regency; re-drive only for the verifier', async () => {
    for (const as of ['verifier', 'approver'] as const) {
      expect(await status(as, `/proposals/${other.id}`)).toBe(200);
      expect(await status(as, `/proposals/${other.id}/report?format=json`)).toBe(200);
    }
    // Re-drive is the verifier's, and only for a FAILED proposal (this one waits for approval).
    expect(await status('verifier', `/proposals/${own.id}/redrive`, 'POST')).toBe(409);
    expect(await status('approver', `/proposals/${own.id}/redrive`, 'POST')).toBe(403);
    // Cancelling is Dinas Sosial's too, for a FAILED proposal, with a reason.
    const cancel = await api(stack, `/proposals/${own.id}/cancel`, {
      as: 'verifier',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"note":"uji"}',
    });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error).toBe('NOT_FAILED');
  });

  it('auditor: reads everything, changes nothing', async () => {
    expect(await status('auditor', `/proposals/${other.id}`)).toBe(200);
    expect(await status('auditor', `/proposals/${other.id}/history`)).toBe(200);
    expect(await status('auditor', `/proposals/${other.id}/report?format=json`)).toBe(200);
    expect(await status('auditor', `/proposals/${own.id}/redrive`, 'POST')).toBe(403);
    expect(await status('auditor', `/proposals/${own.id}/cancel`, 'POST')).toBe(403);
    expect(await status('auditor', '/uploads', 'POST')).toBe(400); // a request that names nothing is refused before the role
    const asAuditor = await api(stack, '/uploads', {
      as: 'auditor',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ programmeId, villageCode: mine, fileName: 'x.csv' }),
    });
    expect(asAuditor.status).toBe(403);
  });

  it('finance sees programmes, not proposals; admin sees proposals but not the rows of a report', async () => {
    expect(await status('finance', '/programmes')).toBe(200);
    expect(await status('finance', `/proposals/${own.id}`)).toBe(404);
    expect(await status('admin', `/proposals/${own.id}`)).toBe(200);
    expect(await status('admin', `/proposals/${own.id}/report`)).toBe(403);
  });

  it('tells the signed-in user who they are, with their role and villages', async () => {
    const me = await api(stack, '/me', { as: 'operator' });
    expect(me.body).toMatchObject({
      username: stack.info.users.operator!.username,
      roles: ['operator'],
      regency: '62.03',
      villages: expect.arrayContaining([mine]),
    });
  });
});

describe('odd requests', () => {
  it('answers a 3,000-character id with 404 and a broken %-escape with 400, never a system error', async () => {
    expect((await api(stack, `/proposals/prp-${'a'.repeat(3000)}`)).status).toBe(404);
    expect((await api(stack, '/proposals/%E0%A4%A')).status).toBe(400);
  });

  it('answers a browser’s bad approval form with an Indonesian page, not JSON', async () => {
    const { code } = await approvalLink(stack, other.id);
    const html = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
    const noNote = await api(stack, `/approvals/${other.id}`, {
      as: 'anonymous',
      method: 'POST',
      headers: html,
      body: new URLSearchParams({ code, decision: 'REJECTED' }).toString(),
    });
    expect(noNote.status).toBe(400);
    expect(noNote.headers.get('content-type')).toContain('text/html');
    expect(noNote.body).toContain('alasan penolakan');
    const nonsense = await api(stack, `/approvals/${other.id}`, {
      as: 'anonymous',
      method: 'POST',
      headers: html,
      body: new URLSearchParams({ code, decision: 'mungkin' }).toString(),
    });
    expect(nonsense.status).toBe(400);
    expect(nonsense.headers.get('content-type')).toContain('text/html');
    expect(nonsense.body).toContain('Keputusan tidak dikenali');
    expect(nonsense.body).not.toMatch(/Invalid|expected/);
  });
});

describe('uploads by people', () => {
  it('refuses, before anything reaches S3, an upload for a village the operator does not hold', async () => {
    const res = await api(stack, '/uploads', {
      as: 'operator',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ programmeId, villageCode: neighbour, fileName: 'usulan.csv' }),
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('tidak terdaftar sebagai operator');
  });

  it('signs a PUT for exactly one key: another key, another grant or a late use is refused by S3', async () => {
    const granted = await api(stack, '/uploads', {
      as: 'operator',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ programmeId, villageCode: mine, fileName: '../../62.03.02.2006/usulan.csv' }),
    });
    expect(granted.status).toBe(201);
    // A path in the file name is not a way out of the village.
    expect(granted.body.uploadKey).toBe(`proposals/${programmeId}/${mine}/usulan.csv`);
    const elsewhere = granted.body.url
      .replace(encodeURIComponent(mine), encodeURIComponent(neighbour))
      .replace(mine, neighbour);
    expect(elsewhere).not.toBe(granted.body.url);
    expect((await fetch(elsewhere, { method: 'PUT', headers: granted.body.headers, body: 'x' })).status).toBe(403);
    expect(
      (
        await fetch(granted.body.url, {
          method: 'PUT',
          headers: { 'x-amz-meta-upload-grant': 'someone-else' },
          body: 'x',
        })
      ).status,
    ).toBe(403);
  });

  it('records who uploaded: the signed-in user, or the AWS principal of a direct upload with a forged grant', async () => {
    const history = await api(stack, `/proposals/${own.id}/history`);
    const received = history.body.events.find((e: { action: string }) => e.action === 'UPLOAD_RECEIVED');
    expect(received.details.uploadedBy).toMatchObject({ kind: 'user', username: stack.info.users.operator!.username });

    const forgedKey = `proposals/${programmeId}/${mine}/usulan-palsu.csv`;
    await upload(stack, forgedKey, proposalCsv([[nik('12-05-1985', 'L', 303), 'Budi', '12-05-1985', 'L', 'Petani']]), {
      'upload-grant': 'made-up',
    });
    const forged = await waitForProposal(stack, forgedKey, ['AWAITING_APPROVAL', 'INVALID', 'SUPERSEDED']);
    const events = (await api(stack, `/proposals/${forged.id}/history`)).body.events;
    expect(events.find((e: { action: string }) => e.action === 'UPLOAD_RECEIVED').details.uploadedBy.kind).toBe('aws');
  });
});

describe('personal data', () => {
  it('records every report download in the proposal’s history: who, when, which format', async () => {
    const before = (await api(stack, `/proposals/${own.id}/history`, { as: 'auditor' })).body.events.length;
    const download = await api(stack, `/proposals/${own.id}/report?format=xlsx`, { as: 'operator' });
    expect(download.status).toBe(302);
    // The signed link is short-lived (minutes).
    expect(Number(new URL(download.headers.get('location')!).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(
      60,
    );
    const events = (await api(stack, `/proposals/${own.id}/history`, { as: 'auditor' })).body.events as {
      action: string;
      actor: string;
      details: any;
    }[];
    expect(events.length).toBe(before + 1);
    expect(events.filter((e) => e.action === 'REPORT_DOWNLOADED').at(-1)).toMatchObject({
      actor: `operator:${stack.info.users.operator!.username}`,
      details: { format: 'xlsx' },
    });
  });

  it('masks NIKs in lists and history; the whole row is only in the report', async () => {
    const whole = nik('12-05-1985', 'L', 301);
    const list = await api(stack, `/proposals?programmeId=${programmeId}&villageCode=${mine}`, { as: 'operator' });
    const history = await api(stack, `/proposals/${own.id}/history`, { as: 'auditor' });
    for (const body of [JSON.stringify(list.body), JSON.stringify(history.body)]) {
      expect(body).not.toContain(whole);
      expect(body).not.toContain('Budi Santoso');
    }
    const report = await api(stack, `/proposals/${own.id}/report?format=xlsx`, { as: 'operator' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await (await fetch(report.headers.get('location')!)).arrayBuffer()) as never);
    const cells = book.worksheets.flatMap((sheet) => sheet.getSheetValues().flat().map(String));
    expect(cells).toContain(whole);
  });
});
