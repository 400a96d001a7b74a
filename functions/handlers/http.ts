import { messagePage } from '../pages/html';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { maskNumbers } from '../core/privacy/mask';
import { NotSignedInError, principalFromClaims, type Principal } from '../core/access/principal';

/** API Gateway HTTP API (payload 2.0) helpers shared by the API handlers. */
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

export const json = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS },
  body: JSON.stringify(body),
});

export const html = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    ...SECURITY_HEADERS,
  },
  body,
});

export const redirect = (location: string): HttpResult => ({ statusCode: 302, headers: { location, ...SECURITY_HEADERS }, body: '' });

/**
 * The signed-in user, from the claims API Gateway's JWT authorizer verified (the local API verifies
 * the same way and hands them over in the same shape). No claims on a route that needs them is a
 * configuration error; answered 401 all the same, never as anonymous access.
 */
export function principalOf(event: HttpEvent): Principal {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  try {
    return principalFromClaims(claims);
  } catch (error) {
    if (error instanceof NotSignedInError) throw new HttpError(401, 'NOT_SIGNED_IN', 'Silakan masuk (sign in) terlebih dahulu.');
    throw error;
  }
}

/** Where the request came from, for the audit trail of who opened personal data. */
export const requestOrigin = (event: HttpEvent) => ({ sourceIp: event.requestContext.http.sourceIp, userAgent: event.requestContext.http.userAgent?.slice(0, 200) });

/** An error a caller can act on: status code and an Indonesian message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function readBody(event: HttpEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf-8') : event.body;
}

/** Form posts and JSON bodies both arrive here: the approval page posts a form, scripts send JSON. */
export function readFields(event: HttpEvent): Record<string, string> {
  const body = readBody(event);
  const type = event.headers['content-type'] ?? '';
  const fromBody = type.includes('application/json')
    ? body
      ? (JSON.parse(body) as Record<string, string>)
      : {}
    : Object.fromEntries(new URLSearchParams(body));
  // A script may post to the mailed link as it is (code in the query); the body wins where both say.
  return { ...(event.queryStringParameters ?? {}), ...fromBody } as Record<string, string>;
}

export const wantsHtml = (event: HttpEvent) => (event.headers.accept ?? '').includes('text/html');

export function httpHandler(route: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return middy<HttpEvent, HttpResult>().handler(async (event, context) => {
    try {
      return await route(event, context);
    } catch (error) {
      if (error instanceof HttpError) {
        return wantsHtml(event) ? html(error.statusCode, messagePage(error.message)) : json(error.statusCode, { error: error.code, message: error.message });
      }
      if ((error as Error).name === 'ZodError' || error instanceof SyntaxError) {
        // The operator reads this: a plain Indonesian sentence, not the validator's English.
        const message = 'Permintaan tidak sesuai format. Periksa isian formulir lalu coba lagi.';
        return wantsHtml(event) ? html(400, messagePage(message)) : json(400, { error: 'BAD_REQUEST', message, fields: fieldsOf(error) });
      }
      // The error's name and message only: a stack or cause may quote a row.
      console.error('Unhandled API error', (error as Error)?.name, maskNumbers(String((error as Error)?.message ?? error)));
      return json(500, { error: 'INTERNAL', message: 'Terjadi gangguan sistem. Silakan coba lagi.' });
    }
  });
}


/** Which fields a request got wrong, by name only (the values may be personal data). */
function fieldsOf(error: unknown): string[] | undefined {
  const issues = (error as { issues?: { path: PropertyKey[] }[] }).issues;
  return issues?.map((i) => i.path.map(String).join('.')).filter(Boolean);
}
