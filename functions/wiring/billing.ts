import type { Context } from 'aws-lambda';
import { HttpBpjsGateway } from '../adapters/http-bpjs-gateway';
import { BpjsCaller, GaveUpError, OutOfTimeError, systemClock } from '../core/bpjs/bpjs-caller';
import type { Bill } from '../core/contributions/bill';
import type { BillRecipients } from '../core/contributions/billing-mails';
import { contributionTermsFor } from '../core/contributions/terms';
import type { BilledProgramme } from '../core/contributions/use-cases/billing-run';
import type { Programme } from '../core/programmes/programme';
import { programmeJudgedBy, type FindProgramme } from '../core/proposals/proposal';
import { BpjsUnavailableError, type BpjsLimits } from '../ports/bpjs';
import { setting } from './settings';

/**
 * Every programme of the catalogue the handler read for this invocation (handlers/programme-lookup.ts),
 * with its contribution terms.
 */
export const billedProgrammes = (allProgrammes: () => readonly Programme[]) => (): readonly BilledProgramme[] =>
  allProgrammes().map((programme) => ({ programme, terms: contributionTermsFor(programme) }));

/**
 * Who hears of a programme's bills: finance (FINANCE_EMAIL), and Dinas Sosial as the approver of the
 * programme version the bill was issued under (the current version for a bill from before versions)
 * and the team's address (OPS_EMAIL). The programme-wide overdue notice names every village,
 * so no single operator gets it: the team's address stands in, and each village's operator gets a
 * notice of their own village from the due-date check (notify-village-operators.ts).
 */
export const billRecipients = () => {
  const finance = setting('FINANCE_EMAIL');
  const ops = setting('OPS_EMAIL');
  // The settings are read when the handler is built; the programmes, on each invocation.
  return (findProgramme: FindProgramme) =>
    (bill: Pick<Bill, 'programmeId' | 'programmeVersion'>): BillRecipients => {
      const approver = programmeJudgedBy(findProgramme, bill)?.approverEmail;
      return { finance, dinasSosial: approver ? [approver, ops] : [ops], operators: [ops] };
    };
};

export const bpjsPayments = () => new HttpBpjsGateway(setting('BPJS_URL'));

/**
 * BPJS calls paced and retried as enrollment's are (bpjs-caller.ts), up to the Lambda's deadline.
 * When it gives up, the workflow's own slower retry takes over: it matches BpjsUnavailableError.
 */
export function bpjsCall(limits: BpjsLimits, deadline: number) {
  const caller = new BpjsCaller(limits, systemClock, { deadline, reserveMs: 5_000 });
  return async <T>(send: () => Promise<T>): Promise<T> => {
    try {
      return await caller.call(send);
    } catch (error) {
      if (error instanceof GaveUpError) throw error.last;
      if (error instanceof OutOfTimeError) throw new BpjsUnavailableError('Waktu habis sebelum BPJS menjawab.');
      throw error;
    }
  };
}

/**
 * Kept back from the Lambda's end before another chunk of a bill's participants is started: a chunk
 * of 1,000 takes about 15 s on DynamoDB Local (well under a second on DynamoDB), and what is done must
 * be answered before the end, or the step's run is lost and retried from its start.
 */
const CHUNK_RESERVE_MS = 120_000;

/** For the billing steps (bill-steps.ts): true when the invocation has too little time for another chunk. */
export const outOfTimeIn = (context: Pick<Context, 'getRemainingTimeInMillis'>) => () =>
  context.getRemainingTimeInMillis() < CHUNK_RESERVE_MS;
