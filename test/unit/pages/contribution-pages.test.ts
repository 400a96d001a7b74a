import { describe, expect, it } from 'vitest';
import { BillTally, issueBill, recordPayment } from '../../../functions/core/contributions/bill';
import { billDetail, billSummary, participantRow } from '../../../functions/core/contributions/contribution-views';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import { PaymentRequest } from '../../../functions/core/contributions/use-cases/record-finance-payment';
import { billPage, billsPage, participantsPage } from '../../../functions/pages/contribution-pages';
import { coverage, PROGRAMME, PULAU_TELO, terms } from '../contributions/fixtures';

const tally = new BillTally(PROGRAMME, '2026-02');
tally.add(coverage(1));
tally.add(coverage(2));
const issued = issueBill({
  programme: { id: PROGRAMME, fundingSource: 'APBD', benefits: ['JKK', 'JKM'] },
  tally,
  terms: terms(),
  holidays: indonesianHolidays,
  issuedAt: '2026-02-01T00:05:00Z',
})!;
const paid = recordPayment(
  issued,
  {
    bankReference: '<b>TRF</b>',
    amount: 10_000,
    paidOn: '2026-02-05',
    recordedAt: '2026-02-05T03:00:00Z',
    recordedBy: 'finance:rina',
  },
  '2026-02-05',
).bill;

describe('the console’s bill pages', () => {
  it('shows amounts in rupiah, the villages, and payments escaped', () => {
    const page = billPage(billDetail(paid));
    expect(page).toContain('Rp33.600');
    expect(page).toContain('Dibayar sebagian');
    expect(page).toContain('Pulau Telo');
    expect(page).toContain('&lt;b&gt;TRF&lt;/b&gt;');
    expect(page).not.toContain('<b>TRF');
  });

  it('offers the payment form only when a payment action is given (finance)', () => {
    expect(billPage(billDetail(paid))).not.toContain('data-action');
    expect(billPage(billDetail(paid), '/bills/x/payments')).toContain('data-action="/bills/x/payments"');
  });

  it('lists bills with links into the console', () => {
    const page = billsPage([{ ...billSummary(paid), links: { self: '/bills/kapuas-2026-apbd%232026-02' } }]);
    expect(page).toContain('href="/app/bills/kapuas-2026-apbd%232026-02"');
    expect(page).toContain('Februari 2026');
  });
});

describe('the console’s participant list', () => {
  it('shows NIKs masked only', () => {
    const page = participantsPage({
      programmeId: PROGRAMME,
      villageCode: PULAU_TELO,
      rows: [participantRow(coverage(1))],
    });
    expect(page).toContain('6203********0001');
    expect(page).not.toContain('6203011506880001');
  });
});

describe('a payment as the console’s form sends it', () => {
  it('takes the amount as digits, never a fraction or a formatted number', () => {
    const form = { paidOn: '2026-02-05', bankReference: 'TRF-1' };
    expect(PaymentRequest.parse({ ...form, amount: '33600' }).amount).toBe(33_600);
    for (const amount of ['33.600', '33600.5', '', '-1', 0, 1.5]) {
      expect(PaymentRequest.safeParse({ ...form, amount }).success, String(amount)).toBe(false);
    }
  });
});
