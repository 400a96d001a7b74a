import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Bill, type BillStatus } from '../core/contributions/bill';
import type { CalendarDate, CalendarMonth } from '../core/contributions/calendar';
import { BillNotFoundError, type BillStore } from '../ports/bill-store';
import { DynamoDbAuditLog, type AuditWrite } from './dynamodb-audit-log';
import { batchGetAll } from './dynamodb-batch-get';
import { queryAll } from './dynamodb-pages';
import { readWriteFailure, withTransientRetries } from './dynamodb-transactions';
import { BILL_INDEXES } from './table-design';

type Item = Record<string, unknown>;
type Tables = { bills: string; audit: string };

/** Re-reads after a lost race before giving up (two officers entering payments at once need two). */
const CONFLICT_ATTEMPTS = 10;
const OPEN: readonly BillStatus[] = ['ISSUED', 'PARTLY_PAID', 'OVERDUE'];
const OPEN_BILLS = 'OPEN';

/** The bill's entity in the audit trail. */
export const billEntity = (billId: string) => `bill#${billId}`;

export class BillUpdateConflictError extends Error {
  constructor(billId: string) {
    super(`Bill ${billId} kept changing under ${CONFLICT_ATTEMPTS} attempts to update it`);
    this.name = 'BillUpdateConflictError';
  }
}

/**
 * The stored item: the Bill schema, its `version` (every change is conditional on the one read) and,
 * while the bill is not paid in full, the sparse `open` index's keys (`openBills` = OPEN, `dueSort` =
 * `<due date>#<bill id>`); written whole, so a paid bill drops out of the index.
 */
function toItem(b: Bill, version: number): Item {
  const open = OPEN.includes(b.status) && { openBills: OPEN_BILLS, dueSort: `${b.due.date}#${b.id}` };
  return { ...b, version, ...open };
}
const fromItem = (item: Item): Bill => Bill.parse(item);

/**
 * Monthly bills in DynamoDB, one item per programme and month (functions/core/contributions/README.md).
 * Issuing is a put on the condition that the month has no bill, so a schedule that fires twice, or
 * two runs racing, make one bill. Every change after that is conditional on the version read and
 * re-applied on a conflict: two payments recorded at the same instant both count, exactly once each
 * (the domain refuses a bank reference twice on the bill it is given, and it is given the bill as
 * stored). Each change is written in one transaction with its audit events: the bill issued, every
 * payment recorded, every change of status.
 */
export class DynamoDbBillStore implements BillStore {
  private readonly audit: DynamoDbAuditLog;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {
    this.audit = new DynamoDbAuditLog(db, tables.audit);
  }

  async get(programmeId: string, month: CalendarMonth) {
    const item = await this.read(programmeId, month);
    return item && fromItem(item);
  }

  async byProgramme(programmeId: string) {
    const items = await queryAll(this.db, {
      TableName: this.tables.bills,
      KeyConditionExpression: 'programmeId = :p',
      ExpressionAttributeValues: { ':p': programmeId },
      ScanIndexForward: false,
    });
    return items.map(fromItem);
  }

  async issue(bill: Bill) {
    const b = Bill.parse(bill);
    try {
      await this.audit.transactWithEvents(
        [
          {
            Put: {
              TableName: this.tables.bills,
              Item: toItem(b, 1),
              ConditionExpression: 'attribute_not_exists(programmeId)',
            },
          },
        ],
        [
          {
            event: {
              entity: billEntity(b.id),
              action: 'BILL_ISSUED',
              actor: 'system:billing',
              at: b.issuedAt,
              to: b.status,
              details: { participants: b.participants, amount: b.amount, due: b.due.date },
            },
            once: 'issued',
            // A month's bill is issued once, and its trail starts there.
            newEntity: true,
          },
        ],
      );
      return { bill: b, created: true };
    } catch (error) {
      const failure = readWriteFailure(error);
      if (failure.kind !== 'condition' || !failure.items.includes(0)) throw error;
      // Another run issued the month first: its bill is the one.
      const existing = await this.get(b.programmeId, b.month);
      if (!existing) throw error;
      return { bill: existing, created: false };
    }
  }

  async update(programmeId: string, month: CalendarMonth, next: (current: Bill) => Bill) {
    for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
      const item = await this.read(programmeId, month);
      if (!item) throw new BillNotFoundError(programmeId, month);
      const written = await this.write(item, next);
      if (written) return written;
    }
    throw new BillUpdateConflictError(`${programmeId}#${month}`);
  }

  /** One Query on the sparse `open` index (keys only), then the bills themselves, read consistently. */
  async openDueBefore(day: CalendarDate) {
    const keys = await queryAll(this.db, {
      TableName: this.tables.bills,
      IndexName: BILL_INDEXES.open,
      // `<due>#<id>` < `<day>`: due before the day; a bill due on the day itself is still on time.
      KeyConditionExpression: 'openBills = :open AND dueSort < :day',
      ExpressionAttributeValues: { ':open': OPEN_BILLS, ':day': day },
    });
    const items = await batchGetAll(
      this.db,
      this.tables.bills,
      keys.map((k) => ({ programmeId: String(k.programmeId), month: String(k.month) })),
      { consistent: true },
    );
    // The index lags the table: a bill paid a moment ago may still be listed.
    return items.map(fromItem).filter((b) => OPEN.includes(b.status) && b.due.date < day);
  }

  private async read(programmeId: string, month: CalendarMonth) {
    const { Item } = await withTransientRetries(() =>
      this.db.send(new GetCommand({ TableName: this.tables.bills, Key: { programmeId, month }, ConsistentRead: true })),
    );
    return Item;
  }

  /** `next` of what was read, conditional on its version; undefined when someone wrote in between. */
  private async write(item: Item, next: (current: Bill) => Bill): Promise<Bill | undefined> {
    const current = fromItem(item);
    const version = Number(item.version ?? 0);
    const draft = structuredClone(current);
    const proposed = next(draft);
    if (proposed === draft) return current;
    const changed = Bill.parse(proposed);
    if (changed.id !== current.id) throw new Error(`A bill update may not change which bill it is (${current.id})`);
    const known = new Set(current.payments.map((p) => p.bankReference));
    const newPayments = changed.payments.filter((p) => !known.has(p.bankReference));
    const events: AuditWrite[] = [
      ...newPayments.map((p) => ({
        event: {
          entity: billEntity(changed.id),
          action: 'BILL_PAYMENT_RECORDED',
          actor: p.recordedBy,
          at: p.recordedAt,
          details: { bankReference: p.bankReference, amount: p.amount, paidOn: p.paidOn, proofKey: p.proofKey },
        },
        // A bank reference is recorded once on a bill.
        once: `payment#${p.bankReference}`,
      })),
      ...(changed.status !== current.status
        ? [
            {
              event: {
                entity: billEntity(changed.id),
                action: 'BILL_STATUS_CHANGED',
                // The payment that moved it, or the daily check.
                actor: newPayments.at(-1)?.recordedBy ?? 'system:billing',
                at: new Date().toISOString(),
                from: current.status,
                to: changed.status,
                details: { amount: changed.amount, paid: changed.paid, paidInFullOn: changed.paidInFullOn },
              },
            },
          ]
        : []),
    ];
    try {
      const put = {
        TableName: this.tables.bills,
        Item: toItem(changed, version + 1),
        ConditionExpression: 'version = :read',
        ExpressionAttributeValues: { ':read': version },
      };
      // Nothing to record beside it (a payment code set): a plain put, half a transaction's cost.
      if (events.length === 0) await withTransientRetries(() => this.db.send(new PutCommand(put)));
      else await this.audit.transactWithEvents([{ Put: put }], events);
      return changed;
    } catch (error) {
      if (readWriteFailure(error).kind === 'condition') return undefined;
      throw error;
    }
  }
}
