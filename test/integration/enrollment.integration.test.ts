import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  approvalLink,
  bpjsFaults,
  decide,
  executionsSettled,
  mails,
  nik,
  proposalCsv,
  startTestStack,
  upload,
  uploadAsOperator,
  waitForMail,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

const village = '62.03.01.2011';
const key = (name: string, programme = 'kapuas-2026-apbd', code = village) => `proposals/${programme}/${code}/${name}`;

let stack: TestStack;
let sfn: SFNClient;

beforeAll(async () => {
  stack = await startTestStack();
  sfn = new SFNClient({
    endpoint: stack.info.stepfunctions.endpoint,
    region: stack.info.region,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
  });
});
afterAll(async () => {
  await stack?.stop();
});

describe('enrollment through the local stack', () => {
  it('takes an uploaded sheet through validation, the approval link and BPJS to ENROLLED', async () => {
    const uploadKey = key('usulan-mei.csv');
    const csv = proposalCsv([
      [nik('12-05-1985', 'L', 1), 'Budi Santoso', '12-05-1985', 'L', 'Petani'],
      [nik('12-08-1990', 'P', 2), 'Siti Aminah', '12/08/1990', 'P', 'nelayan'],
      ['12345', 'Tanpa NIK', '01-01-1980', 'L', 'petani'],
    ]);
    // Uploaded the way an operator does: signed in, through a presigned PUT for their village.
    expect(
      await uploadAsOperator(
        stack,
        { programmeId: 'kapuas-2026-apbd', villageCode: village, fileName: 'usulan-mei.csv' },
        csv,
      ),
    ).toBe(uploadKey);

    const waiting = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL', 'INVALID', 'FAILED']);
    expect(waiting).toMatchObject({ status: 'AWAITING_APPROVAL', rows: 3, valid: 2, invalid: 1, uploadKey });
    // The upload's proposal, straight from its key.
    const byKey = await api(stack, `/proposals?uploadKey=${encodeURIComponent(uploadKey)}`);
    expect(byKey.body).toMatchObject({
      id: waiting.id,
      status: 'AWAITING_APPROVAL',
      proposals: [expect.objectContaining({ id: waiting.id })],
    });
    expect((await api(stack, `/proposals?uploadKey=${encodeURIComponent(key('nothing-here.csv'))}`)).status).toBe(404);
    expect(waiting.report['report.json']).toMatch(/^reports\//);

    // The upload arrived intact although the SDK sent it aws-chunked with a trailing checksum.
    const stored = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.info.s3.buckets.uploads!, Key: uploadKey }),
    );
    expect(await stored.Body!.transformToString()).toBe(csv);

    const { url, code } = await approvalLink(stack, waiting.id);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Setujui 2 pekerja');
    expect(html).toContain('method="post"');

    const wrongCode = await decide(stack, waiting.id, 'not-the-code', 'APPROVED');
    expect(wrongCode.status).toBe(403);

    // Posting to the mailed link itself works too (the code rides in its query string).
    const decision = await api(stack, new URL(url).pathname + new URL(url).search, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(code).toBeTruthy();
    expect(decision.status).toBe(200);
    expect(decision.body).toMatchObject({ status: 'APPROVED' });

    const done = await waitForProposal(stack, uploadKey, ['ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED']);
    expect(done).toMatchObject({ status: 'ENROLLED', enrolled: 2, rejectedByBpjs: 0 });

    // The link in the operator's notice opens a page in Indonesian.
    const page2 = await fetch(done.links.self, {
      headers: { accept: 'text/html', authorization: `Bearer ${stack.info.users.operator!.token}` },
    });
    expect(page2.headers.get('content-type')).toContain('text/html');
    expect(await page2.text()).toContain('Semua pekerja valid terdaftar sebagai peserta');

    // A second click on the link changes nothing.
    const again = await decide(stack, waiting.id, code, 'REJECTED', 'terlambat');
    expect(again.status).toBe(409);

    const notice = await waitForMail(
      stack,
      (m) => m.subject.includes('terdaftar di BPJS') && m.text.includes(waiting.id),
    );
    // The signed-in uploader hears, at the address their account has.
    expect(notice.to).toContain(stack.info.users.operator!.email);

    const history = await api(stack, `/proposals/${waiting.id}/history`);
    const actions = history.body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'UPLOAD_RECEIVED',
        'VALIDATION_STARTED',
        'VALIDATION_PASSED',
        'APPROVAL_REQUESTED',
        'PROPOSAL_APPROVED',
        'BPJS_SUBMISSION_STARTED',
        'PARTICIPANTS_RECORDED',
        'OUTCOME_MAIL_SENT',
      ]),
    );
    for (const e of history.body.events)
      expect(e).toMatchObject({ entity: `proposal#${waiting.id}`, actor: expect.any(String), at: expect.any(String) });
    expect(history.body.events.find((e: { action: string }) => e.action === 'PROPOSAL_APPROVED').actor).toBe(
      'approver:kepala.dinsos@kapuaskab.go.id',
    );

    // The execution is visible through the Step Functions API, as in AWS.
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stack.info.stepfunctions.stateMachines.enrollment! }),
    );
    const succeeded = [];
    for (const e of executions) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }));
      if (JSON.parse(d.input ?? '{}').detail?.object?.key === uploadKey) succeeded.push(d);
    }
    expect(succeeded.map((d) => d.status)).toEqual(['SUCCEEDED']);
    const events =
      (await sfn.send(new GetExecutionHistoryCommand({ executionArn: succeeded[0]!.executionArn! }))).events ?? [];
    const entered = events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual([
      'RegisterUpload',
      'ValidateProposal',
      'AwaitApproval',
      'SubmitToBpjs',
      'RecordParticipants',
      'NotifyOutcome',
    ]);
  });

  it('takes a large file uploaded in parts (the SDK and CLI switch to multipart above a few MB)', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [
      nik('01-01-1980', 'L', 3000 + i),
      'Budi Santoso',
      '01-01-1980',
      'L',
      'petani',
      `RT ${'0'.repeat(11_000)}`,
    ]);
    const csv = proposalCsv(rows, ['NIK', 'Nama', 'Tgl Lahir', 'L/P', 'Pekerjaan', 'Alamat']);
    const uploadKey = key('usulan-besar.csv');
    await new Upload({
      client: stack.s3,
      params: { Bucket: stack.info.s3.buckets.uploads!, Key: uploadKey, Body: Buffer.from(csv) },
      partSize: 5 * 1024 * 1024,
    }).done();
    const stored = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.info.s3.buckets.uploads!, Key: uploadKey }),
    );
    expect(await stored.Body!.transformToString()).toBe(csv);
    expect(await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL', 'INVALID', 'FAILED'])).toMatchObject({
      status: 'AWAITING_APPROVAL',
      rows: 1000,
      valid: 1000,
    });
  });

  it('makes one proposal of one object version however often S3 delivers the event', async () => {
    const uploadKey = key('usulan-dobel.csv');
    await upload(
      stack,
      uploadKey,
      proposalCsv([[nik('01-02-1979', 'L', 11), 'Ahmad Yani', '01-02-1979', 'L', 'pedagang pasar']]),
    );
    const first = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL']);
    // The status is written just before the approver's mail goes out: wait for that mail too.
    await waitForMail(stack, (m) => m.text.includes(`/approvals/${first.id}?`));
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stack.info.stepfunctions.stateMachines.enrollment! }),
    );
    const original = await Promise.all(
      executions.map((e) => sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }))),
    );
    const event = JSON.parse(original.find((d) => JSON.parse(d.input!).detail.object.key === uploadKey)!.input!);

    await stack.router!.publish(event);
    // The second delivery starts a second execution; wait until it has ended and only the approval wait runs.
    await executionsSettled(stack, [uploadKey], 1);
    const { body } = await api(stack, `/proposals?uploadKey=${encodeURIComponent(uploadKey)}`);
    expect(body.proposals).toHaveLength(1);
    expect(body.proposals[0].id).toBe(first.id);
    const approvalMails = (await mails(stack)).filter((m) => m.text.includes(`/approvals/${first.id}?`));
    expect(approvalMails).toHaveLength(1);
  });

  it('records an upload in the wrong place or of the wrong kind, with a reason the operator can act on', async () => {
    const unknownProgramme = 'proposals/kapuas-2099-apbd/62.03.01.2011/usulan.csv';
    const notASheet = key('surat-pengantar.pdf');
    const unknownVillage = key('usulan.csv', 'kapuas-2026-apbd', '62.03.01.2999');
    await upload(stack, unknownProgramme, 'NIK;Nama\n');
    await upload(stack, notASheet, '%PDF-1.4 surat', { 'operator-email': 'operator@desa-pulau-telo.local' });
    await upload(stack, unknownVillage, 'NIK;Nama\n');

    const a = await waitForProposal(stack, unknownProgramme, ['INVALID']);
    expect(a.reason).toMatchObject({
      code: 'UPLOAD_UNKNOWN_PROGRAMME',
      message: expect.stringContaining('tidak dikenal'),
    });
    const b = await waitForProposal(stack, notASheet, ['INVALID']);
    expect(b.reason.code).toBe('UPLOAD_NOT_SPREADSHEET');
    // The operator hears why, in words they can act on.
    // A direct upload names nobody Jaring can vouch for: Dinas Sosial hears, never the address the
    // file's metadata claims (anyone can write that).
    const told = await waitForMail(stack, (m) => m.subject.includes('surat-pengantar.pdf'));
    expect(told.to).not.toContain('operator@desa-pulau-telo.local');
    expect(told.text).toContain('bukan lembar kerja');
    expect(told.text).toContain('.xlsx');
    const c = await waitForProposal(stack, unknownVillage, ['INVALID']);
    expect(c.reason.code).toBe('VILLAGE_UNKNOWN');

    // Nothing is lost: the file stays where the operator put it.
    const kept = await stack.s3.send(new GetObjectCommand({ Bucket: stack.info.s3.buckets.uploads!, Key: notASheet }));
    expect(await kept.Body!.transformToString()).toBe('%PDF-1.4 surat');
  });

  it('ends INVALID with the reason when a sheet has no valid rows, and writes the report', async () => {
    const uploadKey = key('usulan-kosong.csv');
    await upload(stack, uploadKey, proposalCsv([['6,20301E+15', 'Budi', '12-05-1985', 'L', 'Petani']]));
    const p = await waitForProposal(stack, uploadKey, ['INVALID']);
    expect(p).toMatchObject({ rows: 1, valid: 0, invalid: 1, reason: { code: 'NO_VALID_ROWS' } });
    const report = await api(stack, `/proposals/${p.id}/report?format=json`);
    expect(report.status).toBe(302);
    const json = (await (await fetch(report.headers.get('location')!)).json()) as { rows: unknown[] };
    expect(json.rows[0]).toMatchObject({
      row: 2,
      status: 'invalid',
      errors: [expect.objectContaining({ code: 'NIK_SCIENTIFIC' })],
    });
  });

  it('shows whom BPJS refused and why, on the page and in the JSON the notice points to', async () => {
    const uploadKey = key('usulan-sebagian.csv');
    const refused = nik('07-07-1977', 'P', 61);
    await upload(
      stack,
      uploadKey,
      proposalCsv([
        [nik('06-06-1976', 'L', 60), 'Hasan Basri', '06-06-1976', 'L', 'petani'],
        [refused, 'Nur Aini', '07-07-1977', 'P', 'nelayan'],
      ]),
    );
    const waiting = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL']);
    await bpjsFaults(stack, { rejectNiks: [refused] });
    const { code } = await approvalLink(stack, waiting.id);
    expect((await decide(stack, waiting.id, code, 'APPROVED')).status).toBe(200);
    const done = await waitForProposal(stack, uploadKey, ['PARTIALLY_ENROLLED', 'ENROLLED', 'FAILED'], 60_000);
    expect(done).toMatchObject({ status: 'PARTIALLY_ENROLLED', enrolled: 1, rejectedByBpjs: 1 });
    expect(done.bpjsRejections).toEqual([
      {
        row: 3,
        nik: `${refused.slice(0, 4)}********${refused.slice(12)}`,
        code: expect.any(String),
        message: expect.any(String),
      },
    ]);
    const page = await api(stack, `/proposals/${waiting.id}`, { headers: { accept: 'text/html' } });
    expect(page.body).toContain('Ditolak BPJS Ketenagakerjaan (1)');
    expect(page.body).toContain(done.bpjsRejections[0].message);
    expect(page.body).not.toContain(refused);
    const notice = await waitForMail(
      stack,
      (m) => m.subject.includes('terdaftar di BPJS') && m.text.includes(waiting.id),
    );
    expect(notice.text).toContain('alasannya tercantum pada rincian usulan');
    await bpjsFaults(stack, {});
  });

  it('retries BPJS through an outage, and re-drives a proposal that failed', async () => {
    const uploadKey = key('usulan-gangguan.csv');
    await upload(
      stack,
      uploadKey,
      proposalCsv([[nik('03-03-1983', 'L', 21), 'Joko Susilo', '03-03-1983', 'L', 'buruh harian lepas']]),
    );
    const waiting = await waitForProposal(stack, uploadKey, ['AWAITING_APPROVAL']);

    // BPJS refuses the batch outright: no retry can help, so the proposal FAILS at the submit stage.
    await bpjsFaults(stack, { refuseRequests: 1 });
    const { code } = await approvalLink(stack, waiting.id);
    expect((await decide(stack, waiting.id, code, 'APPROVED')).status).toBe(200);
    const failed = await waitForProposal(stack, uploadKey, ['FAILED', 'ENROLLED']);
    expect(failed).toMatchObject({ status: 'FAILED', failure: { stage: 'submit', error: 'BpjsRequestRejectedError' } });
    expect(failed.reason.message).toContain('menjalankan ulang');

    // Re-driven during a brief outage: the retry carries it through.
    await bpjsFaults(stack, { outage: 1 });
    const redrive = await api(stack, `/proposals/${waiting.id}/redrive`, { method: 'POST' });
    expect(redrive.status).toBe(202);
    const enrolled = await waitForProposal(stack, uploadKey, ['ENROLLED', 'FAILED'], 60_000);
    expect(enrolled).toMatchObject({ status: 'ENROLLED', enrolled: 1, redrives: 1 });
  });
});
