import type { IncomingHttpHeaders } from 'node:http';
import type { S3Refusal } from './s3-presigned';

/** A bucket's CORS rules in the template's shape (AWS::S3::Bucket Properties.CorsConfiguration). */
export type CorsRule = {
  AllowedMethods: string[];
  AllowedOrigins: string[];
  AllowedHeaders?: string[];
  ExposedHeaders?: string[];
  MaxAge?: number;
  Id?: string;
};
export type CorsConfiguration = { CorsRules: CorsRule[] };

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/**
 * Answers a CORS preflight (OPTIONS) as S3 does: the first rule whose origins, methods and
 * allowed headers all admit the request answers 200 with its headers; otherwise 403, or 400 when
 * the request lacks what a preflight must carry.
 */
export function preflight(
  config: CorsConfiguration | undefined,
  headers: IncomingHttpHeaders,
): { status: 200; headers: Record<string, string> } | { refusal: S3Refusal } {
  const origin = one(headers.origin);
  const method = one(headers['access-control-request-method']);
  if (!origin)
    return {
      refusal: { status: 400, code: 'BadRequest', message: 'Insufficient information. Origin request header needed.' },
    };
  if (!method)
    return { refusal: { status: 400, code: 'BadRequest', message: 'Invalid Access-Control-Request-Method: null' } };
  const forbidden = (message: string) => ({
    refusal: { status: 403, code: 'AccessForbidden', message, detail: { Method: method, ResourceType: 'OBJECT' } },
  });
  if (!config?.CorsRules.length) return forbidden('CORSResponse: CORS is not enabled for this bucket.');
  const requested = (one(headers['access-control-request-headers']) ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const rule = config.CorsRules.find(
    (r) =>
      allows(r.AllowedOrigins, origin) &&
      r.AllowedMethods.includes(method) &&
      requested.every((h) => (r.AllowedHeaders ?? []).some((pattern) => wildcard(pattern.toLowerCase()).test(h))),
  );
  if (!rule)
    return forbidden(
      "CORSResponse: This CORS request is not allowed. This is usually because the evaluation of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  const answer = ruleHeaders(rule, origin);
  if (requested.length) answer['access-control-allow-headers'] = requested.join(', ');
  return { status: 200, headers: answer };
}

/**
 * The CORS headers S3 adds to an actual (non-preflight) request from a browser: those of the first
 * rule that admits its origin and method (request headers are only checked at preflight); none
 * without an Origin or a matching rule.
 */
export function corsHeaders(
  config: CorsConfiguration | undefined,
  headers: IncomingHttpHeaders,
  method: string,
): Record<string, string> {
  const origin = one(headers.origin);
  if (!origin || !config) return {};
  const rule = config.CorsRules.find((r) => allows(r.AllowedOrigins, origin) && r.AllowedMethods.includes(method));
  return rule ? ruleHeaders(rule, origin) : {};
}

function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  // A rule open to every origin answers `*`, which browsers refuse with credentials, so S3 does not offer them.
  const anyOrigin = rule.AllowedOrigins.includes('*');
  const h: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.AllowedMethods.join(', '),
    vary: VARY,
  };
  if (!anyOrigin) h['access-control-allow-credentials'] = 'true';
  if (rule.ExposedHeaders?.length) h['access-control-expose-headers'] = rule.ExposedHeaders.join(', ');
  if (rule.MaxAge !== undefined) h['access-control-max-age'] = String(rule.MaxAge);
  return h;
}

const allows = (origins: string[], origin: string) => origins.some((pattern) => wildcard(pattern).test(origin));

/** S3 rule patterns: literal text with `*` standing for any run of characters. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
