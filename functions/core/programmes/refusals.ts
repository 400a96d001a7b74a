import type { Programme } from './programme';
import { ratesInForce } from './programme-changes';

/**
 * A change that would break what stands is refused (issue 13): what proposals reserved, what
 * participants were enrolled for, and what was billed stay as they were judged. Each rule reads only
 * what the caller found in the stores (`Standing`), so it is tested without them.
 */

/** What stands under a programme, as far as a change needs to know (each part only when it matters). */
export type Standing = {
  /** Places reserved in the quota ledger: the programme's, or the fullest desa's. */
  reserved?: { scope: 'programme'; count: number } | { scope: 'desa'; count: number; villageCode: string };
  /** Participants with a coverage record under the programme, whatever their status. */
  enrolled?: number;
  /** Months the programme has a bill for. */
  billedMonths?: readonly string[];
};

export type RefusalCode =
  | 'QUOTA_BELOW_RESERVED'
  | 'QUOTA_SCOPE_RESERVED'
  | 'COVERAGE_UNDER_ENROLLED'
  | 'RATES_OF_BILLED_MONTHS'
  | 'REGENCY_CHANGED';
export type Refusal = { code: RefusalCode; message: string };

/** Which parts of the standing a change must be judged against: only what it touches is read. */
export function standingNeeded(before: Programme, after: Programme) {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    quota: !same(before.quota, after.quota),
    enrolled: before.coverage.start < after.coverage.start || before.coverage.end > after.coverage.end,
    bills:
      !same(before.rates, after.rates) ||
      !same(before.rateChanges, after.rateChanges) ||
      before.declaredMonthlyIncome !== after.declaredMonthlyIncome ||
      !same(before.benefits, after.benefits) ||
      before.coverage.start !== after.coverage.start,
  };
}

const rupiah = (n: number) => n.toLocaleString('id-ID');

/** What a person is billed for in a month: the benefits and the income and rates in force. */
const priced = (p: Programme, month: string) =>
  JSON.stringify({ b: [...p.benefits].sort(), ...ratesInForce(p, month) });

/** Every reason the change from `before` to `after` may not be made, given what stands; none: it may. */
export function changeRefusals(before: Programme, after: Programme, standing: Standing): Refusal[] {
  const refusals: Refusal[] = [];
  if (before.regency.code !== after.regency.code)
    refusals.push({
      code: 'REGENCY_CHANGED',
      message: 'Program tidak dapat dipindahkan ke kabupaten lain. Buat program baru untuk kabupaten itu.',
    });

  const reserved = standing.reserved;
  if (reserved && reserved.count > 0) {
    if (after.quota.scope !== before.quota.scope)
      refusals.push({
        code: 'QUOTA_SCOPE_RESERVED',
        message: `Jenis kuota tidak dapat diubah: ${rupiah(reserved.count)} tempat sudah dipesan oleh usulan.`,
      });
    else if (after.quota.scope === 'programme' && after.quota.limit < reserved.count)
      refusals.push({
        code: 'QUOTA_BELOW_RESERVED',
        message: `Kuota tidak dapat diturunkan menjadi ${rupiah(after.quota.limit)}: ${rupiah(reserved.count)} tempat sudah dipesan oleh usulan.`,
      });
    else if (after.quota.scope === 'desa' && reserved.scope === 'desa' && after.quota.limitPerDesa < reserved.count)
      refusals.push({
        code: 'QUOTA_BELOW_RESERVED',
        message: `Kuota per desa tidak dapat diturunkan menjadi ${rupiah(after.quota.limitPerDesa)}: desa ${reserved.villageCode} sudah memesan ${rupiah(reserved.count)} tempat.`,
      });
  }

  const enrolled = standing.enrolled ?? 0;
  if (enrolled > 0 && (after.coverage.start > before.coverage.start || after.coverage.end < before.coverage.end))
    refusals.push({
      code: 'COVERAGE_UNDER_ENROLLED',
      message: `Masa perlindungan tidak dapat dipersempit (${before.coverage.start} s.d. ${before.coverage.end} menjadi ${after.coverage.start} s.d. ${after.coverage.end}): ${rupiah(enrolled)} peserta sudah terdaftar untuk masa itu. Masa perlindungan hanya dapat diperpanjang.`,
    });

  const billed = [...(standing.billedMonths ?? [])].sort().filter((m) => priced(before, m) !== priced(after, m));
  if (billed.length)
    refusals.push({
      code: 'RATES_OF_BILLED_MONTHS',
      message: `Tarif, penghasilan yang dilaporkan atau manfaat tidak dapat diubah untuk bulan yang sudah ditagih (${billed.join(', ')}). Ubah tarif mulai bulan yang belum ditagih, lewat perubahan tarif dengan bulan berlakunya.`,
    });
  return refusals;
}
