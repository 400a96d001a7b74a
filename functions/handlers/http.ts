import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

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
      if (error instanceof HttpError) return json(error.statusCode, { error: error.code, message: error.message });
      if ((error as Error).name === 'ZodError' || error instanceof SyntaxError) {
        return json(400, { error: 'BAD_REQUEST', message: 'Permintaan tidak sesuai format.', details: String((error as Error).message).slice(0, 500) });
      }
      console.error('Unhandled API error', error);
      return json(500, { error: 'INTERNAL', message: 'Terjadi gangguan sistem. Silakan coba lagi.' });
    }
  });
}
