import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { approvalRequestMail, outcomeMail } from '../../../functions/core/proposals/mails';
import { ProposalStatus } from '../../../functions/core/proposals/proposal';
import { proposal } from './proposal-fixture';

const programme = findProgramme('kapuas-2026-apbd')!;
const approvalUrl = 'https://api.example/proposals/prp-0123456789abcdef0123/approval?code=secret-approval-code-42&x=1';
const recipients = {
  operator: 'operator@desa.example',
  ops: 'dinsos@kapuaskab.go.id',
  approver: 'kepala.dinsos@kapuaskab.go.id',
};
// What the callers hand the builders: the console page of the proposal (consoleUrl), for the proposal and its report.
const links = {
  proposal: 'https://api.example/app/proposals/prp-0123456789abcdef0123',
  report: 'https://api.example/app/proposals/prp-0123456789abcdef0123',
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
    // The link opens the console page (sign-in first), never the report itself.
    expect(mail.text).toContain(
      'Rincian dan laporan validasi (perlu masuk): https://api.example/app/proposals/prp-0123456789abcdef0123',
    );
    expect(mail.text).not.toContain('/report');
    expect(mail.text).toContain('berlaku sampai 2026-02-26');
  });

  it('states the monthly contribution for the valid workers in id-ID rupiah (9 x Rp16.800)', () => {
    expect(mail.text).toContain('Rp151.200 per bulan');
    expect(mail.html).toContain('Rp151.200 per bulan');
    const many = approvalRequestMail(
      proposal({ counts: { rows: 1000, valid: 1000, invalid: 0 } }),
      programme,
      approvalUrl,
    );
    expect(many.text).toContain('Rp16.800.000 per bulan');
  });

  it('escapes the file name in HTML but keeps it readable in the text', () => {
    const m = approvalRequestMail(proposal({ fileName: '<script>.csv' }), programme, approvalUrl);
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;.csv');
    expect(m.text).toContain('usulan <script>.csv dari Desa Pulau Telo (62.03.01.2011)');
  });

  it('lists the most frequent problems when the proposal has them', () => {
    const m = approvalRequestMail(
      proposal({ topIssues: [{ code: 'NIK_CHECKSUM', rows: 2, example: 'NIK 6203 salah' }] }),
      programme,
      approvalUrl,
    );
    expect(m.text).toContain('Masalah terbanyak:\n- 2 baris: NIK 6203 salah');
  });

  it('omits the report line when there is no report link', () => {
    expect(approvalRequestMail(proposal(), programme, approvalUrl).text).not.toContain('Laporan validasi');
  });
});

describe('outcomeMail', () => {
  it('tells the operator, with ops in copy, why an INVALID proposal stopped and links the report', () => {
    const p = proposal({
      status: 'INVALID',
      reason: { code: 'NO_VALID_ROWS', message: 'Tidak ada baris yang valid. Perbaiki baris, lalu unggah ulang.' },
    });
    const mail = outcomeMail(p, recipients, links)!;
    expect(mail.to).toEqual(['operator@desa.example', 'dinsos@kapuaskab.go.id']);
    expect(mail.subject).toBe('[Jaring] Usulan usulan.xlsx tidak dapat diproses');
    expect(mail.text).toContain('Alasan: Tidak ada baris yang valid. Perbaiki baris, lalu unggah ulang.');
    expect(mail.text).toContain(
      'Laporan per baris (perbaiki lalu unggah ulang berkas yang sama): https://api.example/app/proposals/prp-0123456789abcdef0123',
    );
    expect(mail.text).toContain('Rincian: https://api.example/app/proposals/prp-0123456789abcdef0123');
  });

  it('sends an INVALID notice to ops alone when the upload named no operator', () => {
    const p = proposal({
      status: 'INVALID',
      operatorEmail: undefined,
      reason: { code: 'UPLOAD_LAYOUT', message: 'Lokasi berkas tidak sesuai.' },
    });
    const mail = outcomeMail(p, { ops: recipients.ops }, links)!;
    expect(mail.to).toEqual(['dinsos@kapuaskab.go.id']);
    expect(mail.text).toContain('Alasan: Lokasi berkas tidak sesuai.');
  });

  it('escapes the reason in HTML', () => {
    const p = proposal({
      status: 'INVALID',
      reason: { code: 'X', message: 'Berkas <img src=x onerror=alert(1)> rusak' },
    });
    const mail = outcomeMail(p, recipients, links)!;
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it("includes the approver's note when REJECTED, escaped in HTML", () => {
    const p = proposal({
      status: 'REJECTED',
      approval: { ...proposal().approval!, decision: 'REJECTED', note: 'Data <b>ganda</b> & belum diverifikasi' },
    });
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
    const mail = outcomeMail(
      proposal({ status: 'PARTIALLY_ENROLLED', enrolled: 7, rejectedByBpjs: 2 }),
      recipients,
      links,
    )!;
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
    for (const status of [
      'RECEIVED',
      'VALIDATING',
      'VALIDATED',
      'AWAITING_APPROVAL',
      'APPROVED',
      'SUBMITTING',
    ] as const) {
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

describe('personal data in mail', () => {
  const nikA = '6203011205850001';
  const withRowData = proposal({
    status: 'INVALID',
    reason: { code: 'NIK_DATE_INVALID', message: `NIK ${nikA} tidak mungkin` },
    topIssues: [
      {
        code: 'NIK_REGION_INVALID',
        rows: 3,
        example: `NIK ${nikA} tidak mungkin: 6 digit pertama (kode wilayah) tidak valid.`,
      },
      {
        code: 'NAME_IMPLAUSIBLE',
        rows: 2,
        example: 'Nama "Budi Santoso 2" tidak wajar (berisi angka atau tanda, atau terlalu pendek).',
      },
      {
        code: 'BIRTHDATE_MISMATCH',
        rows: 1,
        example: 'Tanggal lahir 12-05-1985 tidak sama dengan tanggal lahir dalam NIK (15-06-1988).',
      },
    ],
  });

  it('masks NIKs and leaves names and birth dates out of every mail', () => {
    const mails = [
      approvalRequestMail(proposal({ topIssues: withRowData.topIssues }), programme, approvalUrl, links.report),
      outcomeMail(withRowData, { operator: 'op@desa.example', ops: 'ops@dinsos.example' }, links)!,
    ];
    for (const mail of mails) {
      for (const body of [mail.text, mail.html, mail.subject]) {
        expect(body).not.toContain(nikA);
        expect(body).not.toContain('Budi Santoso');
        expect(body).not.toMatch(/1985|1988/);
      }
      expect(mail.text).toContain('6203********0001');
    }
  });

  it('keeps control characters of a file name out of the subject', () => {
    const mail = outcomeMail(
      proposal({ status: 'INVALID', fileName: 'usulan\r\nBcc: x@y.example.csv' }),
      { ops: 'ops@dinsos.example' },
      links,
    )!;
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});

describe('file names and notes that carry personal data', () => {
  it('keeps a NIK typed into a file name or a note out of the mail', () => {
    const nikA = '6203011205850001';
    const p = proposal({
      status: 'REJECTED',
      fileName: `${nikA} Budi.csv`,
      approval: {
        ...proposal().approval!,
        decision: 'REJECTED',
        note: `NIK ${nikA} lahir 12-05-1985 bukan warga desa`,
      },
    });
    const mail = outcomeMail(p, { operator: 'op@desa.example', ops: 'ops@dinsos.example' }, links)!;
    for (const body of [mail.subject, mail.text, mail.html]) {
      expect(body).not.toContain(nikA);
      expect(body).not.toContain('12-05-1985');
    }
    expect(mail.text).toContain('bukan warga desa');
  });
});

describe('a file refused whole', () => {
  it('links no row-by-row report, which does not exist for it', () => {
    const refused = proposal({
      status: 'INVALID',
      counts: undefined,
      report: { json: 'reports/prp-0123456789abcdef0123/report.json' },
      reason: { code: 'HEADER_NOT_FOUND', message: 'Kolom NIK tidak ditemukan.' },
    });
    const mail = outcomeMail(refused, { ops: 'ops@dinsos.example' }, links)!;
    expect(mail.text).not.toContain('Laporan per baris');
    expect(mail.text).toContain('Kolom NIK tidak ditemukan.');
  });
});

describe('mails name the regency and its Dinas Sosial', () => {
  // Kubu Raya pays JHT beside JKK and JKM: Rp10.000 + Rp6.800 + Rp20.000 per person per month.
  const kubuRaya = {
    ...programme,
    id: 'kuburaya-test-apbd',
    regency: { code: '61.12', name: 'Kabupaten Kubu Raya' },
    benefits: ['JKK' as const, 'JKM' as const, 'JHT' as const],
    approverEmail: 'kepala.dinsos@kuburaya.test',
  };
  const bintangMas = proposal({ programmeId: kubuRaya.id, villageCode: '61.12.07.2005' });

  it("asks Kubu Raya's Kepala Dinas Sosial, prices JHT in, and signs as its Dinas Sosial", () => {
    const mail = approvalRequestMail(bintangMas, kubuRaya, approvalUrl, links.report);
    expect(mail.text).toContain('Yth. Kepala Dinas Sosial Kabupaten Kubu Raya,');
    expect(mail.text).toContain('Iuran JKK+JKM+JHT yang ditanggung Kabupaten Kubu Raya untuk pekerja valid: Rp331.200');
    expect(mail.text).toContain('-- Jaring, Dinas Sosial Kabupaten Kubu Raya');
    expect(mail.html).toContain('-- Jaring, Dinas Sosial Kabupaten Kubu Raya');
    expect(`${mail.text}${mail.html}`).not.toContain('Kapuas');
  });

  it("signs each outcome with the Dinas Sosial of the proposal's own regency", () => {
    const kubu = outcomeMail({ ...bintangMas, status: 'REJECTED' }, recipients, links)!;
    expect(kubu.text).toContain('-- Jaring, Dinas Sosial Kabupaten Kubu Raya');
    const kapuas = outcomeMail(proposal({ status: 'REJECTED' }), recipients, links)!;
    expect(kapuas.text).toContain('-- Jaring, Dinas Sosial Kabupaten Kapuas');
    expect(approvalRequestMail(proposal(), programme, approvalUrl).text).toContain(
      'Yth. Kepala Dinas Sosial Kabupaten Kapuas,',
    );
  });
});
