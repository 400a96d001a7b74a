/**
 * One measurement of the validating function's own work, in a process of its own (the bench starts it
 * with the Lambda's NODE_OPTIONS, so its peak RSS is the function's):
 *   npx tsx test/bench/validation.ts parse <file.xlsx>      the bare parse: every row read by the same
 *                                                          reader (openProposalSheet), nothing judged
 *   npx tsx test/bench/validation.ts validate <file.xlsx>   validateProposal itself, the use case the
 *                                                          Lambda runs, over in-memory ports
 * It prints one JSON line. `validate` splits the time where the use case starts writing its outputs:
 * before, reading, the rules and the claims (in memory here: DynamoDB is the end-to-end bench's); after,
 * workers.jsonl and the JSON and XLSX reports. The ports hold nothing the Lambda would not: the upload is streamed from
 * disk as S3 streams it, and what the use case writes is counted and dropped (S3 keeps it, not the Lambda).
 */
import { createReadStream } from 'node:fs';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { findProgramme } from '../../functions/core/programmes/catalogue';
import { Proposal } from '../../functions/core/proposals/proposal';
import { validateProposal } from '../../functions/core/proposals/use-cases/validate-proposal';
import { claimsKey } from '../../functions/core/proposals/reservations';
import { reportKeys, workersKey } from '../../functions/core/proposals/work-keys';
import { openProposalSheet } from '../../functions/core/spreadsheet/read-proposal-sheet';
import { ProposalStatusConflictError, type ProposalStore } from '../../functions/ports/proposal-store';
import type { NikHolder, QuotaLedger } from '../../functions/ports/quota-ledger';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'parse' && mode !== 'validate') || !file) throw new Error('usage: validation.ts parse|validate <file>');

const rssAtStart = process.memoryUsage().rss;
let peak = rssAtStart;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
const mb = (n: number) => Math.round(n / 1024 / 1024);

async function parse() {
  const t = performance.now();
  const sheet = await openProposalSheet({ fileName: 'usulan.xlsx', body: () => createReadStream(file!) });
  let rows = 0;
  for await (const _row of sheet.rows) rows += 1;
  return { ms: performance.now() - t, rows };
}

async function validate() {
  const programme = findProgramme('kapuas-2026-apbd')!;
  // The bench's file is bigger than the 2026 quota: lift it here, so every row takes the path of a valid one.
  (programme.quota as { limit: number }).limit = 10_000_000;
  let stored = Proposal.parse({
    id: 'prp-bench0000000000000000',
    status: 'RECEIVED',
    programmeId: programme.id,
    villageCode: '62.03.01.2011',
    fileName: 'usulan.xlsx',
    upload: { bucket: 'uploads', key: 'proposals/bench/usulan.xlsx', versionId: 'v1' },
    uploadKey: 'proposals/bench/usulan.xlsx',
    sourceEvent: {},
    createdAt: '2026-02-12T03:14:15Z',
    updatedAt: '2026-02-12T03:14:15Z',
  });
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
  const written: Record<string, number> = {};
  let reportStarted = 0;
  let claimsStarted = 0;
  const claims = new Map<string, NikHolder>();
  const ledger: QuotaLedger = {
    reserve: async (_q, _id, wanted) => wanted,
    release: async () => {},
    reserved: async () => 0,
    claim: async (_period, holder, niks) => {
      const taken = new Map<string, NikHolder>();
      for (const { nik, row } of niks) {
        const h = claims.get(nik);
        if (h && h.proposalId !== holder.proposalId) taken.set(nik, h);
        else claims.set(nik, { ...holder, row });
      }
      return taken;
    },
    holders: async () => new Map(),
    unclaim: async () => {},
  };
  const t = performance.now();
  const result = await validateProposal(
    {
      proposals,
      objects: {
        get: async () => ({ body: createReadStream(file!), metadata: {} }),
        getText: async () => '',
        head: async () => undefined,
        put: async (key, body) => {
          // The use case writes its outputs (workers, then the reports) once the verdicts are final: the first of
          // those writes ends the validation proper.
          if ((key === workersKey(stored.id) || key === reportKeys(stored.id).json) && !reportStarted)
            reportStarted = performance.now();
          // The NIKs about to be claimed are written once every row is judged: reading and the rules end here.
          if (key === claimsKey(stored.id)) claimsStarted = performance.now();
          let bytes = 0;
          if (typeof body === 'string' || Buffer.isBuffer(body)) bytes = Buffer.byteLength(body);
          else
            await pipeline(
              body as Readable,
              new Writable({
                write(chunk: Buffer, _encoding, done) {
                  bytes += chunk.length;
                  done();
                },
              }),
            );
          written[key.split('/').pop()!] = bytes;
        },
      },
      ledger,
      workflow: { succeed: async () => {}, fail: async () => {}, start: async () => ({ executionArn: 'arn' }) },
      findProgramme,
      now: () => new Date('2026-02-12T03:14:20Z'),
    },
    { proposalId: stored.id },
  );
  const end = performance.now();
  return {
    ms: end - t,
    validateMs: reportStarted - t,
    readAndRulesMs: claimsStarted - t,
    claimsAndQuotaMs: reportStarted - claimsStarted,
    reportMs: end - reportStarted,
    status: result.status,
    counts: stored.counts,
    writtenBytes: written,
  };
}

try {
  const measured = mode === 'parse' ? await parse() : await validate();
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(
    JSON.stringify({
      mode,
      ...measured,
      rssAtStartMb: mb(rssAtStart),
      peakRssMb: mb(peak),
      // The kernel's high-water mark for the whole process, start-up (tsx compiling the modules) included.
      maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
      nodeOptions: process.env.NODE_OPTIONS ?? '',
    }),
  );
} finally {
  clearInterval(sampler);
}
