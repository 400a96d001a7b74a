import { describe, expect, it } from 'vitest';
import { DashboardFigures } from '../../../functions/core/dashboard/dashboard-figures';
import { openApiDocument } from '../../../functions/core/openapi/openapi-document';
import { NOT_JSON, READ_API } from '../../../functions/core/openapi/read-api';
import { API_ROUTES } from '../../../infra/stacks/stateless-stack';

const routes = Object.values(API_ROUTES).flatMap((r) => [
  ...r.public.map(([method, path]) => ({ key: `${method} ${path}`, isPublic: true })),
  ...r.signedIn.map(([method, path]) => ({ key: `${method} ${path}`, isPublic: false })),
]);
const gets = routes.filter((r) => r.key.startsWith('GET '));
const documented = Object.keys(READ_API);
const doc = openApiDocument();

type Json = Record<string, unknown>;
/** Every `$ref` anywhere in the document. */
const refsIn = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(refsIn)
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsIn(v)))
      : [];

describe('the OpenAPI document covers the read API', () => {
  it('documents every GET route that answers JSON, and lists every other GET route with what it answers', () => {
    for (const { key } of gets) {
      const placed = [documented.includes(key), key in NOT_JSON].filter(Boolean).length;
      const where = 'one line in READ_API (JSON) or NOT_JSON (anything else), functions/core/openapi/read-api.ts';
      expect({ route: key, placed }, where).toEqual({ route: key, placed: 1 });
    }
  });

  it('describes only real routes, public exactly where the API asks for no token', () => {
    for (const key of [...documented, ...Object.keys(NOT_JSON)]) expect(gets.map((r) => r.key)).toContain(key);
    for (const [key, route] of Object.entries(READ_API)) {
      const real = gets.find((r) => r.key === key)!;
      expect({ key, isPublic: 'public' in route }).toEqual({ key, isPublic: real.isPublic });
      const operation = doc.paths[key.slice(4)]!.get as Json;
      if (real.isPublic) expect(operation.security).toEqual([]);
      else expect(operation.security).toBeUndefined(); // the document's default: the bearer token
    }
    expect(Object.keys(doc.paths).sort()).toEqual(documented.map((k) => k.slice(4)).sort());
  });
});

describe('the OpenAPI document is well formed', () => {
  it('is OpenAPI 3.1 with a bearer scheme that every signed-in operation falls under', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.security).toEqual([{ cognitoIdToken: [] }]);
    expect(doc.components.securitySchemes.cognitoIdToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    // It survives being sent: plain JSON, nothing lost.
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('declares each path parameter exactly once, and no parameter twice', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const params = item.get.parameters as { name: string; in: string; required: boolean }[];
      const templated = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);
      expect(params.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(templated);
      for (const p of params.filter((q) => q.in === 'path')) expect(p.required).toBe(true);
      const keys = params.map((p) => `${p.in}:${p.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(params.every((p) => ['path', 'query'].includes(p.in))).toBe(true);
    }
  });

  it('gives every operation a unique id, a JSON answer with a schema, and refs that resolve', () => {
    const ids = Object.values(doc.paths).map((item) => item.get.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [path, item] of Object.entries(doc.paths)) {
      const ok = item.get.responses['200'].content['application/json'].schema;
      // A schema proper: a type, or a choice of schemas (GET /proposals answers one of two shapes).
      const schema = ok as { type?: unknown; anyOf?: unknown };
      expect(typeof schema.type === 'string' || Array.isArray(schema.anyOf), path).toBe(true);
      expect(JSON.stringify(ok), path).not.toContain('"$schema"');
    }
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas).toHaveProperty(ref.split('/').pop()!);
    }
  });

  it('says which programme version a proposal, a bill or a claim was judged by, where it recorded one', () => {
    for (const path of ['/proposals/{id}', '/bills/{billId}', '/claims/{id}']) {
      const answer = doc.paths[path]!.get.responses['200'].content['application/json'].schema as {
        properties: Record<string, { type?: string }>;
        required?: string[];
      };
      expect(answer.properties.programmeVersion, path).toMatchObject({ type: 'integer' });
      // Records from before programmes had versions carry none.
      expect(answer.required ?? [], path).not.toContain('programmeVersion');
    }
  });

  it('describes queries as the handlers read them: required, optional and defaults', () => {
    const participants = doc.paths['/participants']!.get.parameters as { name: string; required: boolean }[];
    expect(participants.map((p) => [p.name, p.required])).toEqual([
      ['programmeId', true],
      ['villageCode', true],
      ['cursor', false],
      ['limit', false],
    ]);
    const figures = doc.paths['/dashboard/figures']!.get;
    expect(figures.responses['200'].content['application/json'].schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(Object.keys(DashboardFigures.shape)),
    });
  });
});
