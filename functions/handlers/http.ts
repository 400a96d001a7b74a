import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj, type Request } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { NotSignedInError, principalFromClaims, type Principal } from '../core/access/principal';
import { messagePage } from '../pages/html';
import { loggableError, logger, metrics, tracer } from '../wiring/observability';

/** API Gateway HTTP API (payload 2.0) helpers shared by the API handlers. */
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

// What an answer must not be kept for; the security headers (nosniff and the rest) come from the chain.
const SECURITY_HEADERS = { 'cache-control': 'no-store' };

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

export const redirect = (location: string): HttpResult => ({
  statusCode: 302,
  headers: { location, ...SECURITY_HEADERS },
  body: '',
});

/**
 * The signed-in user, from the claims API Gateway's JWT authorizer verified (the local API verifies
 * the same way and hands them over in the same shape). No claims on a route that needs them is a
 * configuration error; answered 401 all the same, never as anonymous access.
 */
export function principalOf(event: HttpEvent): Principal {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer
    ?.jwt?.claims;
  try {
    return principalFromClaims(claims);
  } catch (error) {
    if (error instanceof NotSignedInError)
      throw new HttpError(401, 'NOT_SIGNED_IN', 'Silakan masuk (sign in) terlebih dahulu.');
    throw error;
  }
}

/** Where the request came from, for the audit trail of who opened personal data. */
export const requestOrigin = (event: HttpEvent) => ({
  sourceIp: event.requestContext.http.sourceIp,
  userAgent: event.requestContext.http.userAgent?.slice(0, 200),
});

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

/**
 * The fields a request sent: a form (the approval page posts one) or JSON (scripts and the console),
 * parsed by the chain's body parsers; any other body carries no fields.
 */
export function bodyFields(event: HttpEvent): Record<string, unknown> {
  const body: unknown = event.body;
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/** The body's fields over the query's: a script may post to the mailed link as it is (code in the query). */
export function readFields(event: HttpEvent): Record<string, string> {
  return { ...(event.queryStringParameters ?? {}), ...bodyFields(event) } as Record<string, string>;
}

export const wantsHtml = (event: HttpEvent) => (event.headers.accept ?? '').includes('text/html');

/**
 * An API handler as a middy chain: Powertools (log lines with the Lambda context and the proposal in
 * the path, metrics, tracing), the @middy/http-* body parsers and security headers, and the mapping
 * of errors to Indonesian answers below.
 */
export function httpHandler(route: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return middy<HttpEvent, HttpResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics))
    .use(lowerCaseHeaders)
    .use(
      httpSecurityHeaders({
        // Each page sets its own policy (html() here, the console's in functions/pages): the default
        // one forbids the inline styles, the console's script and the form posts the pages need.
        contentSecurityPolicy: false,
        // The pages load nothing from another origin, so there is nothing to isolate them from, and
        // the console's presigned uploads go to the bucket's origin, which sends no such header.
        crossOriginEmbedderPolicy: false,
        // Deprecated, and browsers that still read it are better off without it.
        xssProtection: false,
      }),
    )
    .use(errorAnswers)
    .use(whenBodySent(httpJsonBodyParser({ disableContentTypeError: true })))
    .use(whenBodySent(httpUrlencodeBodyParser({ disableContentTypeError: true })))
    .handler(async (event, context) => {
      const proposalId = event.pathParameters?.id;
      if (proposalId) logger.appendKeys({ proposalId });
      return route(event, context);
    });
}

/**
 * Errors as answers a person can act on. Not @middy/http-error-handler: it answers with the error's
 * message as text (or JSON) only, where Jaring answers a browser with an Indonesian page and a script
 * with JSON carrying a code, and it logs the whole error, whose stack or cause may quote a row.
 */
const errorAnswers: MiddlewareObj<HttpEvent, HttpResult> = {
  onError: (request) => {
    const { error, event } = request;
    if (error instanceof HttpError) {
      request.response = wantsHtml(event)
        ? html(error.statusCode, messagePage(error.message))
        : json(error.statusCode, { error: error.code, message: error.message });
      return;
    }
    if (error?.name === 'ZodError' || error instanceof SyntaxError || isMalformedBody(error)) {
      // The operator reads this: a plain Indonesian sentence, not the validator's English.
      const message = 'Permintaan tidak sesuai format. Periksa isian formulir lalu coba lagi.';
      request.response = wantsHtml(event)
        ? html(400, messagePage(message))
        : json(400, { error: 'BAD_REQUEST', message, fields: fieldsOf(error) });
      return;
    }
    // The error's name and message only: a stack or cause may quote a row.
    logger.error('Unhandled API error', { error: loggableError(error) });
    request.response = json(500, { error: 'INTERNAL', message: 'Terjadi gangguan sistem. Silakan coba lagi.' });
  },
};

/**
 * A request without a body has no fields, whatever its content type says (scripts send a GET with
 * the JSON header); the JSON parser would refuse it as malformed.
 */
// Typed loosely: the urlencode parser's typings name REST API events only, though it reads just the
// headers, body and isBase64Encoded that HTTP API events have as well.
type BodyParser = { before?: (request: Request<never>) => unknown };
const whenBodySent = (parser: BodyParser): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: async (request) => {
    if (request.event.body) await parser.before?.(request as unknown as Request<never>);
  },
});

/** A body its parser could not read (the parsers pass other content types through untouched). */
const isMalformedBody = (error: unknown) => {
  const source = (error as { cause?: { package?: unknown } } | null)?.cause?.package;
  return typeof source === 'string' && source.startsWith('@middy/http-');
};

/**
 * One spelling per header: the security headers come capitalised, Jaring's own in lower case, and a
 * name in two spellings would go out twice. A header without a value is left out (the security
 * headers middleware sets empty reporting headers when no endpoint is configured, and Server unset).
 */
const lowerCaseHeaders: MiddlewareObj<HttpEvent, HttpResult> = {
  after: (request) => lowerCase(request),
  onError: (request) => lowerCase(request),
};

function lowerCase(request: Request<HttpEvent, HttpResult>) {
  const response = request.response;
  if (!response?.headers) return;
  response.headers = Object.fromEntries(
    Object.entries(response.headers)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/** Which fields a request got wrong, by name only (the values may be personal data). */
function fieldsOf(error: unknown): string[] | undefined {
  const issues = (error as { issues?: { path: PropertyKey[] }[] }).issues;
  return issues?.map((i) => i.path.map(String).join('.')).filter(Boolean);
}
