import { PassThrough, Readable } from 'node:stream';
import type { ObjectStore } from '../../ports/object-store';
import type { QuotaLedger } from '../../ports/quota-ledger';
import { findVillage } from '../regions/villages';
import { issue, type RowIssue } from '../validation/messages';
import type { ProposalStore } from '../../ports/proposal-store';
import type { Programme } from '../programmes/programme';
import { openProposalSheet, SheetError } from '../spreadsheet/read-proposal-sheet';
import { validateRows } from '../validation/rules';
import { countRows, reportRowOf, ValidationReport, writeReportXlsx, type ReportRow } from '../validation/report';
import type { Worker } from '../workers/worker';
import { mustGet } from './approval';
import { toJsonLines } from './jsonl';
import { villageLabel } from './mails';
import { periodOf, quotaOf, releaseReservations } from './reservations';
import type { WorkflowCallbacks } from '../../ports/workflow';
import { StaleTaskTokenError } from '../../ports/workflow';
import { ProposalStatus, type Proposal } from './proposal';

export const reportKeys = (proposalId: string) => ({ json: `reports/${proposalId}/report.json`, xlsx: `reports/${proposalId}/report.xlsx` });
export const workersKey = (proposalId: string) => `work/${proposalId}/workers.jsonl`;

export type ValidateDeps = {
  proposals: ProposalStore;
  objects: ObjectStore;
  ledger: QuotaLedger;
  workflow: WorkflowCallbacks;
  findProgramme: (id: string) => Programme | undefined;
  now: () => Date;
};

export type Validated = { proposalId: string; status: Proposal['status']; valid: number; approvalTimeoutSeconds: number };

/** Statuses after validation: a re-run (retry, re-drive) hands back what was found instead of redoing it. */
const VALIDATED_ALREADY = ProposalStatus.options.filter((s) => !['RECEIVED', 'VALIDATING', 'FAILED'].includes(s));

/**
 * Checks every row of the upload against the programme's rules and writes the report the operator
 * acts on: JSON for machines, and the operator's own sheet with a status and reasons per row.
 * The file is read as a stream, twice (once to judge, once to annotate), never held whole.
 */
export async function validateProposal(deps: ValidateDeps, input: { proposalId: string; executionArn?: string }): Promise<Validated> {
  let p = await mustGet(deps.proposals, input.proposalId);
  const programme = deps.findProgramme(p.programmeId);
  if (!programme) throw new Error(`Programme ${p.programmeId} is not configured`);
  const timeout = programme.approvalTimeoutDays * 86_400;
  if (VALIDATED_ALREADY.includes(p.status)) return { proposalId: p.id, status: p.status, valid: p.counts?.valid ?? 0, approvalTimeoutSeconds: timeout };

  if (p.status === 'RECEIVED') {
    p = await deps.proposals.change(p.id, {
      from: ['RECEIVED'],
      set: { status: 'VALIDATING' },
      audit: { action: 'VALIDATION_STARTED', actor: 'system:validate-proposal', execution: input.executionArn, from: 'RECEIVED', to: 'VALIDATING' },
    });
  }

  const source = {
    fileName: p.fileName,
    body: () => lazyStream(async () => (await deps.objects.get({ key: p.upload.key, versionId: p.upload.versionId })).body),
  };
  const keys = reportKeys(p.id);
  const generatedAt = deps.now().toISOString();

  // A file that cannot be read as a proposal (not a sheet, no header, too many rows ...) is refused
  // whole, with the reason in the report and on the proposal; the upload itself stays in S3.
  const refuseFile = async (error: SheetError): Promise<Validated> => {
    const reason = { code: error.code, message: error.message };
    const counts = { rows: 0, valid: 0, invalid: 0, overQuota: 0, warnings: 0 };
    const report = { ...ValidationReport.parse({ ...reportHeader(p, generatedAt), counts, rows: [] }), fileError: reason };
    await deps.objects.put(keys.json, JSON.stringify(report), 'application/json');
    await finish(deps, p, input.executionArn, { status: 'INVALID', reason, counts, report: { json: keys.json } });
    return { proposalId: p.id, status: 'INVALID', valid: 0, approvalTimeoutSeconds: timeout };
  };

  let sheet;
  try {
    sheet = await openProposalSheet(source);
  } catch (error) {
    if (error instanceof SheetError) return refuseFile(error);
    throw error;
  }

  await supersedeEarlier(deps, p, programme, input.executionArn);

  const verdicts = new Map<number, ReportRow>();
  let workers: Worker[] = [];
  try {
    for await (const verdict of validateRows(sheet.rows, programme)) {
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
  const holders = await deps.ledger.claim(
    period,
    { proposalId: p.id, programmeId: programme.id, villageCode: p.villageCode, fileName: p.fileName },
    workers.map((w) => ({ nik: w.nik, row: w.row })),
  );
  const holderStatus = new Map<string, Proposal['status'] | undefined>();
  for (const w of workers) {
    const holder = holders.get(w.nik);
    if (!holder) continue;
    if (!holderStatus.has(holder.proposalId)) holderStatus.set(holder.proposalId, (await deps.proposals.get(holder.proposalId))?.status);
    const status = holderStatus.get(holder.proposalId);
    refuse(
      w.row,
      'invalid',
      issue('NIK_ALREADY_ENROLLED', {
        status: status === 'ENROLLED' || status === 'PARTIALLY_ENROLLED' ? 'active' : 'pending',
        villageCode: holder.villageCode,
        villageName: findVillage(holder.villageCode)?.name,
        fileName: holder.fileName,
        row: holder.row,
        fundingSource: deps.findProgramme(holder.programmeId)?.fundingSource.replace('_', ' '),
      }),
    );
  }
  workers = workers.filter((w) => !holders.has(w.nik));

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

  const counts = countRows(verdicts.values());
  const report = ValidationReport.parse({ ...reportHeader(p, generatedAt), counts, rows: [...verdicts.values()] });
  await deps.objects.put(keys.json, JSON.stringify(report), 'application/json');
  const xlsx = new PassThrough();
  const upload = deps.objects.put(keys.xlsx, xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const reread = await openProposalSheet(source);
  const { rows: _rows, ...summary } = report;
  await Promise.all([
    writeReportXlsx(xlsx, {
      report: summary,
      names: { programme: programme.name, village: villageLabel(p.villageCode) },
      header: reread.header,
      rows: reread.rows,
      verdictOf: (row) => verdicts.get(row),
    }),
    upload,
  ]);
  if (workers.length) await deps.objects.put(workersKey(p.id), toJsonLines(workers), 'application/x-ndjson');

  const valid = counts.valid;
  await finish(deps, p, input.executionArn, {
    status: valid > 0 ? 'VALIDATED' : 'INVALID',
    reason:
      valid > 0
        ? undefined
        : { code: 'NO_VALID_ROWS', message: 'Tidak ada baris yang valid. Perbaiki baris sesuai keterangan pada laporan, lalu unggah ulang.' },
    counts,
    topIssues: topIssues(verdicts.values()),
    report: keys,
    workersKey: workers.length ? workersKey(p.id) : undefined,
  });
  return { proposalId: p.id, status: valid > 0 ? 'VALIDATED' : 'INVALID', valid, approvalTimeoutSeconds: timeout };
}

async function finish(deps: ValidateDeps, p: Proposal, execution: string | undefined, set: Partial<Proposal> & { status: Proposal['status'] }) {
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

/** A stream that opens its source on first read, so the sheet reader can ask for fresh copies synchronously. */
function lazyStream(open: () => Promise<Readable>): Readable {
  return Readable.from(
    (async function* () {
      yield* await open();
    })(),
    { objectMode: false },
  );
}

/** Statuses of an earlier proposal that a re-upload for the same village and programme replaces. */
const REPLACEABLE: readonly Proposal['status'][] = ['VALIDATED', 'AWAITING_APPROVAL', 'INVALID'];

/**
 * A corrected file re-uploaded for the same village and programme replaces the earlier proposal
 * that is still undecided: it gets status SUPERSEDED, gives back its quota and people, and its
 * waiting workflow is released. It and its report stay in the history.
 */
async function supersedeEarlier(deps: ValidateDeps, p: Proposal, programme: Programme, execution?: string) {
  const earlier = (await deps.proposals.findByProgrammeVillage(p.programmeId, p.villageCode)).filter(
    (o) => o.id !== p.id && o.createdAt <= p.createdAt && REPLACEABLE.includes(o.status) && !o.supersededBy,
  );
  for (const old of earlier) {
    const wasWaiting = old.status !== 'INVALID';
    const replaced = await deps.proposals
      .change(old.id, {
        from: [old.status],
        set: { supersededBy: p.id, ...(wasWaiting ? { status: 'SUPERSEDED' as const } : {}) },
        audit: {
          action: 'PROPOSAL_SUPERSEDED',
          actor: 'system:validate-proposal',
          execution,
          from: old.status,
          to: wasWaiting ? 'SUPERSEDED' : old.status,
          details: { by: p.id, fileName: p.fileName },
        },
      })
      .catch((error: Error) => (error.name === 'ProposalStatusConflictError' ? undefined : Promise.reject(error)));
    if (!replaced || !wasWaiting) continue;
    await releaseReservations(deps, old, programme);
    if (old.approval?.taskToken) {
      await deps.workflow.succeed(old.approval.taskToken, { proposalId: old.id, decision: 'SUPERSEDED' }).catch((error: Error) => {
        if (!(error instanceof StaleTaskTokenError)) throw error;
      });
    }
  }
  if (earlier.length) {
    await deps.proposals.change(p.id, {
      set: { supersedes: earlier[0]!.id },
      audit: { action: 'SUPERSEDES', actor: 'system:validate-proposal', execution, details: { superseded: earlier.map((o) => o.id) } },
    });
  }
}

/** The five problems found in most rows, each with one of its messages as an example. */
export function topIssues(rows: Iterable<ReportRow>, limit = 5) {
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
