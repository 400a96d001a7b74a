import { PassThrough, Readable } from 'node:stream';
import type { NikHolder } from '../../../ports/quota-ledger';
import { ProposalStatusConflictError } from '../../../ports/proposal-store';
import type { Programme } from '../../programmes/programme';
import { dinasSosialName, regencyName } from '../../regions/regencies';
import { findVillage } from '../../regions/villages';
import { villageLabel } from '../../regions/village-label';
import { DEFAULT_LIMITS, openProposalSheet, SheetError } from '../../spreadsheet/read-proposal-sheet';
import { issue, type RowIssue } from '../../validation/messages';
import { KeptRows } from '../../validation/kept-rows';
import { countRows, reportRowOf, ValidationReport, writeReportXlsx, type ReportRow } from '../../validation/report';
import { validateRows } from '../../validation/rules';
import type { Worker } from '../../workers/worker';
import { approvalWaitSeconds } from '../approval-deadline';
import { toJsonLines } from '../jsonl';
import { mustGet } from '../must-get';
import { compareUploads, ProposalStatus, type FindProgramme, type Proposal } from '../proposal';
import { heldInOtherRegencies, isActive, tellBothDinasSosial, type OtherRegencyDeps } from '../other-regencies';
import { claimsKey, periodOf, quotaOf, RELEASED_STATUSES } from '../reservations';
import { reportKeys, workersKey } from '../work-keys';
import {
  isProposalUpload,
  sameVillage,
  settleSupersession,
  supersede,
  supersedeSelf,
  withdrawn,
  type SupersedeDeps,
  type Validated,
} from './supersede';

export type ValidateDeps = SupersedeDeps & { findProgramme: FindProgramme } & OtherRegencyDeps;

/**
 * How long reading and checking the upload may take (wall-clock ms). The validating Lambda has 10
 * minutes (workflows/enrollment/enrollment-workflow.ts), and the claims and the report take about as
 * long again: a file slower than a third of that is refused INVALID (FILE_TOO_SLOW) while there is
 * time to say so, instead of the Lambda timing out and every retry timing out the same way.
 * A caller with a Lambda context may pass its own (a third of getRemainingTimeInMillis()).
 */
const READ_BUDGET_MS = 200_000;

/** Statuses after validation: a re-run (retry, re-drive) hands back what was found instead of redoing it. */
const VALIDATED_ALREADY = ProposalStatus.options.filter(
  (s) => !['RECEIVED', 'VALIDATING', 'FAILED', 'SUPERSEDED', 'CANCELLED'].includes(s),
);

/** Statuses of a proposal taken out of the running while (or before) it validated. */
const WITHDRAWN: readonly Proposal['status'][] = ['SUPERSEDED', 'CANCELLED'];

/**
 * Checks every row of the upload against the programme's rules and writes the report the operator
 * acts on: JSON for machines, and the operator's own sheet with a status and reasons per row.
 * The file is read once, as a stream, never held whole: its rows are kept compactly (kept-rows.ts)
 * until the claims and the quota make the verdicts final, then written back with them.
 *
 * The newest upload for a village and programme wins: validation supersedes every earlier one
 * that is not decided yet, and an upload that finds a newer one supersedes itself.
 */
export async function validateProposal(
  deps: ValidateDeps,
  input: { proposalId: string; executionArn?: string },
  budget: { readMs?: number } = {},
): Promise<Validated> {
  const p = await mustGet(deps.proposals, input.proposalId);
  const programme = deps.findProgramme(p.programmeId, p.programmeVersion);
  if (!programme) throw new Error(`Programme ${p.programmeId} is not configured`);
  if (WITHDRAWN.includes(p.status)) return withdrawn(deps, p, programme);
  if (VALIDATED_ALREADY.includes(p.status)) {
    return {
      proposalId: p.id,
      status: p.status,
      valid: p.counts?.valid ?? 0,
      approvalTimeoutSeconds: approvalWaitSeconds(p, programme, deps.now()),
    };
  }
  try {
    return await validate(deps, p, programme, input.executionArn, budget.readMs ?? READ_BUDGET_MS);
  } catch (error) {
    // Every write here is conditional on VALIDATING; one that fails because a newer upload
    // superseded this one meanwhile ends the validation, and what it claimed so far goes back.
    if (!(error instanceof ProposalStatusConflictError)) throw error;
    const now = await mustGet(deps.proposals, p.id);
    if (!WITHDRAWN.includes(now.status)) throw error;
    return withdrawn(deps, now, programme);
  }
}

async function validate(
  deps: ValidateDeps,
  proposal: Proposal,
  programme: Programme,
  execution: string | undefined,
  readMs: number,
): Promise<Validated> {
  let p = proposal;
  const timeout = approvalWaitSeconds(p, programme, deps.now());
  if (p.status === 'RECEIVED') {
    p = await deps.proposals.change(p.id, {
      from: ['RECEIVED'],
      set: { status: 'VALIDATING' },
      audit: {
        action: 'VALIDATION_STARTED',
        actor: 'system:validate-proposal',
        execution,
        from: 'RECEIVED',
        to: 'VALIDATING',
      },
    });
  }

  // Before anything is claimed: a newer upload means this one is already replaced, and every
  // earlier one gives its people back so that this file is not refused as their duplicate.
  const newer = await settleSupersession(deps, p, programme, execution);
  if (newer) return supersedeSelf(deps, p, newer, programme, execution);

  const source = {
    fileName: p.fileName,
    body: () =>
      lazyStream(async () => (await deps.objects.get({ key: p.upload.key, versionId: p.upload.versionId })).body),
  };
  const keys = reportKeys(p.id);
  const generatedAt = deps.now().toISOString();

  // A file that cannot be read as a proposal (not a sheet, no header, too many rows ...) is refused
  // whole, with the reason in the report and on the proposal; the upload itself stays in S3.
  const refuseFile = async (error: SheetError): Promise<Validated> => {
    const reason = { code: error.code, message: error.message };
    const counts = { rows: 0, valid: 0, invalid: 0, overQuota: 0, warnings: 0 };
    const report = {
      ...ValidationReport.parse({ ...reportHeader(p, generatedAt), counts, rows: [] }),
      fileError: reason,
    };
    await deps.objects.put(keys.json, JSON.stringify(report), 'application/json');
    await finish(deps, p, execution, { status: 'INVALID', reason, counts, report: { json: keys.json } });
    return { proposalId: p.id, status: 'INVALID', valid: 0, approvalTimeoutSeconds: timeout };
  };

  let sheet;
  try {
    // Real time, not deps.now(): the budget bounds work, it is not a date in the proposal's life.
    sheet = await openProposalSheet(source, { ...DEFAULT_LIMITS, readBy: Date.now() + readMs });
  } catch (error) {
    if (error instanceof SheetError) return refuseFile(error);
    throw error;
  }

  const verdicts = new Map<number, ReportRow>();
  // The rows are kept as they pass, for the report sheet: the file is read once.
  const kept = new KeptRows();
  let workers: Worker[] = [];
  try {
    for await (const verdict of validateRows(kept.keep(sheet.rows), programme)) {
      verdicts.set(verdict.row, reportRowOf(verdict));
      if (verdict.worker && verdict.errors.length === 0) workers.push(verdict.worker);
    }
  } catch (error) {
    // Some limits (the row cap) only show while reading.
    if (error instanceof SheetError) return refuseFile(error);
    throw error;
  }
  const refuse = (row: number, status: ReportRow['status'], error: RowIssue) => {
    const r = verdicts.get(row)!;
    verdicts.set(row, { ...r, status, errors: [...r.errors, error] });
  };

  // Across proposals: a person already proposed or enrolled in this period, by anyone, is refused.
  const period = periodOf(programme);
  const claimed = await claimPeople(deps, p, programme, workers, execution);
  if ('newer' in claimed) return supersedeSelf(deps, p, claimed.newer, programme, execution);
  for (const w of workers) {
    const held = claimed.refused.get(w.nik);
    if (!held) continue;
    const { holder, status } = held;
    refuse(
      w.row,
      'invalid',
      // The operator reads this report: where a person is proposed in their own village helps them
      // fix the file; where another village proposed them is that village's data (UU 27/2022), so
      // only the funding source is said, and Dinas Sosial sees the rest in the ledger.
      issue(
        'NIK_ALREADY_ENROLLED',
        holder.villageCode === p.villageCode
          ? {
              status: status === 'ENROLLED' || status === 'PARTIALLY_ENROLLED' ? 'active' : 'pending',
              villageCode: holder.villageCode,
              villageName: findVillage(holder.villageCode)?.name,
              fileName: holder.fileName,
              row: holder.row,
              fundingSource: deps.findProgramme(holder.programmeId)?.fundingSource.replace('_', ' '),
            }
          : {
              status: status === 'ENROLLED' || status === 'PARTIALLY_ENROLLED' ? 'active' : 'pending',
              villageName: 'lain (hubungi Dinas Sosial untuk rinciannya)',
              fundingSource: deps.findProgramme(holder.programmeId)?.fundingSource.replace('_', ' '),
            },
      ),
    );
  }
  workers = workers.filter((w) => !claimed.refused.has(w.nik));

  // Across regencies: the same person held by another regency for overlapping months (other-regencies.ts).
  const elsewhere = await heldInOtherRegencies(
    deps,
    programme,
    workers.map((w) => w.nik),
  );
  if (elsewhere.size) {
    const here = dinasSosialName(programme.regency);
    for (const w of workers) {
      const held = elsewhere.get(w.nik);
      if (!held) continue;
      refuse(
        w.row,
        'invalid',
        issue('NIK_ENROLLED_IN_OTHER_REGENCY', {
          status: isActive(held.status) ? 'active' : 'pending',
          otherRegency: regencyName(held.programme.regency.code),
          otherDinasSosial: dinasSosialName(held.programme.regency),
          dinasSosial: here,
        }),
      );
    }
    await deps.ledger.unclaim(period, p.id, [...elsewhere.keys()]);
    const rowOf = new Map(workers.filter((w) => elsewhere.has(w.nik)).map((w) => [w.nik, w.row]));
    workers = workers.filter((w) => !elsewhere.has(w.nik));
    await tellBothDinasSosial(deps, p, programme, elsewhere, rowOf);
  }

  // Superseded while claiming? Then reserve nothing: the conditional write below would fail anyway,
  // and places taken meanwhile would be missing from the newer upload's quota until released.
  const current = await mustGet(deps.proposals, p.id);
  if (current.status !== 'VALIDATING')
    throw new ProposalStatusConflictError(`Proposal ${p.id} is ${current.status} while validating`);

  // The quota, reserved with one conditional write: rows past what is left stay in the report as over quota.
  const quota = quotaOf(programme, p.villageCode);
  const granted = workers.length ? await deps.ledger.reserve(quota, p.id, workers.length) : 0;
  const over = workers.slice(granted);
  for (const w of over) refuse(w.row, 'over_quota', issue('OVER_QUOTA', { limit: quota.limit, scope: quota.scope }));
  if (over.length)
    await deps.ledger.unclaim(
      period,
      p.id,
      over.map((w) => w.nik),
    );
  workers = workers.slice(0, granted);

  // The workers go to S3 before the report is written, and are let go: ~45 MB of a 100,000-row file's
  // live set that the report's peak need not carry.
  const hasWorkers = workers.length > 0;
  if (hasWorkers) await deps.objects.put(workersKey(p.id), jsonLinesStream(workers), 'application/x-ndjson');
  workers.length = 0;

  const counts = countRows(verdicts.values());
  // Typed, not parsed: the rows are this module's own, and a parse would copy all of them (100,000 at a time).
  const report: ValidationReport = { ...reportHeader(p, generatedAt), counts, rows: [...verdicts.values()] };
  await deps.objects.put(keys.json, JSON.stringify(report), 'application/json');
  const xlsx = new PassThrough();
  const upload = deps.objects.put(keys.xlsx, xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const { rows: _rows, ...summary } = report;
  await Promise.all([
    writeReportXlsx(xlsx, {
      report: summary,
      names: { programme: programme.name, village: villageLabel(p.villageCode) },
      header: sheet.header,
      rows: kept.replay(),
      verdictOf: (row) => verdicts.get(row),
    }),
    upload,
  ]);

  // A newer upload that registered while this one validated (an index can lag) still wins.
  const newest = await settleSupersession(deps, p, programme, execution);
  if (newest) return supersedeSelf(deps, p, newest, programme, execution);

  const valid = counts.valid;
  await finish(deps, p, execution, {
    status: valid > 0 ? 'VALIDATED' : 'INVALID',
    reason:
      valid > 0
        ? undefined
        : {
            code: 'NO_VALID_ROWS',
            message: 'Tidak ada baris yang valid. Perbaiki baris sesuai keterangan pada laporan, lalu unggah ulang.',
          },
    counts,
    topIssues: topIssues(verdicts.values()),
    report: keys,
    workersKey: hasWorkers ? workersKey(p.id) : undefined,
  });
  return { proposalId: p.id, status: valid > 0 ? 'VALIDATED' : 'INVALID', valid, approvalTimeoutSeconds: timeout };
}

async function finish(
  deps: ValidateDeps,
  p: Proposal,
  execution: string | undefined,
  set: Partial<Proposal> & { status: Proposal['status'] },
) {
  await deps.proposals.change(p.id, {
    from: ['VALIDATING'],
    set,
    audit: {
      action: set.status === 'INVALID' ? 'VALIDATION_FAILED' : 'VALIDATION_PASSED',
      actor: 'system:validate-proposal',
      execution,
      from: 'VALIDATING',
      to: set.status,
      details: { counts: set.counts, reason: set.reason },
    },
  });
}

/** JSON Lines as a stream, a thousand records a chunk: 100,000 workers (~23 MB) are never one string. */
function jsonLinesStream(records: readonly unknown[]): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < records.length; i += 1000) yield toJsonLines(records.slice(i, i + 1000));
    })(),
    { objectMode: false },
  );
}

/** A stream that opens its source on first read, so the sheet reader can ask for fresh copies synchronously. */
function lazyStream(open: () => Promise<Readable>): Readable {
  return Readable.from(
    (async function* () {
      yield* await open();
    })(),
    { objectMode: false },
  );
}

type Held = { holder: NikHolder; status?: Proposal['status'] };

/**
 * Claims the people of `p` in the period. A claim found under a proposal that gave its people back
 * (superseded, rejected, expired ...) is stale: it is let go on that proposal's behalf and taken.
 * A claim under an earlier upload of the same village means that one is replaced now (its index
 * entry was not visible yet); under a newer one, `p` is the one replaced.
 */
async function claimPeople(
  deps: ValidateDeps,
  p: Proposal,
  programme: Programme,
  workers: Worker[],
  execution?: string,
): Promise<{ refused: Map<string, Held> } | { newer: Proposal }> {
  const period = periodOf(programme);
  // Written first, so a release of this proposal at any later moment finds every claim it may hold.
  await deps.objects.put(claimsKey(p.id), toJsonLines(workers.map((w) => ({ nik: w.nik }))), 'application/x-ndjson');
  const me = { proposalId: p.id, programmeId: programme.id, villageCode: p.villageCode, fileName: p.fileName };
  const refused = new Map<string, Held>();
  let pending = workers.map((w) => ({ nik: w.nik, row: w.row }));
  for (let round = 0; pending.length; round++) {
    const holders = await deps.ledger.claim(period, me, pending);
    const rowOf = new Map(pending.map((c) => [c.nik, c.row]));
    const byHolder = new Map<string, [string, NikHolder][]>();
    // Pushed, not spread: an earlier upload holding all 100,000 people would make spreading quadratic.
    for (const [nik, holder] of holders) {
      const held = byHolder.get(holder.proposalId);
      if (held) held.push([nik, holder]);
      else byHolder.set(holder.proposalId, [[nik, holder]]);
    }
    pending = [];
    for (const [holderId, held] of byHolder) {
      let h = await deps.proposals.get(holderId);
      if (h && sameVillage(h, p) && isProposalUpload(h) && !RELEASED_STATUSES.includes(h.status)) {
        if (compareUploads(h, p) > 0) return { newer: h };
        if (await supersede(deps, h, p, programme, execution)) h = await deps.proposals.get(holderId);
      }
      // A few rounds at most: a holder still claiming as it is released could take a NIK back once.
      if (h && RELEASED_STATUSES.includes(h.status) && round < 3) {
        const niks = held.map(([nik]) => nik);
        await deps.ledger.unclaim(period, holderId, niks);
        pending.push(...niks.map((nik) => ({ nik, row: rowOf.get(nik)! })));
      } else {
        for (const [nik, holder] of held) refused.set(nik, { holder, status: h?.status });
      }
    }
  }
  return { refused };
}

/** The five problems found in most rows, each with one of its messages as an example. */
function topIssues(rows: Iterable<ReportRow>, limit = 5) {
  const byCode = new Map<string, { code: string; rows: number; example: string }>();
  for (const r of rows) {
    for (const e of new Map(r.errors.map((x) => [x.code, x])).values()) {
      const seen = byCode.get(e.code) ?? { code: e.code, rows: 0, example: e.message };
      seen.rows += 1;
      byCode.set(e.code, seen);
    }
  }
  return [...byCode.values()].sort((a, b) => b.rows - a.rows).slice(0, limit);
}

const reportHeader = (p: Proposal, generatedAt: string) => ({
  proposalId: p.id,
  programmeId: p.programmeId,
  villageCode: p.villageCode,
  fileName: p.fileName,
  generatedAt,
});
