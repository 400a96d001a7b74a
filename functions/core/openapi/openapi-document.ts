import * as z from 'zod';
import { READ_API, type ReadRoute } from './read-api';

/**
 * The OpenAPI 3.1 document of the read API, generated from the zod schemas the handlers parse their
 * queries with and the answers are held to (read-api.ts), by zod's own `z.toJSONSchema`: OpenAPI 3.1
 * schemas are JSON Schema 2020-12, zod's native target, so nothing is lost in between. Queries are
 * described as they are read (`io: 'input'`: defaults optional), answers as they are sent.
 */

type JsonSchema = Record<string, unknown>;

/** What every refusal answers: a code for scripts and an Indonesian message for people. */
const ErrorAnswer = z.object({
  error: z.string(),
  message: z.string(),
  fields: z.array(z.string()).optional().describe('Which fields a bad request got wrong, by name'),
});

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

const json = (description: string, schema: JsonSchema) => ({
  description,
  content: { 'application/json': { schema } },
});

function parameters(path: string, route: ReadRoute) {
  const inPath = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => ({
    name: m[1]!,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const exports = route.exports
    ? [{ name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['csv', 'xlsx'] } }]
    : [];
  if (!route.query) return [...inPath, ...exports];
  type ObjectSchema = { properties?: Record<string, JsonSchema>; required?: string[] };
  const read = schemaOf(route.query, 'input') as ObjectSchema;
  // A field cleaned before it is checked (a blank one read as absent) has no input schema of its own:
  // what it must be once cleaned describes it.
  const checked = schemaOf(route.query, 'output') as ObjectSchema;
  const inQuery = Object.entries(read.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: read.required?.includes(name) ?? false,
    schema: Object.keys(schema).length ? schema : (checked.properties?.[name] ?? schema),
  }));
  return [...inPath, ...inQuery, ...exports];
}

function operation(path: string, route: ReadRoute) {
  const refusals = {
    '400': json('The query is not as described', { $ref: '#/components/schemas/Error' }),
    ...(route.public
      ? {}
      : {
          '401': json('No valid token', { $ref: '#/components/schemas/Error' }),
          '403': json('The role may not do this there', { $ref: '#/components/schemas/Error' }),
          '404': json('Not found, or not the user’s to know of', { $ref: '#/components/schemas/Error' }),
        }),
  };
  return {
    summary: route.summary,
    ...(route.description && { description: route.description }),
    operationId: `get${path.replace(/[{}+]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c?: string) => (c ?? '').toUpperCase())}`,
    parameters: parameters(path, route),
    ...(route.public ? { security: [] } : {}),
    responses: {
      '200': {
        ...json('OK', schemaOf(route.answer, 'output')),
        ...(route.exports && {
          content: {
            'application/json': { schema: schemaOf(route.answer, 'output') },
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: { type: 'string', contentMediaType: 'application/octet-stream' },
            },
          },
        }),
      },
      ...refusals,
    },
  };
}

/** The whole document; the same on every call (no clock, no data), so it may be built once per process. */
export function openApiDocument(routes: Record<string, ReadRoute> = READ_API) {
  const paths: Record<string, { get: ReturnType<typeof operation> }> = {};
  for (const [key, route] of Object.entries(routes)) {
    const path = key.replace(/^GET /, '');
    paths[path] = { get: operation(path, route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jaring read API',
      version: '1',
      description:
        "Jaring's read API: programmes, proposals, participants, bills, claims and the dashboard's figures. " +
        'Sign in at POST /session and send the ID token as `Authorization: Bearer <token>`. ' +
        'What each role sees of each route is decided by the access policy (README, "Sign in, and who may do what").',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ cognitoIdToken: [] }],
    paths,
    components: {
      securitySchemes: {
        cognitoIdToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The Cognito ID token POST /session answers with.',
        },
      },
      schemas: { Error: schemaOf(ErrorAnswer, 'output') },
    },
  };
}
