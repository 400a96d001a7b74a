import pMap from 'p-map';
import type { BillStore } from '../../ports/bill-store';
import type { ClaimStore } from '../../ports/claim-store';
import type { ParticipantCounts } from '../../ports/participant-counts';
import type { QuotaLedger } from '../../ports/quota-ledger';
import { authorize } from '../access/policy';
import type { Principal } from '../access/principal';
import { monthOf } from '../contributions/calendar';
import type { Programme } from '../programmes/programme';
import { quotaOf } from '../proposals/reservations';
import { findRegency } from '../regions/regencies';
import { villagesOfRegency, districtsOfRegency, type Village } from '../regions/villages';
import type { DashboardFigures, ProgrammeFigures } from './dashboard-figures';

export type DashboardDeps = {
  quotas: Pick<QuotaLedger, 'reserved'>;
  participants: ParticipantCounts;
  bills: Pick<BillStore, 'byProgramme'>;
  claims: Pick<ClaimStore, 'paidTotals' | 'byVillage'>;
};

/** Quota counters read at once for a per-desa quota (one per desa). */
const QUOTA_CONCURRENCY = 16;
/** Claims read a page at a time for an operator's villages; a village files a handful a year. */
const CLAIMS_PAGE = 100;

/**
 * The dashboard's figures for one viewer, each part decided by the access policy as the routes behind
 * it are: programmes of the viewer's regency (`programme:read`); participants of the villages they
 * may see (`participant:read`: an operator's own villages, everyone else's the regency's: each programme's
 * own regency for an auditor given several); bills only
 * for who may read them (`bill:read`, not operators); claims paid for the regency (`claim:read` at
 * regency scope) or summed from the viewer's villages' claims (an operator).
 */
export async function dashboardFigures(
  deps: DashboardDeps,
  viewer: Principal,
  options: { programmes: readonly Programme[]; generatedAt: string },
): Promise<DashboardFigures> {
  const programmes = options.programmes.filter(
    (p) => authorize(viewer, 'programme:read', { regency: p.regency.code }) === 'allow',
  );
  // Per regency: an auditor given several sees each programme over its own regency's villages.
  const seen = new Map<string, { villages: readonly Village[]; regencyWide: boolean }>();
  const villagesOf = (regencyCode: string) => {
    let found = seen.get(regencyCode);
    if (!found) {
      const everyVillage = villagesOfRegency(regencyCode);
      const regencyWide = authorize(viewer, 'participant:read', { regency: regencyCode }) === 'allow';
      const villages = regencyWide
        ? everyVillage
        : everyVillage.filter((v) => authorize(viewer, 'participant:read', { villageCode: v.code }) === 'allow');
      found = { villages, regencyWide };
      seen.set(regencyCode, found);
    }
    return found;
  };
  const home = villagesOf(viewer.regency);
  const figures = [];
  for (const programme of programmes)
    figures.push(await programmeFigures(deps, viewer, programme, villagesOf(programme.regency.code).villages));
  const regencies = [...new Set([viewer.regency, ...programmes.map((p) => p.regency.code)])];
  const names = regencies.map(
    (code) => programmes.find((p) => p.regency.code === code)?.regency.name ?? findRegency(code)?.name ?? code,
  );
  return {
    regency: { code: viewer.regency, name: names.join(' dan ') },
    scope: home.regencyWide ? 'regency' : 'village',
    villages: home.regencyWide ? [] : home.villages.map((v) => v.code),
    generatedAt: options.generatedAt,
    programmes: figures,
  };
}

async function programmeFigures(
  deps: DashboardDeps,
  viewer: Principal,
  programme: Programme,
  villages: readonly Village[],
): Promise<ProgrammeFigures> {
  const regency = { regency: programme.regency.code };
  const [quota, participants, contributions, claimsPaid] = await Promise.all([
    quotaFigure(deps, programme, villages),
    participantFigures(deps, programme, villages),
    authorize(viewer, 'bill:read', regency) === 'allow' ? contributionMonths(deps, programme) : Promise.resolve(null),
    authorize(viewer, 'claim:read', regency) === 'allow'
      ? regencyClaimsPaid(deps, programme)
      : villagesClaimsPaid(deps, programme, villages),
  ]);
  return {
    programmeId: programme.id,
    name: programme.name,
    fundingSource: programme.fundingSource,
    coverage: programme.coverage,
    quota,
    participants,
    contributions,
    claimsPaid,
  };
}

/**
 * A programme-wide quota is the programme's whoever looks (it is on GET /programmes too); a per-desa
 * quota (APBDes, a desa's own budget) adds up the desa in the viewer's reach, kelurahan having none.
 */
async function quotaFigure(deps: DashboardDeps, programme: Programme, villages: readonly Village[]) {
  if (programme.quota.scope === 'programme') {
    const used = await deps.quotas.reserved(quotaOf(programme, ''));
    return { scope: 'programme' as const, limit: programme.quota.limit, used };
  }
  const desa = villages.filter((v) => v.kind === 'desa');
  const used = await pMap(desa, (v) => deps.quotas.reserved(quotaOf(programme, v.code)), {
    concurrency: QUOTA_CONCURRENCY,
  });
  return {
    scope: 'desa' as const,
    limit: programme.quota.limitPerDesa * desa.length,
    used: used.reduce((a, b) => a + b, 0),
    desa: desa.length,
  };
}

async function participantFigures(deps: DashboardDeps, programme: Programme, villages: readonly Village[]) {
  const counts = await deps.participants.byVillage(
    programme.id,
    villages.map((v) => v.code),
  );
  const count = (v: Village) => counts.get(v.code) ?? 0;
  const inReach = new Set(villages.map((v) => v.districtCode));
  const byKecamatan = districtsOfRegency(programme.regency.code)
    .filter((d) => inReach.has(d.code))
    .map((d) => ({
      code: d.code,
      name: d.name,
      participants: villages.filter((v) => v.districtCode === d.code).reduce((n, v) => n + count(v), 0),
    }));
  const byDesa = villages
    .filter((v) => count(v) > 0)
    .map((v) => ({ code: v.code, name: v.name, kecamatan: v.districtName, participants: count(v) }));
  return { total: byKecamatan.reduce((n, k) => n + k.participants, 0), byKecamatan, byDesa };
}

async function contributionMonths(deps: DashboardDeps, programme: Programme) {
  const bills = await deps.bills.byProgramme(programme.id);
  return bills
    .map((b) => ({ month: b.month, billed: b.amount, paid: b.paid }))
    .sort((a, b) => a.month.localeCompare(b.month));
}

async function regencyClaimsPaid(deps: DashboardDeps, programme: Programme) {
  const totals = await deps.claims.paidTotals(programme.id);
  return totals
    .map((t) => ({ month: t.month, amount: t.amount, claims: t.claims }))
    .sort((a, b) => a.month.localeCompare(b.month));
}

/** An operator's villages' claims, their transfers summed by the month they were made. */
async function villagesClaimsPaid(deps: DashboardDeps, programme: Programme, villages: readonly Village[]) {
  const months = new Map<string, { amount: number; claims: Set<string> }>();
  for (const village of villages) {
    let cursor: string | undefined;
    do {
      const page = await deps.claims.byVillage(programme.id, village.code, { limit: CLAIMS_PAGE, cursor });
      for (const claim of page.items) {
        for (const payout of claim.payouts) {
          const month = months.get(monthOf(payout.paidOn)) ?? { amount: 0, claims: new Set<string>() };
          month.amount += payout.amount;
          month.claims.add(claim.id);
          months.set(monthOf(payout.paidOn), month);
        }
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return [...months.entries()]
    .map(([month, m]) => ({ month, amount: m.amount, claims: m.claims.size }))
    .sort((a, b) => a.month.localeCompare(b.month));
}
