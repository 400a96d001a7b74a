import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import type { Proposal } from '../../../functions/core/proposals/proposal';
import { validateProposal, type ValidateDeps } from '../../../functions/core/proposals/use-cases/validate-proposal';
import type { ObjectStore } from '../../../functions/ports/object-store';
import { ProposalStatusConflictError, type ProposalStore } from '../../../functions/ports/proposal-store';
import type { QuotaLedger } from '../../../functions/ports/quota-ledger';
import { rawXlsx, textRow } from '../spreadsheet/fixtures';
import { proposal } from './proposal-fixture';

/**
 * Item 1 of "no file can freeze the pipeline", at the use case: a file read too slowly ends
 * INVALID with a reason (not FAILED, not an endless re-drive), and a stray cell at the sheet's
 * last row no longer makes writing the report take hours.
 */

const HEADER = ['NIK', 'Nama Lengkap', 'Tanggal Lahir', 'Jenis Kelamin', 'Pekerjaan'];
const person = (nik: string, name: string) => [nik, name, '12-05-1985', 'L', 'petani'];

function fakes(upload: Buffer) {
  const programme = findProgramme('kapuas-2026-apbd')!;
  let stored: Proposal = proposal({
    status: 'RECEIVED',
    programmeId: programme.id,
    counts: undefined,
    report: undefined,
    approval: undefined,
  });
  const objects = new Map<string, Buffer>([[stored.upload.key, upload]]);
  const claimed: string[] = [];
  const proposals: ProposalStore = {
    get: async (id) => (id === stored.id ? stored : undefined),
    findByUploadKey: async () => [stored],
    findByProgrammeVillage: async () => [stored],
    create: async () => 'exists',
    change: async (_id, change) => {
      if (change.from && !change.from.includes(stored.status)) throw new ProposalStatusConflictError(stored.status);
      stored = { ...stored, ...change.set } as Proposal;
      return stored;
    },
    listUnfinished: async () => [],
  };
  const store: ObjectStore = {
    get: async ({ key }) => ({ body: Readable.from([objects.get(key)!]), metadata: {} }),
    getText: async (key) => objects.get(key)!.toString('utf8'),
    put: async (key, body) => {
      if (typeof body === 'string' || Buffer.isBuffer(body)) objects.set(key, Buffer.from(body));
      else {
        const chunks: Buffer[] = [];
        for await (const c of body) chunks.push(c as Buffer);
        objects.set(key, Buffer.concat(chunks));
      }
    },
    head: async ({ key }) => (objects.has(key) ? { metadata: {} } : undefined),
  };
  const ledger: QuotaLedger = {
    reserve: async (_q, _id, wanted) => wanted,
    release: async () => {},
    reserved: async () => 0,
    claim: async (_period, _holder, niks) => {
      claimed.push(...niks.map((n) => n.nik));
      return new Map();
    },
    holders: async () => new Map(),
    unclaim: async () => {},
  };
  const deps: ValidateDeps = {
    proposals,
    objects: store,
    ledger,
    workflow: { succeed: async () => {}, fail: async () => {}, start: async () => ({ executionArn: 'arn' }) },
    findProgramme,
    now: () => new Date('2026-02-12T03:14:20Z'),
  };
  return { deps, claimed, stored: () => stored, id: stored.id };
}

describe('validateProposal and time', () => {
  it('refuses a file it cannot read within its budget as INVALID, with the reason, before claiming anyone', async () => {
    const file = rawXlsx([
      { name: 'Data', sheetData: textRow(1, HEADER) + textRow(2, person('6203011205850001', 'Budi')) },
    ]);
    const { deps, claimed, stored, id } = fakes(file);
    const result = await validateProposal(deps, { proposalId: id }, { readMs: -1 });
    expect(result.status).toBe('INVALID');
    expect(stored().status).toBe('INVALID');
    expect(stored().reason?.code).toBe('FILE_TOO_SLOW');
    expect(stored().reason?.message).toContain('batas waktu');
    expect(claimed).toEqual([]);
  });

  // Walking the million empty rows between took hours once: the test's own timeout catches that; no time is asserted.
  it('validates a file with a stray row at the last row of the sheet', async () => {
    const file = rawXlsx([
      {
        name: 'Data',
        sheetData:
          textRow(1, HEADER) +
          textRow(2, person('6203011205850001', 'Budi')) +
          textRow(1_048_576, person('6203016308900002', 'Siti')),
      },
    ]);
    const { deps, stored, id } = fakes(file);
    const result = await validateProposal(deps, { proposalId: id });
    expect(result.status).toBe('VALIDATED');
    expect(stored().counts).toMatchObject({ rows: 2, valid: 1 });
  }, 20_000);
});
