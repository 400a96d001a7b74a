import { Bill } from '../../../functions/core/contributions/bill';
import type { CalendarDate, CalendarMonth } from '../../../functions/core/contributions/calendar';
import {
  Coverage,
  isCoveredIn,
  openCoverage,
  type BillableCoverage,
} from '../../../functions/core/contributions/coverage';
import { MURUNG_KERAMAT, nik, PROGRAMME, PULAU_TELO } from './fixtures';
import { BillNotFoundError, type BillStore } from '../../../functions/ports/bill-store';
import {
  billableShard,
  CoverageNotFoundError,
  type CoverageStore,
  type Page,
} from '../../../functions/ports/coverage-store';
import { maskNik } from '../../../functions/core/privacy/mask';

/** Pages of `size` from a sorted list, the cursor being the next index, as the adapters page. */
function paged<T>(all: T[], size: number, cursor?: string): Page<T> {
  const from = cursor ? Number(cursor) : 0;
  const next = from + size;
  return { items: all.slice(from, next), ...(next < all.length && { cursor: String(next) }) };
}

/** Coverages in memory with the store's semantics: the billable index holds ACTIVE and ARREARS only. */
export class MemoryCoverageStore implements CoverageStore {
  readonly items = new Map<string, Coverage>();
  /** Small pages, so the callers' paging is exercised. */
  pageSize = 2;
  private static key = (programmeId: string, nik: string) => `${programmeId}#${nik}`;

  async get(programmeId: string, nik: string) {
    const c = this.items.get(MemoryCoverageStore.key(programmeId, nik));
    return c && structuredClone(c);
  }
  async byNik(nik: string) {
    return [...this.items.values()].filter((c) => c.nik === nik).map((c) => structuredClone(c));
  }
  async byVillage(programmeId: string, villageCode: string, page: { limit: number; cursor?: string }) {
    const all = [...this.items.values()]
      .filter((c) => c.programmeId === programmeId && c.villageCode === villageCode)
      .sort((a, b) => a.nik.localeCompare(b.nik));
    return paged(
      all.map((c) => structuredClone(c)),
      page.limit,
      page.cursor,
    );
  }
  async billable(programmeId: string, month: CalendarMonth, shard: number, cursor?: string) {
    const all: BillableCoverage[] = [...this.items.values()]
      .filter((c) => c.programmeId === programmeId && billableShard(c.nik) === shard && isCoveredIn(c, month))
      .sort((a, b) => `${a.start}#${a.nik}`.localeCompare(`${b.start}#${b.nik}`))
      .map(({ programmeId: p, nik, villageCode, start, end }) => ({ programmeId: p, nik, villageCode, start, end }));
    return paged(all, this.pageSize, cursor);
  }
  async create(c: Coverage) {
    const key = MemoryCoverageStore.key(c.programmeId, c.nik);
    if (this.items.has(key)) return 'exists' as const;
    this.items.set(key, Coverage.parse(c));
    return 'created' as const;
  }
  async createMany(coverages: readonly Coverage[]) {
    let created = 0;
    for (const c of coverages) if ((await this.create(c)) === 'created') created += 1;
    return { created, existed: coverages.length - created };
  }
  async update(programmeId: string, nik: string, next: (current: Coverage) => Coverage) {
    const key = MemoryCoverageStore.key(programmeId, nik);
    const current = this.items.get(key);
    if (!current) throw new CoverageNotFoundError(programmeId, maskNik(nik));
    const stored = Coverage.parse(next(structuredClone(current)));
    this.items.set(key, stored);
    return structuredClone(stored);
  }
  /** The adapter's many-at-once update, one by one; `updates` counts the calls. */
  updates = 0;
  async updateMany(programmeId: string, niks: readonly string[], next: (c: Coverage) => Coverage) {
    this.updates += 1;
    const updated: Coverage[] = [];
    const missing: string[] = [];
    for (const n of niks) {
      if (await this.get(programmeId, n)) updated.push(await this.update(programmeId, n, next));
      else missing.push(n);
    }
    return { updated, missing };
  }
}

/** Bills in memory; `beforeIssue` lets a test slip a racing run's bill in between a read and the create. */
export class MemoryBillStore implements BillStore {
  readonly items = new Map<string, Bill>();
  beforeIssue?: (bill: Bill) => Promise<void> | void;

  async get(programmeId: string, month: CalendarMonth) {
    const b = this.items.get(`${programmeId}#${month}`);
    return b && structuredClone(b);
  }
  async byProgramme(programmeId: string) {
    return [...this.items.values()]
      .filter((b) => b.programmeId === programmeId)
      .sort((a, b) => b.month.localeCompare(a.month))
      .map((b) => structuredClone(b));
  }
  async issue(bill: Bill) {
    await this.beforeIssue?.(bill);
    const existing = this.items.get(bill.id);
    if (existing) return { bill: structuredClone(existing), created: false };
    this.items.set(bill.id, Bill.parse(bill));
    return { bill: structuredClone(bill), created: true };
  }
  async update(programmeId: string, month: CalendarMonth, next: (current: Bill) => Bill) {
    const current = this.items.get(`${programmeId}#${month}`);
    if (!current) throw new BillNotFoundError(programmeId, month);
    const stored = Bill.parse(next(structuredClone(current)));
    this.items.set(stored.id, stored);
    return structuredClone(stored);
  }
  async openDueBefore(day: CalendarDate) {
    return [...this.items.values()]
      .filter((b) => ['ISSUED', 'PARTLY_PAID', 'OVERDUE'].includes(b.status) && b.due.date < day)
      .map((b) => structuredClone(b));
  }
}

/** The billing tests' programme of 2026: five participants, three in Pulau Telo and two in Murung Keramat. */
export async function openFiveCoverages(coverages: MemoryCoverageStore, now: Date) {
  for (let n = 1; n <= 5; n++) {
    await coverages.create(
      openCoverage(
        {
          programmeId: PROGRAMME,
          nik: nik(n),
          villageCode: n <= 3 ? PULAU_TELO : MURUNG_KERAMAT,
          start: '2026-01-01',
          end: '2026-12-31',
        },
        now.toISOString(),
      ),
    );
  }
}
