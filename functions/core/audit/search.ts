import pMap from 'p-map';
import * as z from 'zod';
import { authorize, regenciesReached, type Action } from '../access/policy';
import type { Principal } from '../access/principal';
import { claimRow } from '../claims/use-cases/claim-views';
import type { Bill, BillStatus } from '../contributions/bill';
import { CalendarDate, firstDayOf, jakartaDate, lastDayOf } from '../contributions/calendar';
import { billSummary } from '../contributions/contribution-views';
import type { Coverage, CoverageStatus } from '../contributions/coverage';
import { maskNik, redactText } from '../privacy/mask';
import type { Programme } from '../programmes/programme';
import type { Proposal } from '../proposals/proposal';
import { STATUS_TEXT as PROPOSAL_STATUS_TEXT } from '../proposals/proposal-view';
import { VILLAGE_CODE } from '../proposals/upload-key';
import { villagesOfRegency, type Village } from '../regions/villages';
import type { BillStore } from '../../ports/bill-store';
import type { ClaimStore, StoredClaim } from '../../ports/claim-store';
import type { CoverageStore } from '../../ports/coverage-store';
import type { ParticipantStore } from '../../ports/participant-store';
import type { ProposalStore } from '../../ports/proposal-store';

/**
 * The auditor's search (issue 11): proposals, participants, bills and claims of the villages the
 * viewer reaches, by village, kecamatan, programme, status, date range or one NIK (whole, exact).
 * Every row is masked (the NIK to `6203********0001`, names never shown) and links to its timeline.
 *
 * How it scales. There is no table scan: every read is a query the stores already answer.
 * - Proposals and participants are read per programme and village (`findByProgrammeVillage`,
 *   `byVillage`): a regency-wide search with no village or kecamatan is 231 villages x the regency's
 *   programmes (4 in Kapuas: 924 queries), run 8 at a time; DynamoDB answers each in ~10 ms, so
 *   about a second in AWS for proposals. Participants regency-wide also page through every coverage
 *   record (Kapuas: up to ~27,000, 200 a page), a few seconds; naming a kecamatan (~14 villages) or
 *   a village cuts either to a handful of queries.
 * - Claims of more than a few villages are read per programme (`byProgramme`) and filtered.
 * - Bills are a programme's months (`byProgramme`, a dozen a year).
 * - A NIK goes straight to the person's records (`byNik`, `byParticipant`, the participant record).
 * The answer stops at MAX_ROWS rows (and says so): past that a person narrows the search.
 */

/** The console's address of an entity's timeline (`proposal#prp-...` URL-encoded as one path segment). */
export const entityLink = (entity: string) => `/timeline/${encodeURIComponent(entity)}`;

/**
 * How the console names a participant in a link: programme, village and KPJ (the masked NIK for a
 * coverage without a KPJ), never the NIK, which a URL would leave in access logs and browser history.
 * The timeline finds the person among the village's coverages (timeline.ts `openTimeline`).
 */
const participantReference = (c: Pick<Coverage, 'programmeId' | 'villageCode' | 'nik' | 'kpj'>) =>
  `participant#${c.programmeId}#${c.villageCode}#${participantKey(c)}`;
/** The part of the reference that tells a village's participants apart. */
export const participantKey = (c: Pick<Coverage, 'nik' | 'kpj'>) => c.kpj ?? maskNik(c.nik);

export const SEARCH_KINDS = ['proposal', 'participant', 'bill', 'claim'] as const;
export const SearchKind = z.enum(SEARCH_KINDS);
export type SearchKind = z.infer<typeof SearchKind>;

/** More rows than anyone reads on a page or in an export; the answer says it stopped. */
const MAX_ROWS = 1000;
const CONCURRENCY = 8;
/** Above this many villages, claims are read per programme and filtered rather than per village. */
const CLAIMS_BY_VILLAGE_UP_TO = 20;

const blankIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsAbsent, schema.optional());

/** What a search asks, as the page's form or a script sends it (an empty field means "any"). */
export const SearchQuery = z
  .object({
    kind: z.preprocess(blankIsAbsent, SearchKind.default('proposal')),
    village: optional(z.string().trim().regex(VILLAGE_CODE)),
    /** A kecamatan by its code (`62.03.01`): every village whose code starts with it. */
    kecamatan: optional(
      z
        .string()
        .trim()
        .regex(/^\d{2}\.\d{2}\.\d{2}$/),
    ),
    programme: optional(z.string().trim().min(1).max(100)),
    status: optional(
      z
        .string()
        .trim()
        .regex(/^[A-Z_]{2,40}$/),
    ),
    /** Jakarta calendar days, both included. */
    from: optional(CalendarDate),
    to: optional(CalendarDate),
    /** One person, by their whole NIK (never a part of one: that would be a search for people). */
    nik: optional(
      z
        .string()
        .trim()
        .regex(/^\d{16}$/),
    ),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from after to', path: ['from'] });
export type SearchQuery = z.infer<typeof SearchQuery>;

/** One row of an answer, the same for the page, the JSON and the exports. */
export const SearchRow = z.object({
  kind: SearchKind,
  /** The audit trail's entity (a participant's carries the NIK: only in links, never shown). */
  entity: z.string(),
  title: z.string(),
  programmeId: z.string(),
  villageCode: z.string().optional(),
  village: z.string().optional(),
  kecamatan: z.string().optional(),
  /** Masked. */
  nik: z.string().optional(),
  status: z.string(),
  statusText: z.string(),
  /** The record's own date: a proposal's upload, a coverage's start, a bill's month, a claim's filing. */
  date: z.string(),
  links: z.object({ timeline: z.string(), record: z.string().optional() }),
});
export type SearchRow = z.infer<typeof SearchRow>;

export type SearchAnswer =
  | { ok: true; kind: SearchKind; rows: SearchRow[]; truncated: boolean; villages: number; programmes: string[] }
  | { ok: false; status: 400 | 403 | 404; code: string; message: string };

/** What a search reads: the stores' own queries, nothing else. */
export type SearchSources = {
  proposals: Pick<ProposalStore, 'get' | 'findByProgrammeVillage'>;
  participants: Pick<ParticipantStore, 'get'>;
  coverages: Pick<CoverageStore, 'byNik' | 'byVillage'>;
  bills: Pick<BillStore, 'get' | 'byProgramme'>;
  claims: Pick<ClaimStore, 'byParticipant' | 'byVillage' | 'byProgramme'>;
  programmes: () => readonly Programme[];
};

/** The read action that narrows `audit:read` for each kind of record. */
export const READ_ACTION: Record<SearchKind, Action> = {
  proposal: 'proposal:history',
  participant: 'participant:read',
  bill: 'bill:read',
  claim: 'claim:read',
};

export const COVERAGE_STATUS_TEXT: Record<CoverageStatus, string> = {
  ACTIVE: 'Aktif',
  ARREARS: 'Menunggak',
  LAPSED: 'Nonaktif (tunggakan)',
  ENDED: 'Berakhir',
  DECEASED: 'Meninggal dunia',
};
export const BILL_STATUS_TEXT: Record<BillStatus, string> = {
  ISSUED: 'Terbit',
  PARTLY_PAID: 'Dibayar sebagian',
  PAID: 'Lunas',
  OVERDUE: 'Lewat jatuh tempo',
  OVERPAID: 'Lebih bayar',
};

const refusal = (status: 400 | 403 | 404, code: string, message: string): SearchAnswer => ({
  ok: false,
  status,
  code,
  message,
});

/** Whether the viewer may see this kind of record of this village in the console. */
export const mayTrace = (principal: Principal, kind: SearchKind, villageCode: string) =>
  authorize(principal, 'audit:read', { villageCode }) === 'allow' &&
  authorize(principal, READ_ACTION[kind], { villageCode }) === 'allow';

/** The same, for regency-wide records (bills). */
export const mayTraceRegency = (principal: Principal, kind: SearchKind, regency: string) =>
  authorize(principal, 'audit:read', { regency }) === 'allow' &&
  authorize(principal, READ_ACTION[kind], { regency }) === 'allow';

/** The villages a search covers: those the viewer reaches, narrowed by the query's village or kecamatan. */
function villagesFor(principal: Principal, query: SearchQuery): Village[] | SearchAnswer {
  // Every regency the viewer reaches: their own, or each an auditor is given.
  const regency = regenciesReached(principal).flatMap((code) => villagesOfRegency(code));
  const reachable = regency.filter((v) => mayTrace(principal, query.kind, v.code));
  if (query.village) {
    // A village named outside one's scope is refused plainly, as the other lists do; it is no secret.
    const v = reachable.find((r) => r.code === query.village);
    return v ? [v] : refusal(403, 'FORBIDDEN', 'Anda tidak berwenang melihat desa/kelurahan tersebut.');
  }
  if (query.kecamatan) {
    const inside = reachable.filter((v) => v.districtCode === query.kecamatan);
    if (!inside.length) {
      return regency.some((v) => v.districtCode === query.kecamatan)
        ? refusal(403, 'FORBIDDEN', 'Anda tidak berwenang melihat desa/kelurahan di kecamatan tersebut.')
        : refusal(404, 'NOT_FOUND', 'Kecamatan tidak ditemukan di kabupaten Anda.');
    }
    return inside;
  }
  return reachable;
}

const jakartaDay = (iso: string) => jakartaDate(new Date(iso));
const within = (query: SearchQuery, first: string, last = first) =>
  (!query.from || last >= query.from) && (!query.to || first <= query.to);

const villageFields = (code: string, villages: Map<string, Village>) => {
  const v = villages.get(code);
  return {
    villageCode: code,
    village: v ? `${v.kind === 'desa' ? 'Desa' : 'Kelurahan'} ${v.name}` : undefined,
    kecamatan: v?.districtName,
  };
};

const proposalRow = (p: Proposal, villages: Map<string, Village>): SearchRow => ({
  kind: 'proposal',
  entity: `proposal#${p.id}`,
  title: redactText(p.fileName),
  programmeId: p.programmeId,
  ...villageFields(p.villageCode, villages),
  status: p.status,
  statusText: PROPOSAL_STATUS_TEXT[p.status],
  date: p.createdAt,
  links: { timeline: entityLink(`proposal#${p.id}`), record: `/proposals/${p.id}` },
});

const participantRow = (c: Coverage, villages: Map<string, Village>): SearchRow => {
  // The row names the person as its link does: a list never carries a NIK whole.
  const entity = participantReference(c);
  return {
    kind: 'participant',
    entity,
    title: `Peserta ${maskNik(c.nik)}${c.kpj ? ` (KPJ ${c.kpj})` : ''}`,
    programmeId: c.programmeId,
    ...villageFields(c.villageCode, villages),
    nik: maskNik(c.nik),
    status: c.status,
    statusText: COVERAGE_STATUS_TEXT[c.status],
    date: c.start,
    links: { timeline: entityLink(entity) },
  };
};

const billRow = (b: Bill): SearchRow => ({
  kind: 'bill',
  entity: `bill#${b.id}`,
  title: `Tagihan ${billSummary(b).label} (${b.participants} peserta)`,
  programmeId: b.programmeId,
  status: b.status,
  statusText: BILL_STATUS_TEXT[b.status],
  date: b.month,
  links: { timeline: entityLink(`bill#${b.id}`), record: `/bills/${encodeURIComponent(b.id)}` },
});

const claimSearchRow = (c: StoredClaim, villages: Map<string, Village>): SearchRow => {
  const row = claimRow(c);
  return {
    kind: 'claim',
    entity: `claim#${c.id}`,
    title: `Klaim ${c.type} ${c.eventDate}`,
    programmeId: c.programmeId,
    ...villageFields(c.villageCode, villages),
    nik: row.nik,
    status: c.status,
    statusText: row.statusText,
    date: c.filedAt,
    links: { timeline: entityLink(`claim#${c.id}`), record: `/claims/${c.id}` },
  };
};

/** Every page of a paged query, stopping once `enough` items are in. */
async function allPages<T>(
  read: (cursor?: string) => Promise<{ items: T[]; cursor?: string }>,
  enough: number,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor && out.length < enough);
  return out;
}

/** Runs `read` for every programme and village of its regency, a few at a time (an auditor may reach several). */
const perVillage = async <T>(
  programmes: readonly Programme[],
  villages: readonly Village[],
  read: (programmeId: string, villageCode: string) => Promise<T[]>,
) =>
  (
    await pMap(
      programmes.flatMap((p) =>
        villages.filter((v) => v.code.startsWith(`${p.regency.code}.`)).map((v) => [p.id, v.code] as const),
      ),
      ([programmeId, villageCode]) => read(programmeId, villageCode),
      { concurrency: CONCURRENCY },
    )
  ).flat();

/**
 * Searches the records of one kind the viewer may trace. Refusals are answers (a village or
 * kecamatan out of scope: 403; a programme not of their regency: 404), never a silent empty list.
 */
export async function searchRecords(
  sources: SearchSources,
  principal: Principal,
  query: SearchQuery,
): Promise<SearchAnswer> {
  if (authorize(principal, 'audit:read', { regency: principal.regency }) === 'deny' && !principal.villages.length)
    return refusal(403, 'FORBIDDEN', 'Anda tidak berwenang membuka konsol audit.');
  const reached = regenciesReached(principal);
  const regencyProgrammes = sources.programmes().filter((p) => reached.includes(p.regency.code));
  let programmes = query.programme ? regencyProgrammes.filter((p) => p.id === query.programme) : regencyProgrammes;
  if (!programmes.length)
    return refusal(404, 'NOT_FOUND', 'Program tidak ditemukan. Pilih program dari daftar program kabupaten Anda.');

  if (query.kind === 'bill') {
    programmes = programmes.filter((p) => mayTraceRegency(principal, 'bill', p.regency.code));
    if (!programmes.length) return refusal(403, 'FORBIDDEN', 'Anda tidak berwenang melihat tagihan iuran.');
  }
  const programmeIds = new Set(programmes.map((p) => p.id));
  const selected = villagesFor(principal, query);
  if (!Array.isArray(selected)) return selected;
  if (!selected.length && query.kind !== 'bill')
    return refusal(403, 'FORBIDDEN', 'Anda tidak berwenang melihat data ini di desa/kelurahan mana pun.');
  const villages = new Map(selected.map((v) => [v.code, v]));
  const inScope = (villageCode: string) => villages.has(villageCode);
  const statusOk = (status: string) => !query.status || status === query.status;

  let rows: SearchRow[];
  switch (query.kind) {
    case 'proposal': {
      let found: Proposal[];
      if (query.nik) {
        // Proposals hold no NIKs; the person's participant records name the proposal that enrolled them.
        const nik = query.nik;
        const ids = (await Promise.all(programmes.map((p) => sources.participants.get(p.id, nik))))
          .filter((x) => x !== undefined)
          .map((x) => x.proposalId);
        found = (await Promise.all([...new Set(ids)].map((id) => sources.proposals.get(id)))).filter(
          (p) => p !== undefined,
        );
      } else {
        found = await perVillage(programmes, selected, (programmeId, villageCode) =>
          sources.proposals.findByProgrammeVillage(programmeId, villageCode),
        );
      }
      rows = found
        .filter(
          (p) =>
            programmeIds.has(p.programmeId) &&
            inScope(p.villageCode) &&
            statusOk(p.status) &&
            within(query, jakartaDay(p.createdAt)),
        )
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map((p) => proposalRow(p, villages));
      break;
    }
    case 'participant': {
      const found = query.nik
        ? await sources.coverages.byNik(query.nik)
        : await perVillage(programmes, selected, (programmeId, villageCode) =>
            allPages(
              (cursor) => sources.coverages.byVillage(programmeId, villageCode, { limit: 200, cursor }),
              MAX_ROWS,
            ),
          );
      rows = found
        .filter(
          (c) =>
            programmeIds.has(c.programmeId) &&
            inScope(c.villageCode) &&
            statusOk(c.status) &&
            within(query, c.start, c.end),
        )
        .map((c) => participantRow(c, villages));
      break;
    }
    case 'bill': {
      let found: Bill[];
      if (query.nik) {
        // A person's bills are the months their coverage was billed in.
        const coverages = (await sources.coverages.byNik(query.nik)).filter(
          (c) => programmeIds.has(c.programmeId) && inScope(c.villageCode),
        );
        const months = new Map<string, [string, string]>();
        for (const c of coverages) for (const m of c.months) months.set(m.billId, [c.programmeId, m.month]);
        found = (
          await pMap([...months.values()], ([programmeId, month]) => sources.bills.get(programmeId, month), {
            concurrency: CONCURRENCY,
          })
        ).filter((b) => b !== undefined);
      } else {
        found = (await Promise.all(programmes.map((p) => sources.bills.byProgramme(p.id)))).flat();
      }
      // A village or kecamatan narrows bills to those with a line for one of its villages.
      const narrowed = Boolean(query.village || query.kecamatan);
      rows = found
        .filter(
          (b) =>
            statusOk(b.status) &&
            within(query, firstDayOf(b.month), lastDayOf(b.month)) &&
            (!narrowed || b.lines.some((l) => inScope(l.villageCode))),
        )
        .sort((a, b) => b.month.localeCompare(a.month) || a.programmeId.localeCompare(b.programmeId))
        .map(billRow);
      break;
    }
    case 'claim': {
      let found: StoredClaim[];
      if (query.nik) found = await sources.claims.byParticipant(query.nik);
      else if (selected.length > CLAIMS_BY_VILLAGE_UP_TO)
        found = (
          await Promise.all(
            programmes.map((p) =>
              allPages((cursor) => sources.claims.byProgramme(p.id, { limit: 200, cursor }), MAX_ROWS * 4),
            ),
          )
        ).flat();
      else
        found = await perVillage(programmes, selected, (programmeId, villageCode) =>
          allPages((cursor) => sources.claims.byVillage(programmeId, villageCode, { limit: 200, cursor }), MAX_ROWS),
        );
      rows = found
        .filter(
          (c) =>
            programmeIds.has(c.programmeId) &&
            inScope(c.villageCode) &&
            statusOk(c.status) &&
            within(query, jakartaDay(c.filedAt)),
        )
        .sort((a, b) => b.filedAt.localeCompare(a.filedAt))
        .map((c) => claimSearchRow(c, villages));
      break;
    }
  }
  return {
    ok: true,
    kind: query.kind,
    rows: rows.slice(0, MAX_ROWS),
    truncated: rows.length > MAX_ROWS,
    villages: selected.length,
    programmes: programmes.map((p) => p.id),
  };
}
