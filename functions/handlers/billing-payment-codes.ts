import { requestPaymentCodes } from '../core/contributions/use-cases/request-payment-codes';
import { billStore } from '../wiring/bill-store';
import { bpjsCall, bpjsPayments } from '../wiring/billing';
import { once } from '../wiring/settings';
import { IssuedBillsInput } from './billing-inputs';
import { taskHandler } from './task-handler';

export const wiring = once(() => ({ bills: billStore(), bpjs: bpjsPayments() }));

/** A BPJS payment code (kode iuran) for each new bill; BPJS's outages go back to the workflow's retry. */
export const handler = taskHandler(IssuedBillsInput, (input, context) => {
  const { bills, bpjs } = wiring();
  const call = bpjsCall(bpjs.limits, Date.now() + context.getRemainingTimeInMillis());
  return requestPaymentCodes({ bills, bpjs, call }, input.bills);
});
