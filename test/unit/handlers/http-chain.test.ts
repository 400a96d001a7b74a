import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  bodyFields,
  html,
  HttpError,
  httpHandler,
  json,
  readFields,
  type HttpEvent,
} from '../../../functions/handlers/http';

/** An API Gateway HTTP API (payload 2.0) request, as much of it as the chain reads. */
const request = (headers: Record<string, string>, body?: string, query?: Record<string, string>): HttpEvent =>
  ({
    version: '2.0',
    routeKey: 'POST /approvals/{id}',
    rawPath: '/approvals/prp-1',
    rawQueryString: '',
    headers,
    queryStringParameters: query,
    pathParameters: { id: 'prp-1' },
    requestContext: { http: { method: 'POST', path: '/approvals/prp-1', sourceIp: '127.0.0.1', userAgent: 'test' } },
    body,
    isBase64Encoded: false,
  }) as unknown as HttpEvent;

const context = {
  functionName: 'ApiApprovalsFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-3:000000000000:function:ApiApprovalsFunction',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/ApiApprovalsFunction',
  logStreamName: 'local/req-1',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

/** A route that answers with what it was sent, as the handlers read it. */
const echo = httpHandler(async (event) => json(200, { fields: readFields(event), body: bodyFields(event) }));

afterEach(() => vi.restoreAllMocks());

describe('the API chain', () => {
  it('reads a form and JSON alike, the body over the query', async () => {
    const form = await echo(
      request({ 'content-type': 'application/x-www-form-urlencoded' }, 'code=abc&decision=APPROVED', { code: 'old' }),
      context,
    );
    expect(JSON.parse(form.body!).fields).toEqual({ code: 'abc', decision: 'APPROVED' });
    const sent = await echo(request({ 'content-type': 'application/json' }, '{"note":"uji"}'), context);
    expect(JSON.parse(sent.body!).fields).toEqual({ note: 'uji' });
    // A GET sent with the JSON header has no body, and nothing to refuse.
    const none = await echo(request({ 'content-type': 'application/json' }), context);
    expect(none.statusCode).toBe(200);
    // A content type the parsers do not read carries no fields (a cross-site text/plain post).
    const plain = await echo(request({ 'content-type': 'text/plain' }, 'code=abc'), context);
    expect(JSON.parse(plain.body!).body).toEqual({});
  });

  it('answers malformed JSON with the Indonesian 400, as a page for a browser', async () => {
    const script = await echo(request({ 'content-type': 'application/json' }, '{"note":'), context);
    expect(script.statusCode).toBe(400);
    expect(JSON.parse(script.body!)).toMatchObject({
      error: 'BAD_REQUEST',
      message: expect.stringContaining('tidak sesuai format'),
    });
    const browser = await echo(request({ 'content-type': 'application/json', accept: 'text/html' }, '{'), context);
    expect(browser.statusCode).toBe(400);
    expect(browser.headers!['content-type']).toContain('text/html');
    expect(browser.body).toContain('tidak sesuai format');
  });

  it('maps an HttpError to its status and code, and anything else to a 500 logged without quoted digits', async () => {
    const refused = await httpHandler(async () => {
      throw new HttpError(409, 'ALREADY_DECIDED', 'Usulan ini sudah diputuskan sebelumnya.');
    })(request({}), context);
    expect(refused.statusCode).toBe(409);
    expect(JSON.parse(refused.body!)).toEqual({
      error: 'ALREADY_DECIDED',
      message: 'Usulan ini sudah diputuskan sebelumnya.',
    });

    const written: string[] = [];
    // Errors go to stderr; anything on stdout would count too.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    }
    const broken = await httpHandler(async () => {
      throw new Error('row 7: NIK 6203012345678901 refused');
    })(request({}), context);
    expect(broken.statusCode).toBe(500);
    expect(JSON.parse(broken.body!).error).toBe('INTERNAL');
    const logged = written.join('');
    expect(logged).toContain('Unhandled API error');
    expect(logged).toContain('prp-1');
    expect(logged).not.toContain('6203012345678901');
  });

  it('adds the security headers once each, in lower case, and keeps the page its own policy', async () => {
    const page = await httpHandler(async () => html(200, '<p>ok</p>'))(request({ accept: 'text/html' }), context);
    const headers = page.headers!;
    expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    );
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['strict-transport-security']).toMatch(/^max-age=/);
    expect(headers['cache-control']).toBe('no-store');
    expect(Object.values(headers).every((value) => value !== '' && value !== undefined)).toBe(true);
    // Error answers get them too.
    const refused = await httpHandler(async () => {
      throw new HttpError(404, 'NOT_FOUND', 'Usulan tidak ditemukan.');
    })(request({}), context);
    expect(refused.headers!['x-content-type-options']).toBe('nosniff');
  });
});
