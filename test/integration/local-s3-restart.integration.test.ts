import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  api,
  nik,
  portsOf,
  proposalCsv,
  startTestStack,
  upload,
  waitForProposal,
  type TestStack,
} from '../support/local-stack';

let stack: TestStack | undefined;
afterAll(async () => {
  await stack?.stop();
});

/**
 * At start-up the stack lists the uploads bucket and delivers the uploads no proposal was made
 * from. A key the listing gives back changed (a CR read as LF) looked like such an upload, and
 * became a proposal for a file that does not exist, FAILED.
 */
describe('uploads under odd keys, across a restart', () => {
  it('are recognised as delivered: start-up delivers none of them again', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jaring-odd-keys-'));
    stack = await startTestStack(home);
    const keys = [
      'proposals/kapuas-2026-apbd/62.03.01.2011/usulan\r.csv',
      `proposals/kapuas-2026-apbd/62.03.01.2011/${'u'.repeat(900)}.csv`,
      'proposals/kapuas-2026-apbd/62.03.01.2011/usulan 100% + revisi (1).csv',
    ];
    for (const [i, key] of keys.entries()) {
      await upload(
        stack,
        key,
        proposalCsv([[nik('09-09-1970', 'P', 31 + i), 'Maria Ulfa', '09-09-1970', 'P', 'pedagang pasar']]),
      );
      await waitForProposal(stack, key, ['AWAITING_APPROVAL', 'INVALID', 'FAILED']);
    }
    const proposals = async () =>
      (
        (await api(stack!, '/proposals?programmeId=kapuas-2026-apbd&villageCode=62.03.01.2011')).body.proposals as {
          id: string;
          uploadKey: string;
        }[]
      )
        .map((p) => `${p.id} ${JSON.stringify(p.uploadKey)}`)
        .sort();
    const before = await proposals();
    expect(before).toHaveLength(keys.length);
    const ports = portsOf(stack.info);
    await stack.stop();

    const log: string[] = [];
    stack = await startTestStack(home, { ports, log: (line) => log.push(line) });
    expect(log.filter((line) => /^delivered|^rule /.test(line))).toEqual([]);
    // The same proposals (those waiting for approval are re-driven, which is another matter).
    expect(await proposals()).toEqual(before);
  }, 180_000);
});
