import * as z from 'zod';
import { JP_DISABLED_REASON, Programme, type ContributionRates } from './programme';

/**
 * What a version changed, and what makes a programme unfit to store, in the words Dinas Sosial reads.
 * Pure: the store keeps versions, the handler asks these before it writes.
 */

/** A programme as the admin sends it: everything but what the store sets (version and who changed it). */
export const ProgrammeDraft = Programme.omit({ version: true, changedBy: true, changedAt: true, reason: true });
export type ProgrammeDraft = z.infer<typeof ProgrammeDraft>;

/** Fields the store sets on each version: not "what changed", which is about the programme itself. */
const VERSION_FIELDS = new Set(['version', 'changedBy', 'changedAt', 'reason']);

/** One field of a programme that a version changed; `field` is its path (`quota.limit`, `coverage.end`). */
export const FieldChange = z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() });
export type FieldChange = z.infer<typeof FieldChange>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields `after` changed from `before`, by path, in the order the schema lists them. Objects are
 * compared field by field (the history says `quota.limit`, not "quota"); lists as a whole (benefits,
 * occupations, rate changes), because an item's position means nothing to the reader.
 */
export function programmeChanges(before: Programme | undefined, after: Programme): FieldChange[] {
  const changes: FieldChange[] = [];
  const walk = (path: string, from: unknown, to: unknown) => {
    if (isRecord(from) && isRecord(to)) {
      for (const key of new Set([...Object.keys(to), ...Object.keys(from)]))
        walk(path ? `${path}.${key}` : key, from[key], to[key]);
      return;
    }
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field: path, from, to });
  };
  for (const key of Object.keys(Programme.shape)) {
    if (VERSION_FIELDS.has(key)) continue;
    walk(key, before?.[key as keyof Programme], after[key as keyof Programme]);
  }
  return changes;
}

const monthOf = (date: string) => date.slice(0, 7);

/** The declared income and rates in force in a month: the programme's own, or its latest change by then. */
export function ratesInForce(
  programme: Programme,
  month: string,
): { declaredMonthlyIncome: number; rates: ContributionRates } {
  const change = programme.rateChanges
    .filter((c) => c.effectiveFrom <= month)
    .reduce<Programme['rateChanges'][number] | undefined>(
      (best, c) => (!best || c.effectiveFrom > best.effectiveFrom ? c : best),
      undefined,
    );
  return change
    ? { declaredMonthlyIncome: change.declaredMonthlyIncome, rates: change.rates }
    : { declaredMonthlyIncome: programme.declaredMonthlyIncome, rates: programme.rates };
}

/**
 * What makes a programme unfit to store, whatever stood before: each a sentence for the admin. The
 * schema checks each field; these are the rules between fields.
 */
export function programmeProblems(p: Programme): string[] {
  const problems: string[] = [];
  if (p.coverage.start > p.coverage.end)
    problems.push('Tanggal mulai masa perlindungan tidak boleh setelah tanggal berakhirnya.');
  if (p.ageLimits.min > p.ageLimits.max) problems.push('Batas usia terendah tidak boleh di atas batas usia tertinggi.');
  if (p.benefits.includes('JP') && !p.jpEnabled)
    problems.push(`JP tidak dapat dipilih selama setelan JP nonaktif. ${JP_DISABLED_REASON}`);
  const allRates = [p.rates, ...p.rateChanges.map((c) => c.rates)];
  if (p.benefits.includes('JKK') && allRates.some((r) => r.jkkPercentOfIncome <= 0))
    problems.push('JKK dipilih, tetapi tarif JKK-nya 0%.');
  if (p.benefits.includes('JKM') && allRates.some((r) => r.jkmMonthly <= 0))
    problems.push('JKM dipilih, tetapi iuran JKM-nya Rp0.');
  if (p.benefits.includes('JHT') && allRates.some((r) => r.jhtPercentOfIncome <= 0))
    problems.push('JHT dipilih, tetapi tarif JHT-nya 0%.');
  if (p.benefits.includes('JP') && allRates.some((r) => r.jpMonthly <= 0))
    problems.push('JP dipilih, tetapi iuran JP-nya Rp0.');
  const months = p.rateChanges.map((c) => c.effectiveFrom);
  if (months.some((m, i) => i > 0 && m <= months[i - 1]!))
    problems.push('Perubahan tarif harus berurutan menurut bulan berlakunya, satu perubahan per bulan.');
  if (months.some((m) => m <= monthOf(p.coverage.start) || m > monthOf(p.coverage.end)))
    problems.push(
      'Perubahan tarif harus berlaku sesudah bulan pertama dan paling lambat pada bulan terakhir masa perlindungan.',
    );
  return problems;
}
