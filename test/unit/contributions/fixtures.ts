import {
  applyCoverageEvent,
  openCoverage,
  type Coverage,
  type CoverageEvent,
} from '../../../functions/core/contributions/coverage';
import { ContributionTerms, type ContributionTermsInput } from '../../../functions/core/contributions/terms';

export const PROGRAMME = 'kapuas-2026-apbd';
export const PULAU_TELO = '62.03.01.2011';
export const MURUNG_KERAMAT = '62.03.01.2020';

export const terms = (input: ContributionTermsInput = {}) => ContributionTerms.parse(input);

/** A participant's NIK: region 6203, birth 150688, serial n. */
export const nik = (n: number) => `6203011506880${String(n).padStart(3, '0')}`;

export function coverage(n: number, over: Partial<Parameters<typeof openCoverage>[0]> = {}): Coverage {
  return openCoverage(
    { programmeId: PROGRAMME, nik: nik(n), villageCode: PULAU_TELO, start: '2026-01-01', end: '2026-12-31', ...over },
    '2025-12-20T03:00:00.000Z',
  );
}

/** The bill id and due date of a month, as bill.ts and due-date.ts make them for 2026. */
export const billOf = (month: string) => `${PROGRAMME}#${month}`;
const DUE: Record<string, string> = {
  '2026-01': '2026-01-15',
  '2026-02': '2026-02-16',
  '2026-03': '2026-03-16',
  '2026-04': '2026-04-15',
  '2026-05': '2026-05-15',
  '2026-06': '2026-06-15',
};

/** Events for one month, in the words of the workflow that will send them. */
export const on = {
  billed: (month: string): CoverageEvent => ({
    type: 'BILLED',
    at: `${month}-01T01:00:00.000Z`,
    month,
    billId: billOf(month),
  }),
  duePassed: (month: string): CoverageEvent => ({ type: 'DUE_DATE_PASSED', at: `${DUE[month]}T17:00:00.000Z`, month }),
  paid: (month: string, paidOn: string): CoverageEvent => ({
    type: 'BILL_PAID',
    at: `${paidOn}T05:00:00.000Z`,
    month,
    billId: billOf(month),
    paidOn,
    dueDate: DUE[month]!,
  }),
};

export function apply(c: Coverage, t: ContributionTerms, ...events: CoverageEvent[]): Coverage {
  return events.reduce((acc, e) => applyCoverageEvent(acc, e, t), c);
}
