import ExcelJS from 'exceljs';
import { maskNik } from '../privacy/mask';
import { villageLabel } from '../regions/village-label';
import type { Bill } from './bill';
import { monthName } from './coverage';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One village's part of the bill: a summary on top, then a row per participant (NIK masked). */
export async function villageWorkbook(bill: Bill, villageCode: string, niks: readonly string[]): Promise<Buffer> {
  const line = bill.lines.find((l) => l.villageCode === villageCode);
  if (!line) throw new Error(`Bill ${bill.id} has no line for village ${villageCode}`);
  if (line.participants !== niks.length) {
    throw new Error(`Bill ${bill.id} counts ${line.participants} in ${villageCode}, the list has ${niks.length}`);
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Tagihan', { views: [{ state: 'frozen', ySplit: 8 }] });
  sheet.columns = [{ width: 8 }, { width: 24 }, { width: 18 }, { width: 18 }];
  const rows: (string | number)[][] = [
    ['Program', bill.programmeId],
    ['Bulan', monthName(bill.month)],
    ['Desa', villageLabel(villageCode)],
    ['Jumlah peserta', line.participants],
    ['Iuran per peserta', bill.perParticipant.total],
    ['Jumlah desa ini', line.amount],
    ['Jatuh tempo', bill.due.date],
    ['No', 'NIK (disamarkan)', 'Bulan', 'Iuran (Rp)'],
  ];
  sheet.addRows(rows);
  sheet.getRow(8).font = { bold: true };
  niks.forEach((nik, i) => sheet.addRow([i + 1, maskNik(nik), bill.month, bill.perParticipant.total]));
  for (const r of [5, 6]) sheet.getRow(r).getCell(2).numFmt = '#,##0';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
