import type { RawCell, SheetRow } from '../spreadsheet/read-proposal-sheet';

/**
 * The operator's rows as they were read, kept for the report sheet so the upload is read once: the
 * verdicts are only final after the claims and the quota, and a second read of the file (unzip and
 * XML parse again) cost as much as the first. Each row is kept as one short JSON string of the
 * cells that exist (about 200 bytes for a template row, ~20 MB for 100,000 rows) rather than as
 * objects (~1.5 KB a row); the report needs each cell's value only, never its text or format.
 */
export class KeptRows {
  private readonly rows: string[] = [];

  /** Passes the rows through, keeping each one. */
  async *keep(rows: AsyncIterable<SheetRow>): AsyncGenerator<SheetRow> {
    for await (const row of rows) {
      const cells: unknown[] = [row.row];
      for (const [index, { value }] of row.original)
        cells.push(index, value instanceof Date ? { d: value.getTime() } : value);
      this.rows.push(JSON.stringify(cells));
      yield row;
    }
  }

  /** The kept rows again, in the order they were read, each with its original cells (values only). */
  *replay(): Generator<SheetRow> {
    for (const kept of this.rows) {
      const [row, ...cells] = JSON.parse(kept) as [number, ...unknown[]];
      const original = new Map<number, RawCell>();
      for (let i = 0; i < cells.length; i += 2) {
        const value = cells[i + 1] as RawCell['value'] | { d: number | null };
        original.set(cells[i] as number, {
          value: value !== null && typeof value === 'object' && 'd' in value ? new Date(value.d ?? NaN) : value,
          text: '',
        });
      }
      yield { row, cells: {}, original };
    }
  }
}
