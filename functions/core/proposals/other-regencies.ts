import type { Mail, Mailer } from '../../ports/mailer';
import type { NikHolder } from '../../ports/quota-ledger';
import { maskNik, redactText } from '../privacy/mask';
import type { Programme } from '../programmes/programme';
import { dinasSosialName, regencyName } from '../regions/regencies';
import { villageLabel } from '../regions/village-label';
import { consoleUrl } from './links';
import { render } from './mails';
import type { Proposal } from './proposal';
import { periodOf, RELEASED_STATUSES } from './reservations';
import type { SupersedeDeps } from './use-cases/supersede';

/**
 * One person, two regencies (issue 13). NIK claims are kept per regency and period (periodOf), so
 * Kapuas and Kubu Raya never contend for one item; a person enrolled in Kapuas and proposed in Kubu
 * Raya for the same months is caught here instead: after a proposal has claimed its own people, it
 * reads (never writes) the claims of every other regency whose programme's coverage overlaps its
 * own. Claim first, then read: of two regencies proposing one person at once, the later reader sees
 * the other's claim, so never both take the person (both may refuse: the safe side, the two Dinas
 * Sosial settle it).
 * Mostly the person moved (pindah domisili) and the first regency's cover has to end first.
 */

export type OtherRegencyDeps = {
  /** Every programme of every regency (the catalogue's `all`): without it, no other regency is read. */
  allProgrammes?: () => readonly Programme[];
  /** How both Dinas Sosial are told; without it (tests, the bench) nobody is. */
  tell?: { mailer: Mailer; apiUrl: string; opsEmail: string };
};

export type HeldElsewhere = {
  holder: NikHolder;
  /** The other regency's programme the holder proposed under. */
  programme: Programme;
  status?: Proposal['status'];
};

const overlaps = (a: Programme['coverage'], b: Programme['coverage']) => a.start <= b.end && b.start <= a.end;

/** The other regencies' programmes whose coverage overlaps `programme`'s, one per claim period. */
export function overlappingElsewhere(programme: Programme, all: readonly Programme[]): Programme[] {
  const byPeriod = new Map<string, Programme>();
  for (const other of all) {
    if (other.regency.code === programme.regency.code || !overlaps(other.coverage, programme.coverage)) continue;
    if (!byPeriod.has(periodOf(other))) byPeriod.set(periodOf(other), other);
  }
  return [...byPeriod.values()];
}

/**
 * The NIKs another regency holds in an overlapping period, by a proposal that has not given its
 * people back (a released proposal's leftover claim is stale: that regency's own next claim clears it).
 */
export async function heldInOtherRegencies(
  deps: Pick<SupersedeDeps, 'ledger' | 'proposals'> & OtherRegencyDeps,
  programme: Programme,
  niks: readonly string[],
): Promise<Map<string, HeldElsewhere>> {
  const found = new Map<string, HeldElsewhere>();
  if (!deps.allProgrammes || !niks.length) return found;
  const statuses = new Map<string, Proposal['status'] | undefined>();
  for (const other of overlappingElsewhere(programme, deps.allProgrammes())) {
    const pending = niks.filter((nik) => !found.has(nik));
    if (!pending.length) break;
    for (const [nik, holder] of await deps.ledger.holders(periodOf(other), pending)) {
      if (!statuses.has(holder.proposalId))
        statuses.set(holder.proposalId, (await deps.proposals.get(holder.proposalId))?.status);
      const status = statuses.get(holder.proposalId);
      if (status && RELEASED_STATUSES.includes(status)) continue;
      found.set(nik, { holder, programme: other, status });
    }
  }
  return found;
}

export const isActive = (status: Proposal['status'] | undefined) =>
  status === 'ENROLLED' || status === 'PARTIALLY_ENROLLED';

/** At most this many people are listed in a mail; the report and the console hold the rest. */
const LISTED = 50;

/**
 * The mails that tell both Dinas Sosial: one to this regency's (its approver, and the operations
 * address), one to each other regency's approver. NIKs are masked: the mail is not where a whole NIK
 * is needed, the report and the console are.
 */
function otherRegencyMails(
  p: Proposal,
  programme: Programme,
  held: ReadonlyMap<string, HeldElsewhere>,
  rowOf: ReadonlyMap<string, number>,
  links: { apiUrl: string; opsEmail: string },
): Mail[] {
  const here = regencyName(programme.regency.code);
  const upload = `usulan ${redactText(p.fileName)} dari ${villageLabel(p.villageCode)}, ${here} (program ${programme.id})`;
  const byRegency = new Map<string, [string, HeldElsewhere][]>();
  for (const entry of held) {
    const code = entry[1].programme.regency.code;
    byRegency.set(code, [...(byRegency.get(code) ?? []), entry]);
  }
  const mails: Mail[] = [];
  for (const [code, people] of byRegency) {
    const there = regencyName(code);
    const list = (side: 'here' | 'there') =>
      [
        ...people
          .slice(0, LISTED)
          .map(([nik, h]) =>
            side === 'here'
              ? `- baris ${rowOf.get(nik) ?? '?'}: NIK ${maskNik(nik)}, ${isActive(h.status) ? 'peserta aktif' : 'diusulkan'} di ${villageLabel(h.holder.villageCode)} (program ${h.programme.id})`
              : `- NIK ${maskNik(nik)}: ${isActive(h.status) ? 'peserta aktif' : 'diusulkan'} di ${villageLabel(h.holder.villageCode)} (program ${h.programme.id}, usulan ${h.holder.proposalId})`,
          ),
        ...(people.length > LISTED ? [`- dan ${people.length - LISTED} orang lainnya`] : []),
      ].join('\n');
    const subject = `[Jaring] ${people.length} NIK terdaftar di ${there} dan diusulkan di ${here} (pindah domisili?)`;
    const why =
      'Satu orang hanya boleh ditanggung satu kabupaten pada periode yang sama. Bila orangnya pindah domisili, ' +
      `kepesertaannya di ${there} diakhiri lebih dulu; sesudah itu desa dapat mengusulkannya lagi di ${here}.`;
    mails.push(
      render(
        [programme.approverEmail, links.opsEmail],
        subject,
        [
          `Yth. ${dinasSosialName(programme.regency)},`,
          `${people.length} orang dalam ${upload} ditolak karena sudah ${people.some(([, h]) => isActive(h.status)) ? 'terdaftar atau diusulkan' : 'diusulkan'} di ${there} pada periode yang sama:\n${list('here')}`,
          why,
          `Mohon berkoordinasi dengan ${dinasSosialName(code)}, yang menerima pemberitahuan yang sama.`,
        ],
        { href: consoleUrl(links.apiUrl, p.id), label: 'Buka usulan' },
      ),
    );
    const otherApprovers = [...new Set(people.map(([, h]) => h.programme.approverEmail))];
    mails.push(
      render(otherApprovers, subject, [
        `Yth. ${dinasSosialName(code)},`,
        `${people.length} orang yang ${people.some(([, h]) => isActive(h.status)) ? 'terdaftar atau diusulkan' : 'diusulkan'} di ${there} diusulkan pula oleh desa di ${here} (${villageLabel(p.villageCode)}) untuk periode yang sama, kemungkinan karena pindah domisili:\n${list('there')}`,
        `Usulan di ${here} menolak orang-orang ini. ${why}`,
        `Mohon berkoordinasi dengan ${dinasSosialName(programme.regency)}, yang menerima pemberitahuan yang sama.`,
      ]),
    );
  }
  return mails;
}

/** Sends the mails (at least once: a validation retried after sending them sends them again). */
export async function tellBothDinasSosial(
  deps: OtherRegencyDeps,
  p: Proposal,
  programme: Programme,
  held: ReadonlyMap<string, HeldElsewhere>,
  rowOf: ReadonlyMap<string, number>,
): Promise<string[]> {
  if (!deps.tell || !held.size) return [];
  const ids: string[] = [];
  for (const mail of otherRegencyMails(p, programme, held, rowOf, deps.tell))
    ids.push((await deps.tell.mailer.send(mail)).messageId);
  return ids;
}
