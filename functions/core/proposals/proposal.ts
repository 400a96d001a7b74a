import * as z from 'zod';
import { RowIssueSchema } from '../issues';
import type { Programme } from '../programmes/programme';
import { Uploader } from './upload-grant';

/**
 * Where a proposal stands. Each status names a stage in plain words so that a village operator,
 * the Dinas Sosial and an auditor read the same thing.
 */
export const ProposalStatus = z.enum([
  'RECEIVED',
  'VALIDATING',
  'VALIDATED',
  'INVALID',
  'AWAITING_APPROVAL',
  'APPROVED',
  'REJECTED',
  'EXPIRED',
  'SUBMITTING',
  'ENROLLED',
  'PARTIALLY_ENROLLED',
  'FAILED',
  'SUPERSEDED',
  /** Withdrawn by the Dinas Sosial after it FAILED; its people and quota went back. */
  'CANCELLED',
]);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

/** Statuses after which the workflow has nothing left to do. */
export const FINAL_STATUSES: readonly ProposalStatus[] = [
  'INVALID',
  'REJECTED',
  'EXPIRED',
  'ENROLLED',
  'PARTIALLY_ENROLLED',
  'FAILED',
  'SUPERSEDED',
  'CANCELLED',
];

export const isFinal = (status: ProposalStatus) => FINAL_STATUSES.includes(status);

/** The upload a proposal came from: one object version in the uploads bucket. */
export const UploadRef = z.object({
  bucket: z.string(),
  key: z.string(),
  /** S3 version id (versioned bucket); absent only where the store has no versioning. */
  versionId: z.string().optional(),
  /** S3 event sequencer: orders events for one key, and identifies a put where no version id exists. */
  sequencer: z.string().optional(),
  etag: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
});
export type UploadRef = z.infer<typeof UploadRef>;

const ProposalCounts = z.object({
  rows: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  invalid: z.number().int().nonnegative(),
  overQuota: z.number().int().nonnegative().default(0),
  warnings: z.number().int().nonnegative().default(0),
});
export type ProposalCounts = z.infer<typeof ProposalCounts>;

const Approval = z.object({
  /** Secret in the approval link; the task token itself never leaves the backend. */
  code: z.string(),
  taskToken: z.string().optional(),
  requestedAt: z.string(),
  /** When the approval mail went out; set once, so retries do not mail twice. */
  mailedAt: z.string().optional(),
  expiresAt: z.string(),
  decision: z.enum(['APPROVED', 'REJECTED']).optional(),
  decidedAt: z.string().optional(),
  decidedBy: z.string().optional(),
  note: z.string().optional(),
});
export type Approval = z.infer<typeof Approval>;

export const Proposal = z.object({
  id: z.string(),
  status: ProposalStatus,
  programmeId: z.string(),
  /**
   * The programme's version the proposal was registered under; every later stage judges by it, so an edit
   * made while it waits does not change its rules midway. Absent on proposals from before versions.
   */
  programmeVersion: z.number().int().positive().optional(),
  villageCode: z.string(),
  fileName: z.string(),
  upload: UploadRef,
  /** The S3 key of the upload, for lookups (`GET /proposals?uploadKey=`). */
  uploadKey: z.string(),
  /** Where answers go: the signed-in uploader's address (never one the file's metadata names). */
  operatorEmail: z.string().optional(),
  /** Who uploaded: the signed-in person the upload grant names, or the AWS principal of a direct upload. */
  uploadedBy: Uploader.optional(),
  /** Why the proposal stopped (INVALID, FAILED, EXPIRED ...), in words for the operator. */
  reason: RowIssueSchema.optional(),
  counts: ProposalCounts.optional(),
  /** The problems found most often, for mails and pages: code, how many rows, one example message. */
  topIssues: z.array(z.object({ code: z.string(), rows: z.number().int(), example: z.string() })).optional(),
  enrolled: z.number().int().nonnegative().default(0),
  rejectedByBpjs: z.number().int().nonnegative().default(0),
  /** Whom BPJS refused (row, masked NIK) and why; the first 500, the rest are in the report. */
  bpjsRejections: z
    .array(z.object({ row: z.number().int(), nik: z.string(), code: z.string(), message: z.string() }))
    .optional(),
  report: z.object({ json: z.string(), xlsx: z.string().optional() }).optional(),
  /** Valid workers, as JSON Lines in the uploads bucket: rows never travel through the workflow. */
  workersKey: z.string().optional(),
  approval: Approval.optional(),
  supersedes: z.string().optional(),
  supersededBy: z.string().optional(),
  /** The event that started the workflow, kept so the proposal can be re-driven. */
  sourceEvent: z.unknown(),
  /** Final statuses whose notice has gone out, so a retried or re-driven Notify mails once. */
  notified: z.array(z.string()).default([]),
  /** Where the workflow stopped when it FAILED, so a re-drive resumes from there. */
  failure: z
    .object({ stage: z.string(), previousStatus: z.string(), error: z.string(), cause: z.string().optional() })
    .optional(),
  /** How many times the proposal was re-driven (each re-drive is a new execution name). */
  redrives: z.number().int().nonnegative().default(0),
  executionArn: z.string().optional(),
  /**
   * The name of the one execution allowed to move the proposal on. S3 can deliver an event twice,
   * which starts a second execution; that one finds it is not the active one and stops.
   */
  activeExecution: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Proposal = z.infer<typeof Proposal>;

/**
 * How a stage finds the programme it judges a proposal by: given the version the proposal recorded, that
 * version; without one (a proposal from before versions), the current one.
 */
export type FindProgramme = (id: string, version?: number) => Programme | undefined;

/**
 * The programme a proposal, bill or claim was judged by: the version it recorded, else (a record from
 * before versions) the current one. Versions are never deleted, so a recorded one missing is a bug and
 * fails the step loudly (its alarm) rather than leaving, say, a notice without its approver.
 */
export function programmeJudgedBy(
  findProgramme: FindProgramme,
  record: { programmeId: string; programmeVersion?: number },
): Programme | undefined {
  const programme = findProgramme(record.programmeId, record.programmeVersion);
  if (!programme && record.programmeVersion !== undefined)
    throw new Error(`Programme ${record.programmeId} version ${record.programmeVersion} is not in the catalogue`);
  return programme;
}

/**
 * Orders two uploads by when S3 took them, not by when their workflows got round to them (events
 * arrive late, twice, or out of order): positive when `a` is the newer. For one key, S3's event
 * sequencer decides; across keys, the event's time, then (within its one-second precision) the
 * sequencer as the best remaining hint, then registration.
 */
export function compareUploads(a: Proposal, b: Proposal): number {
  const [sa, sb] = [a.upload.sequencer, b.upload.sequencer];
  if (a.uploadKey === b.uploadKey && sa && sb && sa !== sb) return compareSequencers(sa, sb);
  const byTime = eventTime(a) - eventTime(b);
  if (byTime) return byTime;
  if (sa && sb && sa !== sb) return compareSequencers(sa, sb);
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** S3's rule: right-pad the shorter sequencer with zeros, then compare as strings. */
function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const [pa, pb] = [a.toUpperCase().padEnd(width, '0'), b.toUpperCase().padEnd(width, '0')];
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

function eventTime(p: Proposal): number {
  const time = (p.sourceEvent as { time?: unknown } | undefined)?.time;
  const at = typeof time === 'string' ? Date.parse(time) : NaN;
  return Number.isNaN(at) ? Date.parse(p.createdAt) : at;
}
