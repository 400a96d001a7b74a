import { describe, expect, it } from 'vitest';
import { chainAll, verifyChain } from '../../../functions/core/audit/chain';
import { SearchQuery, type SearchRow } from '../../../functions/core/audit/search';
import { buildTimeline, parseEntity } from '../../../functions/core/audit/timeline';
import { allProgrammes } from '../../../functions/core/programmes/catalogue';
import { findVillage, villagesOfRegency } from '../../../functions/core/regions/villages';
import { homePage, searchPage, timelinePage } from '../../../functions/pages/audit-pages';

const programmes = allProgrammes().filter((p) => p.regency.code === '62.03');
const row: SearchRow = {
  kind: 'proposal',
  entity: 'proposal#prp-00000000000000000001',
  title: '<script>alert(1)</script>.csv',
  programmeId: 'kapuas-2026-apbd',
  villageCode: '62.03.01.2011',
  village: 'Desa Pulau Telo',
  kecamatan: 'Selat',
  status: 'ENROLLED',
  statusText: 'Semua pekerja valid terdaftar sebagai peserta',
  date: '2026-12-02T22:41:14.411Z',
  links: { timeline: '/timeline/proposal%23prp-00000000000000000001', record: '/proposals/prp-00000000000000000001' },
};

describe('the console pages', () => {
  it('search: the filters kept, rows escaped, each linking to its timeline, exports of the same query', () => {
    const html = searchPage({
      query: SearchQuery.parse({ kind: 'proposal', village: '62.03.01.2011' }),
      kinds: ['proposal', 'participant', 'claim'],
      villages: villagesOfRegency('62.03'),
      programmes,
      statuses: { proposal: [['ENROLLED', 'Terdaftar']] },
      answer: { rows: [row], truncated: false },
      fileStem: 'pencarian-proposal-20261203-0541',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('href="/app/timeline/proposal%23prp-00000000000000000001"');
    expect(html).toContain('<option value="62.03.01.2011" selected>');
    expect(html).toContain('<form method="get" action="/app/search"');
    expect(html).toContain(
      'href="/search?kind=proposal&amp;village=62.03.01.2011&amp;format=xlsx" data-download-file="pencarian-proposal-20261203-0541.xlsx"',
    );
    expect(html).not.toContain('value="bill"');
  });

  it('timeline: the verdict on top, the broken event marked, links the console follows, nothing to post', () => {
    const events = chainAll(
      ['UPLOAD_RECEIVED', 'VALIDATION_PASSED'].map((action, i) => ({
        entity: 'proposal#prp-00000000000000000001',
        action,
        actor: 'system:x',
        at: `2026-12-02T22:4${i}:00.000Z`,
      })),
    );
    events[1] = { ...events[1]!, actor: 'system:y' };
    const t = buildTimeline({
      ref: parseEntity('proposal#prp-00000000000000000001')!,
      title: 'usulan x',
      events,
      verdict: verifyChain(events),
      whole: false,
      access: { report: true, bills: false, documents: false, proposals: false },
    });
    const html = timelinePage(t, {
      self: '/timeline/proposal%23prp-00000000000000000001',
      record: '/app/proposals/prp-00000000000000000001',
      fileStem: 'riwayat-proposal-prp-00000000000000000001',
    });
    expect(html).toContain('class="verdict broken"');
    expect(html).toContain('<tr class="broken" data-action="VALIDATION_PASSED">');
    expect(html).toContain('<time datetime="2026-12-02T22:41:00.000Z">03-12-2026 05.41.00 WIB</time>');
    expect(html).toContain('href="/proposals/prp-00000000000000000001/report?format=xlsx" data-download');
    expect(html).toContain('data-download-file="riwayat-proposal-prp-00000000000000000001.csv"');
    expect(html).not.toMatch(/<form|data-action="\//);
  });

  it('home: an operator gets their villages, the upload and the templates; an auditor no work to do', () => {
    const villages = ['62.03.01.2011', '62.03.01.2020'].map((c) => findVillage(c)!);
    const operator = homePage({
      username: 'operator-pulau-telo',
      villages,
      programmes,
      may: { upload: true, fileClaim: true, bills: false, regency: false },
    });
    expect(operator).toContain('href="/app/search?kind=participant&amp;village=62.03.01.2020"');
    expect(operator).toContain('href="/app/uploads/new"');
    expect(operator).toContain('data-download-file="templat-usulan-kapuas-2026-apbd.xlsx"');
    const auditor = homePage({
      username: 'auditor-inspektorat',
      villages: [],
      programmes,
      may: { upload: false, fileClaim: false, bills: true, regency: true },
    });
    expect(auditor).toContain('href="/app/search?kind=bill"');
    expect(auditor).not.toMatch(/uploads\/new|claims\/new|\/template"/);
  });
});
