import { describe, expect, it } from 'vitest';
import { openProposalSheet, type SheetRow } from '../../../functions/core/spreadsheet/read-proposal-sheet';
import { KeptRows } from '../../../functions/core/validation/kept-rows';
import { HEADER, source, xlsx } from '../spreadsheet/fixtures';

const collect = async (rows: AsyncIterable<SheetRow> | Iterable<SheetRow>) => {
  const out: SheetRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
};
const values = (r: SheetRow) => [r.row, [...r.original].map(([i, c]) => [i, c.value])];

describe('rows kept for the report while validating', () => {
  it('gives back every row as read: the same row numbers, columns and values (text, numbers, dates, booleans, formula-like text)', async () => {
    const file = source(
      await xlsx((wb) => {
        const ws = wb.addWorksheet('Usulan');
        ws.addRow([...HEADER, 'Catatan']);
        ws.addRow([1, '6203011205850001', 'Budi Santoso', new Date(Date.UTC(1985, 4, 12)), 'L', 'petani', true]);
        ws.getRow(5).values = [2, 6203015508900002, '=HYPERLINK("x")', '15-08-1990', 'P', 'nelayan', 3.5];
        ws.getRow(7).values = [3, '6203011205850003', 'Siti', new Date(Date.UTC(1985, 4, 12)), 'P', '', undefined];
      }),
    );
    const kept = new KeptRows();
    const first = await openProposalSheet(file);
    const passed = await collect(kept.keep(first.rows));
    const again = await collect((await openProposalSheet(file)).rows);
    const replayed = await collect(kept.replay());

    expect(passed.map(values)).toEqual(again.map(values));
    expect(replayed.map(values)).toEqual(again.map(values));
    expect(replayed.map((r) => r.row)).toEqual([2, 5, 7]);
    expect(replayed[0]!.original.get(3)!.value).toBeInstanceOf(Date);
    expect(replayed[1]!.original.get(1)!.value).toBe(6203015508900002);
  });

  it('keeps a date no calendar has as such, not as 1 January 1970', async () => {
    const kept = new KeptRows();
    const row: SheetRow = { row: 2, cells: {}, original: new Map([[0, { value: new Date(NaN), text: '' }]]) };
    await collect(
      kept.keep(
        (async function* () {
          yield row;
        })(),
      ),
    );
    const [back] = await collect(kept.replay());
    expect((back!.original.get(0)!.value as Date).getTime()).toBeNaN();
  });
});
