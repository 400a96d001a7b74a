import { findProgramme } from '../../../functions/core/programmes/catalogue';
import type { Proposal } from '../../../functions/core/proposals/proposal';
import { periodOf, quotaOf } from '../../../functions/core/proposals/reservations';
import type { Mail } from '../../../functions/ports/mailer';
import { MemoryAuditLog, MemoryLedger, MemoryObjects, MemoryProposalStore, MemoryWorkflow } from './fakes';
import { proposal } from './proposal-fixture';

/** APBDes: a quota of its own per desa, so a test's reservations are all in one place. */
export const programme = findProgramme('kapuas-2026-apbdes')!;
const village = '62.03.01.2011';

/** A valid Kapuas NIK (62.03.01) for a man born 14-02-1982, with a serial. */
export const nik = (serial: number) => `620301140282${String(serial).padStart(4, '0')}`;

/** A row the rules accept, for the person with this serial. */
export const person = (serial: number) => [
  nik(serial),
  `Pekerja ${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[serial % 26]}`,
  '14-02-1982',
  'L',
  'petani',
];

const csv = (rows: string[][]) =>
  ['NIK;Nama Lengkap;Tgl Lahir;L/P;Pekerjaan', ...rows.map((r) => r.join(';'))].join('\n') + '\n';

/** Every port in memory, a clock the test moves, and uploads made the way S3 and registration make them. */
export function world(start = '2026-03-02T01:00:00.000Z') {
  const audit = new MemoryAuditLog();
  const proposals = new MemoryProposalStore(audit);
  const ledger = new MemoryLedger();
  const objects = new MemoryObjects();
  const workflow = new MemoryWorkflow();
  const sent: Mail[] = [];
  let clock = new Date(start);
  const now = () => new Date(clock);
  const deps = {
    proposals,
    audit,
    ledger,
    objects,
    workflow,
    mailer: {
      send: async (mail: Mail) => {
        sent.push(mail);
        return { messageId: `m-${sent.length}` };
      },
    },
    findProgramme,
    apiUrl: 'http://api.test',
    now,
  };
  return {
    ...deps,
    deps,
    sent,
    now,
    advance: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
    quota: quotaOf(programme, village),
    period: periodOf(programme),
    /**
     * An upload S3 took at `at` (the event's time) with `sequencer`, registered as RECEIVED; put in
     * the store only when `register` is true (a test may register it later, as a late event would).
     */
    upload(
      name: string,
      rows: string[][],
      at: string,
      sequencer: string,
      overrides: Partial<Proposal> = {},
      register = true,
    ): Proposal {
      const key = `proposals/${programme.id}/${overrides.villageCode ?? village}/${name}`;
      const p = proposal({
        id: `prp-${name.replace(/\W/g, '')}-${sequencer}`,
        status: 'RECEIVED',
        programmeId: programme.id,
        villageCode: village,
        fileName: name,
        // A versioned bucket: the same key uploaded again is another object version.
        upload: { bucket: 'uploads', key, versionId: `v-${sequencer}`, sequencer },
        uploadKey: key,
        counts: undefined,
        report: undefined,
        approval: undefined,
        sourceEvent: {
          'detail-type': 'Object Created',
          source: 'aws.s3',
          time: at,
          detail: { bucket: { name: 'uploads' }, object: { key, sequencer } },
        },
        createdAt: now().toISOString(),
        updatedAt: now().toISOString(),
        ...overrides,
      });
      objects.putVersion({ key: p.upload.key, versionId: p.upload.versionId }, csv(rows));
      if (register) proposals.put(p);
      return p;
    },
  };
}
export type World = ReturnType<typeof world>;
