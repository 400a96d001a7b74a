import { authorize } from '../access/policy';
import { actorOf, type Principal } from '../access/principal';
import type { Mailer } from '../../ports/mailer';
import { ProgrammeVersionConflictError, type ProgrammeStore } from '../../ports/programme-store';
import { Programme } from './programme';
import { approverChangedMail } from './programme-mails';
import { programmeChanges, programmeProblems, type FieldChange, type ProgrammeDraft } from './programme-changes';
import { changeRefusals, standingNeeded, type Refusal, type Standing } from './refusals';

/**
 * The admin of a regency creates and changes its programmes (issue 13). Each save is a new version,
 * stored with who, when, why and what changed; a change is judged against what stands (refusals.ts)
 * and refused when it would break it, and one made from a version someone else has moved on from is
 * refused too, so nobody overwrites a change they did not see.
 */

export type ProgrammeDeps = {
  store: ProgrammeStore;
  /** What stands under the programme, read only for the parts a change touches. */
  standing: (programme: Programme, needed: ReturnType<typeof standingNeeded>) => Promise<Standing>;
  now: () => Date;
  /** Where a change of approver is told (programme-mails.ts); the team's address beside the two approvers. */
  notices: { mailer: Pick<Mailer, 'send'>; ops: readonly string[] };
};

export type SaveOutcome =
  | { ok: true; programme: Programme; changes: FieldChange[] }
  | { ok: false; status: 403 | 404; code: 'FORBIDDEN' | 'NOT_FOUND'; message: string }
  | { ok: false; status: 409; code: 'VERSION_CONFLICT' | 'EXISTS'; message: string }
  | { ok: false; status: 422; code: 'INVALID' | 'NOTHING_CHANGED'; message: string; problems: string[] }
  | { ok: false; status: 422; code: 'REFUSED'; message: string; refusals: Refusal[] };

const invalid = (problems: string[]): SaveOutcome => ({
  ok: false,
  status: 422,
  code: 'INVALID',
  message: 'Program tidak dapat disimpan: ' + problems.join(' '),
  problems,
});

const mayManage = (principal: Principal, regency: string) =>
  authorize(principal, 'programme:manage', { regency }) === 'allow';

async function saveVersion(
  deps: ProgrammeDeps,
  programme: Programme,
  expectedVersion: number,
  changes: FieldChange[],
): Promise<SaveOutcome> {
  try {
    await deps.store.save(programme, expectedVersion, changes);
    return { ok: true, programme, changes };
  } catch (error) {
    if (!(error instanceof ProgrammeVersionConflictError)) throw error;
    return expectedVersion === 0
      ? { ok: false, status: 409, code: 'EXISTS', message: `Program ${programme.id} sudah ada.` }
      : {
          ok: false,
          status: 409,
          code: 'VERSION_CONFLICT',
          message: `Program ${programme.id} sudah diubah orang lain sejak versi ${expectedVersion}. Muat ulang, periksa perubahannya, lalu simpan lagi.`,
        };
  }
}

/** A new programme of the admin's regency, as version 1. */
export async function createProgramme(
  deps: ProgrammeDeps,
  principal: Principal,
  input: { draft: ProgrammeDraft; reason?: string },
): Promise<SaveOutcome> {
  if (!mayManage(principal, input.draft.regency.code))
    return {
      ok: false,
      status: 403,
      code: 'FORBIDDEN',
      message: 'Hanya admin Dinas Sosial kabupaten itu yang dapat membuat programnya.',
    };
  const programme = Programme.parse({
    ...input.draft,
    version: 1,
    changedBy: actorOf(principal),
    changedAt: deps.now().toISOString(),
    reason: input.reason || undefined,
  });
  const problems = programmeProblems(programme);
  if (problems.length) return invalid(problems);
  return saveVersion(deps, programme, 0, programmeChanges(undefined, programme));
}

/**
 * The next version of a programme, made from `expectedVersion` (the one the admin edited). Refused
 * when the admin may not manage it, it is unfit, nothing changed, it would break what stands, or
 * someone saved another version in the meantime.
 */
export async function changeProgramme(
  deps: ProgrammeDeps,
  principal: Principal,
  input: { id: string; expectedVersion: number; draft: ProgrammeDraft; reason?: string },
): Promise<SaveOutcome> {
  const versions = await deps.store.history(input.id);
  const current = versions.at(-1);
  // Another regency's programme is not there for this admin (as another regency's proposals are not).
  if (!current || authorize(principal, 'programme:read', { regency: current.regency.code }) !== 'allow')
    return { ok: false, status: 404, code: 'NOT_FOUND', message: 'Program tidak ditemukan.' };
  if (!mayManage(principal, current.regency.code))
    return {
      ok: false,
      status: 403,
      code: 'FORBIDDEN',
      message: 'Hanya admin Dinas Sosial kabupaten ini yang dapat mengubah programnya.',
    };
  if (current.version !== input.expectedVersion)
    return {
      ok: false,
      status: 409,
      code: 'VERSION_CONFLICT',
      message: `Program ${current.id} sudah diubah orang lain sejak versi ${input.expectedVersion} (kini versi ${current.version}). Muat ulang, periksa perubahannya, lalu simpan lagi.`,
    };
  const next = Programme.parse({
    ...input.draft,
    id: current.id,
    version: current.version + 1,
    changedBy: actorOf(principal),
    changedAt: deps.now().toISOString(),
    reason: input.reason || undefined,
  });
  const problems = programmeProblems(next);
  if (problems.length) return invalid(problems);
  const changes = programmeChanges(current, next);
  if (!changes.length)
    return {
      ok: false,
      status: 422,
      code: 'NOTHING_CHANGED',
      message: 'Tidak ada yang berubah.',
      problems: [],
    };
  const refusals = changeRefusals(current, next, await deps.standing(current, standingNeeded(current, next)));
  if (refusals.length)
    return {
      ok: false,
      status: 422,
      code: 'REFUSED',
      message: refusals.map((r) => r.message).join(' '),
      refusals,
    };
  const saved = await saveVersion(deps, next, current.version, changes);
  // Told after the version is stored, so a notice never speaks of a change that was refused; a mail that
  // fails fails the request, and the admin sees it (the version stands, the history holds it).
  const notice = saved.ok ? approverChangedMail(current, next, deps.notices.ops) : undefined;
  if (notice) await deps.notices.mailer.send(notice);
  return saved;
}

/** Who loads the seed, as the audit trail names it. */
export const SEED_ACTOR = 'system:programme-seed';

/**
 * Puts each seed programme that the store does not have yet, as its version 1, with PROGRAMME_CREATED
 * by the seed; a programme the store has (whatever its version, edited or not) is left as it is.
 * Safe to run on every deployment and every `npm start`, and by two at once.
 */
export async function seedProgrammes(store: ProgrammeStore, seed: readonly Programme[], at: Date) {
  const present = new Set((await store.everyVersion()).map((p) => p.id));
  const added: string[] = [];
  for (const p of seed) {
    if (present.has(p.id)) continue;
    const first = { ...p, version: 1, changedBy: SEED_ACTOR, changedAt: at.toISOString() };
    try {
      await store.save(first, 0, programmeChanges(undefined, first));
      added.push(p.id);
    } catch (error) {
      // Another loader got there first: the programme is present, which is all this asks.
      if (!(error instanceof ProgrammeVersionConflictError)) throw error;
    }
  }
  return { added };
}
