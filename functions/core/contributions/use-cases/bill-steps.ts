import type { AuditLog } from '../../../ports/audit-log';
import type { CoverageStore } from '../../../ports/coverage-store';
import type { ObjectStore } from '../../../ports/object-store';
import { PaymentCodeRequest } from '../../bpjs/payment-contract';
import type { Bill } from '../bill';
import type { Coverage, CoverageEvent } from '../coverage';
import type { ContributionTerms } from '../terms';
import { applyCoverageEvent } from '../coverage';
import { billParticipants } from './update-coverage';

/**
 * What the billing workflow did for a bill, once each: its documents written, an event applied to
 * everyone on it, a notice mailed. Each is an audit event on the bill (`bill#<id>`, the entity the
 * bill store writes its own events to) keyed by the step, so a step that ran is not run again when
 * the schedule fires twice or the workflow retries, and auditors see when each notice went out.
 *
 * A step is recorded after it is done: a crash in between repeats it, which for the coverage events
 * changes nothing (they are idempotent) and for a notice means, at worst, the same mail twice.
 */
export type BillStep =
  | 'DOCUMENTS_WRITTEN'
  | 'BILLED_APPLIED'
  | 'PAID_APPLIED'
  | 'OVERDUE_APPLIED'
  | 'NOTICE_ISSUED'
  | 'NOTICE_PAYMENT_CODE'
  | 'NOTICE_DUE_SOON'
  | 'NOTICE_OVERDUE';

const billEntityOf = (bill: Pick<Bill, 'id'>) => `bill#${bill.id}`;

export class BillSteps {
  constructor(
    private readonly audit: AuditLog,
    private readonly actor: string,
  ) {}

  /** The steps done for the bill, each with the details recorded with it. */
  async done(bill: Bill): Promise<Map<BillStep, Record<string, unknown>>> {
    const events = await this.audit.byEntity(billEntityOf(bill));
    return new Map(
      events.filter((e) => e.action === 'BILL_STEP').map((e) => [e.details?.step as BillStep, e.details ?? {}]),
    );
  }

  /** Keyed by the bill's issue time and the step: recording it again writes nothing. */
  async record(bill: Bill, step: BillStep, details: Record<string, unknown> = {}, execution?: string) {
    await this.audit.append(
      {
        entity: billEntityOf(bill),
        action: 'BILL_STEP',
        actor: this.actor,
        at: bill.issuedAt,
        ...(execution && { execution }),
        details: { step, ...details },
      },
      { once: step },
    );
  }
}

/** What applying an event to a bill's participants needs of the coverage store: many at once. */
export type CoverageUpdates = Pick<CoverageStore, 'update'> & {
  updateMany(
    programmeId: string,
    niks: readonly string[],
    next: (current: Coverage) => Coverage,
  ): Promise<{ updated: Coverage[]; missing: string[] }>;
};

/** How many NIKs go to one updateMany: the list is streamed, never held whole. */
const CHUNK = 1_000;

/**
 * The step stopped before its Lambda's end with participants left: what it wrote is stored, and the
 * workflow runs the step again (workflows/billing/state-machine.ts), which carries on from there.
 * No cursor is kept: applying an event is idempotent and a coverage it changes nothing on is not
 * written, so the next run reads the ones done (reads are cheap; the writes are what take the time)
 * and writes only the rest. A month of 100,000 participants on DynamoDB Local takes longer than one
 * Lambda's 15 minutes; on DynamoDB it fits, and the loop costs nothing there.
 */
export class BillingPausedError extends Error {
  override name = 'BillingPausedError';
}

/** Asked between chunks: true when the Lambda has too little time left for another one. */
export type OutOfTime = () => boolean;

/**
 * Applies one event to every participant on the bill, from its stored list, a chunk at a time;
 * `each` sees every coverage as stored (the due-date check counts families at risk from them).
 * A NIK on the list with no coverage is reported, not fatal: the bill was counted from coverages.
 * With `outOfTime`, it throws BillingPausedError between chunks when the time is up; the caller
 * records the step only after a run that got through, so a paused one is finished by the next.
 */
export async function applyToBill(
  deps: { coverages: CoverageUpdates; objects: ObjectStore; outOfTime?: OutOfTime },
  bill: Bill,
  event: CoverageEvent,
  terms: ContributionTerms,
  each: (c: Coverage) => void = () => undefined,
): Promise<{ updated: number; missing: number }> {
  let chunk: string[] = [];
  let updated = 0;
  let missing = 0;
  // Coverages this run changed: a run pauses only after changing some, so each run gets further
  // than the last however little time it had, even after re-reading what earlier runs did.
  let changed = 0;
  const apply = (c: Coverage) => {
    const next = applyCoverageEvent(c, event, terms);
    if (next !== c) changed += 1;
    return next;
  };
  const flush = async () => {
    if (!chunk.length) return;
    const r = await deps.coverages.updateMany(bill.programmeId, chunk, apply);
    r.updated.forEach(each);
    updated += r.updated.length;
    missing += r.missing.length;
    chunk = [];
  };
  const flushOrPause = async () => {
    await flush();
    if (changed > 0 && deps.outOfTime?.()) {
      throw new BillingPausedError(`Bill ${bill.id}: out of time after ${updated} participants`);
    }
  };
  for await (const p of billParticipants(deps, bill)) {
    chunk.push(p.nik);
    if (chunk.length >= CHUNK) await flushOrPause();
  }
  await flush();
  return { updated, missing };
}

/**
 * BILLED on everyone on the bill, unless already recorded as done: the monthly run does it right
 * after issuing; the daily check finishes a bill whose monthly run stopped before it, so no payment
 * or due date reaches people not yet billed.
 */
export async function ensureBilled(
  deps: { coverages: CoverageUpdates; objects: ObjectStore; steps: BillSteps; now: () => Date; outOfTime?: OutOfTime },
  bill: Bill,
  terms: ContributionTerms,
  done: Map<BillStep, unknown>,
  execution?: string,
) {
  if (done.has('BILLED_APPLIED')) return;
  const event = { type: 'BILLED' as const, at: deps.now().toISOString(), month: bill.month, billId: bill.id };
  const applied = await applyToBill(deps, bill, event, terms);
  await deps.steps.record(bill, 'BILLED_APPLIED', applied, execution);
}

/** The payment code request for a bill. */
export const paymentCodeRequestFor = (bill: Bill): PaymentCodeRequest =>
  PaymentCodeRequest.parse({
    billReference: bill.id,
    programmeId: bill.programmeId,
    month: bill.month,
    amount: bill.amount,
    dueDate: bill.due.date,
    participants: bill.participants,
  });
