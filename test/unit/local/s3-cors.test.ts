import { describe, expect, it } from 'vitest';
import { corsHeaders, preflight, type CorsConfiguration } from '../../../infra/local/s3-cors';

const rules: CorsConfiguration = {
  CorsRules: [
    {
      AllowedOrigins: ['https://*.kapuaskab.go.id'],
      AllowedMethods: ['PUT'],
      AllowedHeaders: ['Content-Type', 'x-amz-meta-*'],
      ExposedHeaders: ['ETag'],
      MaxAge: 3000,
    },
    { AllowedOrigins: ['https://*.kapuaskab.go.id'], AllowedMethods: ['PUT', 'DELETE'], AllowedHeaders: ['*'] },
    { AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'] },
  ],
};
const desa = 'https://desa.kapuaskab.go.id';

describe('preflight', () => {
  it('the first rule that admits origin, method and every requested header answers', () => {
    expect(
      preflight(rules, {
        origin: desa,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,X-Amz-Meta-Operator-Email',
      }),
    ).toEqual({
      status: 200,
      headers: {
        'access-control-allow-origin': desa,
        'access-control-allow-methods': 'PUT',
        'access-control-allow-headers': 'content-type, x-amz-meta-operator-email',
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'ETag',
        'access-control-max-age': '3000',
        vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      },
    });
  });

  it('falls through to a later rule when an earlier one does not admit a header', () => {
    const answer = preflight(rules, {
      origin: desa,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'x-amz-acl',
    });
    expect(answer).toMatchObject({
      status: 200,
      headers: { 'access-control-allow-methods': 'PUT, DELETE', 'access-control-allow-headers': 'x-amz-acl' },
    });
    expect(answer).not.toHaveProperty('headers.access-control-max-age');
  });

  it('a wildcard matches within the origin only where the rule puts it', () => {
    expect(
      preflight(rules, { origin: 'https://kapuaskab.go.id', 'access-control-request-method': 'PUT' }),
    ).toMatchObject({ refusal: { status: 403 } });
    expect(
      preflight(rules, { origin: 'https://desa.kapuaskab.go.id.evil.example', 'access-control-request-method': 'PUT' }),
    ).toMatchObject({
      refusal: { status: 403, code: 'AccessForbidden' },
    });
    expect(
      preflight(rules, { origin: 'https://anyone.example', 'access-control-request-method': 'GET' }),
    ).toMatchObject({
      status: 200,
      headers: { 'access-control-allow-origin': '*' },
    });
  });

  it('a rule without AllowedHeaders admits no requested header', () => {
    expect(
      preflight(rules, {
        origin: 'https://anyone.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'range',
      }),
    ).toMatchObject({
      refusal: { status: 403 },
    });
  });

  it('no configuration: 403 CORS not enabled; no Origin or method: 400', () => {
    expect(preflight(undefined, { origin: desa, 'access-control-request-method': 'PUT' })).toMatchObject({
      refusal: { status: 403, message: 'CORSResponse: CORS is not enabled for this bucket.' },
    });
    expect(preflight(rules, { 'access-control-request-method': 'PUT' })).toMatchObject({
      refusal: { status: 400, code: 'BadRequest' },
    });
    expect(preflight(rules, { origin: desa })).toMatchObject({ refusal: { status: 400, code: 'BadRequest' } });
  });
});

describe('corsHeaders', () => {
  it('picks the rule by origin and method only, and adds nothing without an Origin or a rule', () => {
    expect(corsHeaders(rules, { origin: desa, 'x-amz-acl': 'private' }, 'PUT')).toMatchObject({
      'access-control-allow-origin': desa,
      'access-control-expose-headers': 'ETag',
    });
    expect(corsHeaders(rules, { origin: desa }, 'DELETE')).toMatchObject({
      'access-control-allow-methods': 'PUT, DELETE',
    });
    expect(corsHeaders(rules, { origin: 'https://anyone.example' }, 'PUT')).toEqual({});
    expect(corsHeaders(rules, {}, 'GET')).toEqual({});
    expect(corsHeaders(undefined, { origin: desa }, 'PUT')).toEqual({});
  });
});
