import { authorize } from '../../access/policy';
import { actorOf, type Principal } from '../../access/principal';
import type { Coverage } from '../../contributions/coverage';
import type { Programme } from '../../programmes/programme';
import { maskNik } from '../../privacy/mask';
import { DeathAlreadyClaimedError, type ClaimStore } from '../../../ports/claim-store';
import type { CoverageStore } from '../../../ports/coverage-store';
import type { ParticipantStore } from '../../../ports/participant-store';
import type { WorkflowCallbacks } from '../../../ports/workflow';
import { computeBenefit } from '../benefit';
import { checkClaim } from '../checks';
import type { Claim, ClaimFiling, ClaimIssue, Decision } from '../claim';
import { ClaimSettings } from '../claim-settings';
import { statusAfterChecks } from '../claim-transitions';
import { requiredDocuments } from '../documents';
import { decidedBy } from './claim-action';
import type { ClaimStepInput } from './claim-workflow';

export type FileClaimDeps = {
  coverages: Pick<CoverageStore, 'byNik' | 'byVillage'>;
  participants: Pick<ParticipantStore, 'get'>;
  claims: ClaimStore;
  /** The claims workflow: started once per claim, named after it. */
  workflow: Pick<WorkflowCallbacks, 'start'>;
  findProgramme: (id: string) => Programme | undefined;
  allProgrammes: () => readonly Programme[];
  settingsFor: (programme: Programme) => ClaimSettings;
  newId: () => string;
  now: () => Date;
};

export type FileClaimResult =
  | { ok: true; claim: Claim; created: boolean }
  | { ok: false; status: 403 | 422; code: string; message: string; issues?: ClaimIssue[] };

/** How far a KPJ is looked for: an operator's own villages only, a page at a time. */
const KPJ_PAGE = 200;
const KPJ_PAGES_PER_VILLAGE = 25;

const SYSTEM = 'system:file-claim';

/**
 * Files a claim for a participant, as an operator (their villages) or Dinas Sosial's verifier (the
 * regency). The participant is found by NIK, or by KPJ among the operator's own villages (there is no
 * index by KPJ, and Dinas Sosial has the NIK on the family's KTP). Every check runs at once
 * (checks.ts): a refusal is recorded as a REFUSED claim with its reasons, so the family's file shows
 * why; a claim that may go on waits for its documents and starts the claims workflow.
 *
 * A person nobody may file for here answers NOT_A_PARTICIPANT without a record, whether they are a
 * participant of another village or of none: an operator does not learn who is covered elsewhere.
 */
export async function fileClaim(
  deps: FileClaimDeps,
  input: { filing: ClaimFiling; principal: Principal },
): Promise<FileClaimResult> {
  const { filing, principal } = input;
  const now = deps.now();
  const found = await findCoverages(deps, filing, principal);
  const inProgramme = found.filter((c) => !filing.programmeId || c.programmeId === filing.programmeId);
  const fileable = inProgramme.filter(
    (c) => authorize(principal, 'claim:file', { villageCode: c.villageCode }) === 'allow',
  );
  // Someone who may see the village's claims learns they may not file there; anyone else learns nothing.
  if (!fileable.length && inProgramme.some((c) => authorize(principal, 'claim:read', c) === 'allow')) {
    return {
      ok: false,
      status: 403,
      code: 'FORBIDDEN',
      message: 'Anda tidak berwenang mengajukan klaim untuk peserta desa/kelurahan ini.',
    };
  }
  const coverage = pickCoverage(fileable, filing.eventDate);
  const programme = coverage && deps.findProgramme(coverage.programmeId);
  if (!coverage || !programme) {
    const issues = checkClaim({ filing, earlierClaims: [], now, settings: ClaimSettings.parse({}) });
    return {
      ok: false,
      status: 422,
      code: 'NOT_A_PARTICIPANT',
      message: issues.filter((i) => i.severity === 'REFUSAL').map((i) => i.message)[0] ?? 'Peserta tidak ditemukan.',
      issues,
    };
  }
  const nik = coverage.nik;
  const participant = await deps.participants.get(coverage.programmeId, nik);
  const earlierClaims = await deps.claims.byParticipant(nik);
  const issues = checkClaim({
    filing: { ...filing, nik },
    participant: { nik, coverageStart: coverage.start, coverageEnd: coverage.end },
    coverage,
    earlierClaims,
    now,
    settings: deps.settingsFor(programme),
  });
  const declaredIncome = filing.declaredIncome ?? programme.declaredMonthlyIncome;
  const benefit = computeBenefit({
    type: filing.type,
    eventDate: filing.eventDate,
    declaredIncome,
    paidMonths: coverage.continuousPaidMonths,
    incapacityDays: filing.incapacityDays,
  });
  const documents = requiredDocuments(filing.type, filing.heirs, benefit.total);
  const at = now.toISOString();
  const claim: Claim = {
    id: deps.newId(),
    programmeId: coverage.programmeId,
    programmeVersion: programme.version,
    nik,
    kpj: coverage.kpj ?? participant?.kpj ?? filing.kpj ?? '-',
    villageCode: coverage.villageCode,
    type: filing.type,
    eventDate: filing.eventDate,
    description: filing.description,
    declaredIncome,
    incapacityDays: filing.incapacityDays,
    heirs: filing.heirs,
    status: 'WAITING_FOR_DOCUMENTS',
    issues: [],
    requiredDocuments: documents,
    benefit,
    decisions: [],
    payouts: [],
    // By e-mail, as every decision on a claim names people: the filer may not verify or approve it.
    filedBy: decidedBy(principal, principal.roles[0] ?? 'operator'),
    filedAt: at,
    updatedAt: at,
    filerEmail: principal.email,
  };
  const recorded = await record(deps, withIssues(claim, issues, at), principal);
  if (recorded.claim.status !== 'REFUSED') {
    await startWorkflow(deps, recorded.claim.id);
  }
  return { ok: true, ...recorded };
}

/** The claim with its checks' outcome: REFUSED with the reasons, or waiting, warnings flagged for the verifier. */
function withIssues(claim: Claim, issues: ClaimIssue[], at: string): Claim {
  const refusals = issues.filter((i) => i.severity === 'REFUSAL');
  const warnings = issues.filter((i) => i.severity === 'WARNING');
  const decisions: Decision[] = refusals.length
    ? [{ action: 'REFUSED', by: SYSTEM, at, reason: refusals.map((i) => i.message).join(' ') }]
    : warnings.map((w) => ({ action: 'FLAGGED', by: SYSTEM, at, reason: w.message }));
  const status = statusAfterChecks(issues, claim.requiredDocuments);
  return { ...claim, status, issues, decisions };
}

/**
 * Creates the claim. Another standing death claim on the person, filed between the check and this
 * write, loses here (the store guards the person's death), and the claim is recorded REFUSED instead.
 */
async function record(deps: FileClaimDeps, claim: Claim, principal: Principal) {
  const audit = (c: Claim) => ({
    action: c.status === 'REFUSED' ? 'CLAIM_REFUSED' : 'CLAIM_FILED',
    actor: actorOf(principal),
    at: c.filedAt,
    details: {
      type: c.type,
      programmeId: c.programmeId,
      villageCode: c.villageCode,
      nik: maskNik(c.nik),
      issues: c.issues.map((i) => i.code),
    },
  });
  try {
    const created = await deps.claims.create(claim, audit(claim));
    return {
      claim: created === 'created' ? claim : ((await deps.claims.get(claim.id)) ?? claim),
      created: created === 'created',
    };
  } catch (error) {
    if (!(error instanceof DeathAlreadyClaimedError)) throw error;
    const issue: ClaimIssue = {
      code: 'ALREADY_CLAIMED',
      severity: 'REFUSAL',
      message: `Kematian peserta ini sudah diklaim (klaim ${error.claimId}). Kematian seorang peserta hanya dapat diklaim sekali.`,
    };
    const refused = withIssues(claim, [...claim.issues, issue], claim.filedAt);
    await deps.claims.create(refused, audit(refused));
    return { claim: refused, created: true };
  }
}

/**
 * Starts the claims workflow under the claim's id, so filing twice starts it once. An execution of
 * that name already running (a retried request) is the one wanted; any other failure is thrown, and
 * the claim, already recorded, waits for the retry.
 */
async function startWorkflow(deps: FileClaimDeps, claimId: string) {
  try {
    await deps.workflow.start(claimId, { claimId } satisfies ClaimStepInput);
  } catch (error) {
    if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
  }
}

async function findCoverages(deps: FileClaimDeps, filing: ClaimFiling, principal: Principal): Promise<Coverage[]> {
  if (filing.nik) return deps.coverages.byNik(filing.nik);
  const kpj = filing.kpj?.trim();
  if (!kpj) return [];
  const programmes = filing.programmeId ? [filing.programmeId] : programmesOf(deps, principal);
  for (const villageCode of principal.villages) {
    for (const programmeId of programmes) {
      let cursor: string | undefined;
      for (let page = 0; page < KPJ_PAGES_PER_VILLAGE; page++) {
        const got = await deps.coverages.byVillage(programmeId, villageCode, { limit: KPJ_PAGE, cursor });
        const hit = got.items.find((c) => c.kpj === kpj);
        if (hit) return deps.coverages.byNik(hit.nik);
        cursor = got.cursor;
        if (!cursor) break;
      }
    }
  }
  return [];
}

const programmesOf = (deps: FileClaimDeps, principal: Principal) =>
  deps
    .allProgrammes()
    .filter((p) => p.regency.code === principal.regency)
    .map((p) => p.id);

/** The covering one on the event date, else the latest to start. */
function pickCoverage(coverages: Coverage[], eventDate: string): Coverage | undefined {
  const byStart = [...coverages].sort((a, b) => b.start.localeCompare(a.start));
  return byStart.find((c) => c.start <= eventDate && eventDate <= c.end) ?? byStart[0];
}
