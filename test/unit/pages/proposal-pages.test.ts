import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { approvalPage, decisionPage } from '../../../functions/pages/proposal-pages';
import { ProposalStatus } from '../../../functions/core/proposals/proposal';
import { STATUS_TEXT } from '../../../functions/core/proposals/proposal-view';
import { proposal } from '../proposals/proposal-fixture';

const programme = findProgramme('kapuas-2026-apbd')!;
const links = {
  action: '/proposals/prp-0123456789abcdef0123/approval',
  report: '/proposals/prp-0123456789abcdef0123/report?format=xlsx&inline=1',
};
const code = 'secret-approval-code-42';

describe('approvalPage for a proposal awaiting approval', () => {
  const html = approvalPage(proposal(), programme, links, code);

  it('has one form that POSTs to the action', () => {
    expect(html.match(/<form /g)).toHaveLength(1);
    expect(html).toContain(`<form method="post" action="${links.action}">`);
  });

  it('carries the approval code in a hidden field', () => {
    expect(html).toContain(`<input type="hidden" name="code" value="${code}">`);
  });

  it('offers both decisions as submit buttons and a note', () => {
    expect(html).toMatch(/<button[^>]*type="submit" name="decision" value="APPROVED">Setujui 9 pekerja<\/button>/);
    expect(html).toMatch(/<button[^>]*type="submit" name="decision" value="REJECTED">Tolak usulan<\/button>/);
    expect(html).toContain('name="note"');
  });

  it('summarises the proposal: programme, village, counts, monthly contribution, deadline', () => {
    expect(html).toContain(`${programme.name} (kapuas-2026-apbd)`);
    expect(html).toContain('<tr><th>Desa/Kelurahan</th><td>Desa Pulau Telo (62.03.01.2011)</td></tr>');
    expect(html).toContain('<tr><th>Valid</th><td>9</td></tr>');
    expect(html).toContain('<tr><th>Tidak valid</th><td>3</td></tr>');
    expect(html).toContain('Rp151.200');
    expect(html).toContain('Batas waktu keputusan: 2026-02-26');
    expect(html).toContain('<tr><th>Kabupaten</th><td>Kabupaten Kapuas</td></tr>');
    expect(html).toContain('<tr><th>Iuran JKK+JKM per bulan (pekerja valid)</th><td>Rp151.200</td></tr>');
  });

  it("names another regency's programme with its own benefits: Kubu Raya pays JHT too", () => {
    const kubuRaya = findProgramme('kuburaya-2026-apbd')!;
    const page = approvalPage(
      proposal({ programmeId: kubuRaya.id, villageCode: '61.12.07.2005' }),
      kubuRaya,
      links,
      code,
    );
    expect(page).toContain('<tr><th>Kabupaten</th><td>Kabupaten Kubu Raya</td></tr>');
    // Nine valid workers at Rp36.800 (JKK 10.000 + JKM 6.800 + JHT 20.000).
    expect(page).toContain('<tr><th>Iuran JKK+JKM+JHT per bulan (pekerja valid)</th><td>Rp331.200</td></tr>');
  });

  it('links the report with its query escaped', () => {
    expect(html).toContain('href="/proposals/prp-0123456789abcdef0123/report?format=xlsx&amp;inline=1"');
  });

  it('escapes the code should it carry markup', () => {
    const h = approvalPage(proposal(), programme, links, '"><script>x</script>');
    expect(h).not.toContain('<script>');
    expect(h).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });
});

describe('approvalPage for a proposal no longer awaiting approval', () => {
  it.each(ProposalStatus.options.filter((s) => s !== 'AWAITING_APPROVAL'))(
    'shows no form and no code for %s',
    (status) => {
      const html = approvalPage(proposal({ status }), programme, links, code);
      expect(html).not.toContain('<form');
      expect(html).not.toContain('<button');
      expect(html).not.toContain(code);
      expect(html).toContain('Usulan sudah diputuskan');
      expect(html).toContain(STATUS_TEXT[status]);
    },
  );
});

describe('approvalPage escaping of user text', () => {
  it('escapes the file name', () => {
    const html = approvalPage(proposal({ fileName: '<script>alert(1)</script>.xlsx' }), programme, links, code);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.xlsx');
  });

  it('falls back to the programme id when the programme is unknown, without a contribution line', () => {
    const html = approvalPage(proposal({ programmeId: 'kapuas-<b>' }), undefined, links, code);
    expect(html).toContain('<tr><th>Program</th><td>kapuas-&lt;b&gt;</td></tr>');
    expect(html).not.toContain('Iuran per bulan');
  });
});

describe('decisionPage', () => {
  it('escapes title and message (which may quote the approver note)', () => {
    const html = decisionPage('Ditolak <b>', 'Catatan: <script>x</script>');
    expect(html).toContain('<h1>Ditolak &lt;b&gt;</h1>');
    expect(html).toContain('<p>Catatan: &lt;script&gt;x&lt;/script&gt;</p>');
  });
});
