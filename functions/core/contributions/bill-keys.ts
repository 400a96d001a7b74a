import type { Bill } from './bill';
import type { CalendarMonth } from './calendar';

/**
 * The files finance staff check a bill against, under `bills/<programmeId>/<YYYY-MM>/` beside the
 * participants list: the bill itself as JSON, and one XLSX per village listing its participants with
 * the NIK masked (a finance officer checks counts and money, not identities; the operator has the
 * full list in the village's own proposal).
 */
export const billDocumentsPrefix = (programmeId: string, month: CalendarMonth) => `bills/${programmeId}/${month}/`;
export const billJsonKey = (bill: Bill) => `${billDocumentsPrefix(bill.programmeId, bill.month)}bill.json`;
export const villageWorkbookKey = (bill: Bill, villageCode: string) =>
  `${billDocumentsPrefix(bill.programmeId, bill.month)}desa-${villageCode}.xlsx`;
