/**
 * Validates a generated 100,000-row XLSX end to end (read, rules, duplicates, report) and reports
 * wall time, peak RSS and the file's compression ratio, which the zip guard's limits assume.
 *   npx tsx test/bench/validate-100k.ts [rows]
 * The target is a 512 MB Lambda. Unbounded, V8 lets the heap grow lazily (~500 MB RSS measured);
 * with NODE_OPTIONS=--max-old-space-size=300 the same run completes at ~270 MB RSS, so the live set
 * fits: give the validating Lambda an explicit old-space limit.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import { openProposalSheet } from '../../functions/core/spreadsheet/read-proposal-sheet';
import { countRows, reportRowOf, writeReportXlsx, type ReportRow } from '../../functions/core/validation/report';
import { validateRows } from '../../functions/core/validation/rules';

const rows = Number(process.argv[2] ?? 100_000);
// The file is generated in a child process so its memory does not count towards the peak here.
const generateInto = process.argv[3];
const dir = generateInto ? '' : mkdtempSync(join(tmpdir(), 'jaring-bench-'));
const file = generateInto ?? join(dir, 'usulan.xlsx');

async function generate() {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('Usulan');
  sheet
    .addRow([
      'No',
      'NIK',
      'Nama Lengkap',
      'Tempat Lahir',
      'Tanggal Lahir',
      'Jenis Kelamin',
      'Pekerjaan',
      'Alamat',
      'No HP',
      'Desil DTSEN',
    ])
    .commit();
  const occupations = ['petani', 'nelayan', 'pedagang', 'buruh harian', 'PNS'];
  for (let i = 1; i <= rows; i++) {
    const day = (i % 28) + 1;
    const female = i % 2 === 0;
    const nik = `620301${String(day + (female ? 40 : 0)).padStart(2, '0')}0585${String(i % 9999 || 1).padStart(4, '0')}`;
    const row = sheet.addRow([
      i,
      nik,
      `Pekerja ${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10) % 10]} Santoso`,
      'Kuala Kapuas',
      new Date(Date.UTC(1985, 4, day)),
      female ? 'P' : 'L',
      occupations[i % 5],
      `RT ${i % 20} Desa Selat`,
      `0812${String(i).padStart(8, '0')}`,
      (i % 10) + 1,
    ]);
    row.getCell(5).numFmt = 'dd-mm-yyyy';
    row.commit();
  }
  await workbook.commit();
}

if (generateInto) {
  await generate();
  process.exit(0);
}

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

try {
  let t = Date.now();
  execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(rows), file], {
    stdio: 'inherit',
  });
  console.log(`generated ${rows} rows: ${mb(statSync(file).size)} in ${Date.now() - t} ms`);
  peak = 0;
  t = Date.now();
  const programme = findProgramme('kapuas-2026-apbd')!;
  const source = { fileName: 'usulan.xlsx', body: () => createReadStream(file) };
  const sheet = await openProposalSheet(source);
  // The report keeps one small entry per row: what the JSON report holds anyway.
  const byRow = new Map<number, ReportRow>();
  for await (const verdict of validateRows(sheet.rows, programme)) byRow.set(verdict.row, reportRowOf(verdict));
  const counts = countRows(byRow.values());
  const validated = Date.now() - t;
  const again = await openProposalSheet(source);
  const out = createWriteStream(join(dir, 'laporan.xlsx'));
  await writeReportXlsx(out as Writable, {
    report: {
      proposalId: 'bench',
      programmeId: programme.id,
      villageCode: '62.03.01.1007',
      fileName: 'usulan.xlsx',
      generatedAt: new Date().toISOString(),
      counts,
    },
    header: again.header,
    rows: again.rows,
    verdictOf: (r) => byRow.get(r),
  });
  await new Promise((resolve) => out.on('close', resolve));
  console.log(
    `validated in ${validated} ms, report in ${Date.now() - t - validated} ms; counts ${JSON.stringify(counts)}`,
  );
  console.log(
    `report: ${mb(statSync(join(dir, 'laporan.xlsx')).size)}; peak RSS ${mb(peak)} (process.resourceUsage maxRSS ${mb(process.resourceUsage().maxRSS * 1024)})`,
  );
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
