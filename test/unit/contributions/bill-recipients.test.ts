import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { catalogueOf } from '../../../functions/core/programmes/catalogue-snapshot';
import type { Programme } from '../../../functions/core/programmes/programme';
import { programmesNow } from '../../../functions/handlers/programme-lookup';
import { billRecipients } from '../../../functions/wiring/billing';
import { PROGRAMME } from './fixtures';

/** Kapuas's APBD programme as shipped (version 1), and after a new head of Dinas Sosial took office. */
const v1 = findProgramme(PROGRAMME)!;
const v2: Programme = { ...v1, version: 2, approverEmail: 'kepala.baru@kapuaskab.go.id' };

beforeEach(() => {
  vi.stubEnv('FINANCE_EMAIL', 'keuangan@kapuaskab.go.id');
  vi.stubEnv('OPS_EMAIL', 'dinsos@kapuaskab.go.id');
});
afterEach(() => vi.unstubAllEnvs());

describe("a bill's notices after its issue", () => {
  it('go to the approver of the version the bill was issued under; a bill from before versions, the current', async () => {
    const { findProgramme: judgedBy } = await programmesNow(async () => catalogueOf([v1, v2]));
    const recipients = billRecipients()(judgedBy);
    expect(recipients({ programmeId: PROGRAMME, programmeVersion: 1 }).dinasSosial).toEqual([
      v1.approverEmail,
      'dinsos@kapuaskab.go.id',
    ]);
    expect(recipients({ programmeId: PROGRAMME }).dinasSosial).toEqual([v2.approverEmail, 'dinsos@kapuaskab.go.id']);
    expect(recipients({ programmeId: PROGRAMME, programmeVersion: 2 }).finance).toBe('keuangan@kapuaskab.go.id');
    // Versions are never deleted: one recorded and missing is a bug, and the step fails on it.
    expect(() => recipients({ programmeId: PROGRAMME, programmeVersion: 9 })).toThrow(
      /version 9 is not in the catalogue/,
    );
  });
});
