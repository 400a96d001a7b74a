import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { approvalRequestMail, outcomeMail } from '../../../functions/core/proposals/mails';
import { ProposalStatus } from '../../../functions/core/proposals/proposal';
import { proposal } from './proposal-fixture';

const programme = findProgramme('kapuas-2026-apbd')!;
const approvalUrl = 'https://api.example/proposals/prp-0123456789abcdef0123/approval?code=secret-approval-code-42&x=1';
const recipients = { operator: 'operator@desa.example', ops: 'dinsos@kapuaskab.go.id', approver: 'kepala.dinsos@kapuaskab.go.id' };
const links = {
  proposal: 'https://api.example/proposals/prp-0123456789abcdef0123',
  report: 'https://api.example/proposals/prp-0123456789abcdef0123/report?format=xlsx',
};

describe('approvalRequestMail', () => {
  const mail = approvalRequestMail(proposal(), programme, approvalUrl, links.report);

  it("goes to the programme's approver only", () => {
    expect(mail.to).toEqual(['kepala.dinsos@kapuaskab.go.id']);
  });

  it('names the valid workers, village and programme in the subject', () => {
    expect(mail.subject).toBe('[Jaring] Mohon persetujuan: 9 pekerja dari 62.03.01.2011 (kapuas-2026-apbd)');
  });

  it('carries the approval link, in the text and (escaped) as the HTML link', () => {
    expect(mail.text).toContain(approvalUrl);
    expect(mail.html).toContain(`href="${approvalUrl.replace('&', '&amp;')}"`);
  });

  it('gives the counts, the report link and the deadline', () => {
    expect(mail.text).toContain('Jumlah baris: 12. Valid: 9. Tidak valid: 3. Melebihi kuota: 0.');
    expect(mail.text).toContain(`Laporan validasi: ${links.report}`);
    expect(mail.text).toContain('berlaku sampai 2026-02-26');
  });

  it('states the monthly contribution for the valid workers in id-ID rupiah (9 x Rp16.800)', () => {
    expect(mail.text).toContain('Rp151.200 per bulan');
    expect(mail.html).toContain('Rp151.200 per bulan');
    const many = approvalRequestMail(proposal({ counts: { rows: 1000, valid: 1000, invalid: 0 } }), programme, approvalUrl);
    expect(many.text).toContain('Rp16.800.000 per bulan');
  });

  it('escapes the file name in HTML but keeps it readable in the text', () => {
    const m = approvalRequestMail(proposal({ fileName: '<script>.csv' }), programme, approvalUrl);
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;.csv');
    expect(m.text).toContain('usulan <script>.csv dari Desa Pulau Telo (62.03.01.2011)');
  });

  it('lists the most frequent problems when the proposal has them', () => {
    const m = approvalRequestMail(proposal({ topIssues: [{ code: 'NIK_CHECKSUM', rows: 2, example: 'NIK 6203 salah' }] }), programme, approvalUrl);
    expect(m.text).toContain('Masalah terbanyak:\n- 2 baris: NIK 6203 salah');
  });

  it('omits the report line when there is no report link', () => {
    expect(approvalRequestMail(proposal(), programme, approvalUrl).text).not.toContain('Laporan validasi');
  });
});

describe('outcomeMail', () => {
  it('tells the operator, with ops in copy, why an INVALID proposal stopped and links the report', () => {
    const p = proposal({ status: 'INVALID', reason: { code: 'NO_VALID_ROWS', message: 'Tidak ada baris yang valid. Perbaiki baris, lalu unggah ulang.' } });
    const mail = outcomeMail(p, recipients, links)!;
    expect(mail.to).toEqual(['operator@desa.example', 'dinsos@kapuaskab.go.id']);
    expect(mail.subject).toBe('[Jaring] Usulan usulan.xlsx tidak dapat diproses');
    expect(mail.text).toContain('Alasan: Tidak ada baris yang valid. Perbaiki baris, lalu unggah ulang.');
    expect(mail.text).toContain(links.report);
    expect(mail.text).toContain(`Rincian: ${links.proposal}`);
  });

  it('sends an INVALID notice to ops alone when the upload named no operator', () => {
    const p = proposal({ status: 'INVALID', operatorEmail: undefined, reason: { code: 'UPLOAD_LAYOUT', message: 'Lokasi berkas tidak sesuai.' } });
    const mail = outcomeMail(p, { ops: recipients.ops }, links)!;
    expect(mail.to).toEqual(['dinsos@kapuaskab.go.id']);
    expect(mail.text).toContain('Alasan: Lokasi berkas tidak sesuai.');
  });

  it('escapes the reason in HTML', () => {
    const p = proposal({ status: 'INVALID', reason: { code: 'X', message: 'Berkas <img src=x onerror=alert(1)> rusak' } });
    const mail = outcomeMail(p, recipients, links)!;
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it("includes the approver's note when REJECTED, escaped in HTML", () => {
    const p = proposal({ status: 'REJECTED', approval: { ...proposal().approval!, decision: 'REJECTED', note: 'Data <b>ganda</b> & belum diverifikasi' } });
    const mail = outcomeMail(p, recipients, links)!;
    expect(mail.to).toEqual(['operator@desa.example', 'dinsos@kapuaskab.go.id']);
    expect(mail.subject).toContain('ditolak');
    expect(mail.text).toContain('Catatan: Data <b>ganda</b> & belum diverifikasi');
    expect(mail.html).toContain('Catatan: Data &lt;b&gt;ganda&lt;/b&gt; &amp; belum diverifikasi');
  });

  it('reports enrolled and refused counts for ENROLLED, copying the approver', () => {
    const mail = outcomeMail(proposal({ status: 'ENROLLED', enrolled: 9, rejectedByBpjs: 0 }), recipients, links)!;
    expect(mail.to).toEqual(['operator@desa.example', 'dinsos@kapuaskab.go.id', 'kepala.dinsos@kapuaskab.go.id']);
    expect(mail.subject).toBe('[Jaring] 9 pekerja terdaftar di BPJS Ketenagakerjaan (62.03.01.2011)');
    expect(mail.text).toContain('Terdaftar sebagai peserta: 9. Ditolak BPJS: 0.');
    expect(mail.text).not.toContain('Sebagian pekerja ditolak');
  });

  it('says some were refused for PARTIALLY_ENROLLED', () => {
    const mail = outcomeMail(proposal({ status: 'PARTIALLY_ENROLLED', enrolled: 7, rejectedByBpjs: 2 }), recipients, links)!;
    expect(mail.text).toContain('Terdaftar sebagai peserta: 7. Ditolak BPJS: 2.');
    expect(mail.text).toContain('Sebagian pekerja ditolak BPJS');
  });

  it('tells ops only when a proposal FAILED, with the cause', () => {
    const p = proposal({ status: 'FAILED', reason: { code: 'BPJS_UNAVAILABLE', message: 'BPJS tidak menjawab' } });
    const mail = outcomeMail(p, recipients, links)!;
    expect(mail.to).toEqual(['dinsos@kapuaskab.go.id']);
    expect(mail.text).toContain('gangguan sistem: BPJS tidak menjawab');
  });

  it('tells operator, ops and approver when a proposal EXPIRED', () => {
    const mail = outcomeMail(proposal({ status: 'EXPIRED' }), recipients, links)!;
    expect(mail.to).toEqual(['operator@desa.example', 'dinsos@kapuaskab.go.id', 'kepala.dinsos@kapuaskab.go.id']);
    expect(mail.text).toContain('kedaluwarsa');
  });

  it('sends nothing for a proposal still under way', () => {
    for (const status of ['RECEIVED', 'VALIDATING', 'VALIDATED', 'AWAITING_APPROVAL', 'APPROVED', 'SUBMITTING'] as const) {
      expect(outcomeMail(proposal({ status }), recipients, links), status).toBeUndefined();
    }
  });

  it('addresses every mail it sends to someone, without duplicates', () => {
    for (const status of ProposalStatus.options) {
      const mail = outcomeMail(proposal({ status }), { ...recipients, operator: recipients.ops }, links);
      if (!mail) continue;
      expect(mail.to.length, status).toBeGreaterThan(0);
      expect(mail.to, status).toEqual([...new Set(mail.to)]);
    }
  });
});
