import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpBpjsGateway } from '../../../functions/adapters/http-bpjs-gateway';
import type { PaymentCodeRequest } from '../../../functions/core/bpjs/payment-contract';
import { BpjsUnavailableError } from '../../../functions/ports/bpjs';
import { startBpjsSandbox } from '../../../infra/local/bpjs-sandbox';

const request = (month: string): PaymentCodeRequest => ({
  billReference: `kapuas-2026-apbd#${month}`,
  programmeId: 'kapuas-2026-apbd',
  month,
  amount: 84_000,
  dueDate: `${month}-15`,
  participants: 5,
});

describe('payment codes: the BPJS adapter against the sandbox and its bank', () => {
  let sandbox: Awaited<ReturnType<typeof startBpjsSandbox>>;
  let bpjs: HttpBpjsGateway;
  const post = (path: string, body: unknown) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    sandbox = await startBpjsSandbox({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'bpjs-sandbox-')),
      log: () => undefined,
    });
    bpjs = new HttpBpjsGateway(sandbox.url, { timeoutMs: 1_000 });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => post('/_sandbox/faults', {}));

  it('issues one code per bill however often it is asked', async () => {
    const first = await bpjs.requestPaymentCode(request('2026-01'));
    const again = await bpjs.requestPaymentCode(request('2026-01'));
    const other = await bpjs.requestPaymentCode(request('2026-02'));
    expect(first.paymentCode).toMatch(/^8890\d{12}$/);
    expect(again).toEqual(first);
    expect(other.paymentCode).not.toBe(first.paymentCode);
  });

  it('reports what the bank paid to a code: partly, then the rest; an unknown code is undefined', async () => {
    const { paymentCode } = await bpjs.requestPaymentCode(request('2026-03'));
    expect((await bpjs.getPaymentStatus(paymentCode))!.payments).toEqual([]);
    expect((await post('/_sandbox/payments', { paymentCode, amount: 50_000, paidOn: '2026-03-10' })).status).toBe(201);
    // Without an amount the bank pays what is still owed.
    expect((await post('/_sandbox/payments', { paymentCode, paidOn: '2026-03-12', reference: 'TRF-2' })).status).toBe(
      201,
    );
    const status = await bpjs.getPaymentStatus(paymentCode);
    expect(status!.payments.map((p) => [p.amount, p.paidOn])).toEqual([
      [50_000, '2026-03-10'],
      [34_000, '2026-03-12'],
    ]);
    expect((await post('/_sandbox/payments', { paymentCode, paidOn: '2026-03-13' })).status).toBe(400);
    expect((await post('/_sandbox/payments', { paymentCode: '999' })).status).toBe(404);
    expect(await bpjs.getPaymentStatus('8890999999999999')).toBeUndefined();
  });

  it("applies the sandbox's faults to payment codes as to registrations", async () => {
    await post('/_sandbox/faults', { outage: 1 });
    await expect(bpjs.requestPaymentCode(request('2026-04'))).rejects.toBeInstanceOf(BpjsUnavailableError);
    expect((await bpjs.requestPaymentCode(request('2026-04'))).paymentCode).toMatch(/^8890/);
  });
});
