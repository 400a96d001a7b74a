import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { chainAll, verifyChain } from '../../../functions/core/audit/chain';
import { exportFile, searchTable, timelineTable, toCsv } from '../../../functions/core/audit/export';
import type { SearchRow } from '../../../functions/core/audit/search';
import { buildTimeline, parseEntity } from '../../../functions/core/audit/timeline';

const row = (over: Partial<SearchRow> = {}): SearchRow => ({
  kind: 'participant',
  entity: 'participant#kapuas-2026-apbd#6203011506880001',
  title: 'Peserta 6203********0001 (KPJ 26000000001)',
  programmeId: 'kapuas-2026-apbd',
  villageCode: '62.03.01.2011',
  village: 'Desa Pulau Telo',
  kecamatan: 'Selat',
  nik: '6203********0001',
  status: 'ACTIVE',
  statusText: 'Aktif',
  date: '2026-01-01',
  links: { timeline: '/timeline/x' },
  ...over,
});

async function readBack(body: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as never);
  return book;
}

describe('exports', () => {
  it('writes CSV as Indonesian Excel opens it: BOM, semicolons, quotes, no formulas', () => {
    const csv = toCsv(searchTable([row({ title: '=HYPERLINK("x";"klik")' }), row({ title: 'a; "b"' })], [])).toString(
      'utf8',
    );
    expect(csv.startsWith('\uFEFFJenis;Judul;')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"";""klik"")"`);
    expect(lines[2]).toContain('"a; ""b"""');
    // A participant's entity holds the whole NIK: it is not in the export.
    expect(csv).not.toContain('6203011506880001');
  });

  it('writes a timeline to XLSX that reads back with the same events, in order, and what it is on a second sheet', async () => {
    const events = chainAll(
      ['UPLOAD_RECEIVED', 'VALIDATION_PASSED', 'PROPOSAL_APPROVED'].map((action, i) => ({
        entity: 'proposal#prp-00000000000000000001',
        action,
        actor: i === 2 ? 'approver:kepala@dinsos' : 'system:x',
        at: `2026-12-02T22:4${i}:00.000Z`,
      })),
    );
    const t = buildTimeline({
      ref: parseEntity('proposal#prp-00000000000000000001')!,
      title: 'usulan x',
      events,
      verdict: verifyChain(events),
      whole: false,
      access: { report: false, bills: false, documents: false, proposals: false },
    });
    const file = await exportFile(timelineTable(t, [['Diunduh oleh', 'auditor:a']]), 'xlsx', 'riwayat-proposal#prp-1');
    expect(file.fileName).toBe('riwayat-proposal-prp-1.xlsx');
    const book = await readBack(file.body);
    const rows: unknown[][] = [];
    book.getWorksheet('Riwayat')!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[0]!.slice(0, 6)).toEqual([
      'Urutan',
      'Waktu (WIB)',
      'Waktu (UTC, ISO 8601)',
      'Pelaku',
      'Peristiwa',
      'Kode peristiwa',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3], r[5]])).toEqual(
      events.map((e) => [e.position, e.at, e.actor, e.action]),
    );
    const about: unknown[][] = [];
    book.getWorksheet('Keterangan')!.eachRow((r) => about.push((r.values as unknown[]).slice(1)));
    expect(about).toContainEqual(['Verifikasi rantai', 'Rantai bukti utuh: 3 peristiwa.']);
    expect(about).toContainEqual(['Diunduh oleh', 'auditor:a']);
  });

  it('names a CSV file and its type', async () => {
    const file = await exportFile(searchTable([row()], []), 'csv', 'pencarian-participant-20261203-0541');
    expect(file).toMatchObject({
      fileName: 'pencarian-participant-20261203-0541.csv',
      contentType: 'text/csv; charset=utf-8',
    });
  });
});
