import { JwtRsaVerifier } from 'aws-jwt-verify';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';
import type { LambdaRuntime } from './lambda-runtime';
import type { LocalResources } from './resources';

type Route = {
  method: string;
  path: string;
  pattern: RegExp;
  params: string[];
  functionArn: string;
  routeKey: string;
  authorizer?: JwtAuthorizer;
};

/** A JWT authorizer as the template declares it: where the token is, who must have issued it, for whom. */
type JwtAuthorizer = {
  identitySource: string[];
  issuer: string;
  audience: string[];
  jwksUri: string;
  verifier: ReturnType<typeof JwtRsaVerifier.create<{ issuer: string; audience: null; jwksUri: string }>>;
  keys?: Promise<void>;
};

/** Where the local stack publishes the signing keys of an issuer (AWS: the issuer's own JWKS). */
export type JwksLocator = (issuer: string) => string;

/**
 * API Gateway HTTP API on loopback: the routes and integrations in the template, each request
 * turned into the payload-2.0 event API Gateway sends, the handler's answer turned back into HTTP.
 */
export class LocalHttpApi {
  private readonly routes: Route[] = [];
  private server?: Server;

  constructor(
    resources: LocalResources,
    private readonly lambdas: LambdaRuntime,
    private readonly log: (line: string) => void,
    jwks: JwksLocator = () => {
      throw new Error('This API has JWT authorizers but the local stack runs no token issuer');
    },
  ) {
    const authorizers = new Map<string, JwtAuthorizer>();
    for (const { stack, logicalId, resource } of resources.resourcesOfType('AWS::ApiGatewayV2::Authorizer')) {
      const props = resources.resolve(stack, resource.Properties ?? {});
      if (props.AuthorizerType !== 'JWT') continue;
      const issuer = String(props.JwtConfiguration?.Issuer);
      const audience = (props.JwtConfiguration?.Audience ?? []) as string[];
      // The audience is checked below the way API Gateway does (aud, or client_id for access tokens).
      const jwksUri = jwks(issuer);
      const verifier = JwtRsaVerifier.create({ issuer, audience: null, jwksUri });
      authorizers.set(logicalId, {
        identitySource: props.IdentitySource ?? ['$request.header.Authorization'],
        issuer,
        audience,
        jwksUri,
        verifier,
      });
    }
    const integrations = new Map<string, string>();
    for (const { stack, logicalId, resource } of resources.resourcesOfType('AWS::ApiGatewayV2::Integration')) {
      integrations.set(logicalId, resources.resolve(stack, resource.Properties?.IntegrationUri));
    }
    for (const { stack, resource } of resources.resourcesOfType('AWS::ApiGatewayV2::Route')) {
      const routeKey = resources.resolve(stack, resource.Properties?.RouteKey) as string;
      const target = resource.Properties?.Target as { 'Fn::Join'?: [string, unknown[]] } | string;
      const integrationId = JSON.stringify(target).match(/"Ref":"([^"]+)"/)?.[1];
      const functionArn = integrationId ? integrations.get(integrationId) : undefined;
      if (!functionArn) continue;
      const [method, path = ''] = routeKey.split(' ');
      const params: string[] = [];
      const pattern = new RegExp(
        `^${path.replace(/\{([^}+]+)(\+?)\}/g, (_, name: string, greedy: string) => {
          params.push(name);
          return greedy ? '(.+)' : '([^/]+)';
        })}$`,
      );
      const authorizerId =
        resource.Properties?.AuthorizationType === 'JWT'
          ? JSON.stringify(resource.Properties?.AuthorizerId).match(/"Ref":"([^"]+)"/)?.[1]
          : undefined;
      const authorizer = authorizerId ? authorizers.get(authorizerId) : undefined;
      if (authorizerId && !authorizer)
        throw new Error(
          `Route ${routeKey} names authorizer ${authorizerId}, which the template does not declare as JWT`,
        );
      this.routes.push({ method: method!, path, pattern, params, functionArn, routeKey, authorizer });
    }
  }

  async listen(port: number): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req)
        .then(({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        })
        .catch((error: Error) => {
          this.log(`api error: ${error.message}`);
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'Internal Server Error' }));
        });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * A JWT authorizer's check: the token from the identity source (with or without "Bearer "), its
   * signature against the issuer's keys, issuer, expiry, and audience (`aud`, or `client_id`).
   * Claims come out as API Gateway hands them over: strings, arrays as "[a b]".
   */
  private async authorize(
    authorizer: JwtAuthorizer,
    headers: Record<string, string>,
    url: URL,
  ): Promise<Record<string, string> | undefined> {
    const source = authorizer.identitySource[0] ?? '$request.header.Authorization';
    const raw = source.startsWith('$request.header.')
      ? headers[source.slice('$request.header.'.length).toLowerCase()]
      : source.startsWith('$request.querystring.')
        ? (url.searchParams.get(source.slice('$request.querystring.'.length)) ?? undefined)
        : undefined;
    const token = raw?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return undefined;
    try {
      // aws-jwt-verify fetches keys over https only; the local issuer is plain http on loopback, so
      // its published keys are fetched here once and handed to the verifier.
      authorizer.keys ??= fetch(authorizer.jwksUri)
        .then((res) => res.json())
        .then((jwks) => authorizer.verifier.cacheJwks(jwks as never, authorizer.issuer));
      await authorizer.keys.catch((error: Error) => {
        authorizer.keys = undefined;
        throw error;
      });
      const payload = await authorizer.verifier.verify(token);
      const audiences = [payload.aud, payload.client_id].flat().filter((a): a is string => typeof a === 'string');
      if (authorizer.audience.length && !audiences.some((a) => authorizer.audience.includes(a))) return undefined;
      return Object.fromEntries(
        Object.entries(payload).map(([k, v]) => [
          k,
          Array.isArray(v)
            ? `[${v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')}]`
            : typeof v === 'object'
              ? JSON.stringify(v)
              : String(v),
        ]),
      );
    } catch (error) {
      this.log(`api: token refused: ${(error as Error).message}`);
      return undefined;
    }
  }

  async stop() {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer | string }> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    let match: RegExpMatchArray | null = null;
    const route = this.routes.find(
      (r) => (r.method === method || r.method === 'ANY') && (match = url.pathname.match(r.pattern)),
    );
    if (!route || !match)
      return {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Not Found' }),
      };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
    // API Gateway checks the token before the integration sees the request: no Lambda runs for a stranger.
    let claims: Record<string, string> | undefined;
    if (route.authorizer) {
      claims = await this.authorize(route.authorizer, headers, url);
      if (!claims) {
        req.resume();
        return {
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
          body: JSON.stringify({ message: 'Unauthorized' }),
        };
      }
    }
    let pathParameters: Record<string, string> | undefined;
    try {
      pathParameters = route.params.length
        ? Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(match![i + 1]!)]))
        : undefined;
    } catch {
      // A malformed %-escape never reaches an integration in AWS either.
      req.resume();
      return {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Bad Request' }),
      };
    }
    const body = await readBody(req);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
    const textual = /^(text\/|application\/(json|x-www-form-urlencoded|xml))/.test(headers['content-type'] ?? '');
    const now = new Date();
    const event = {
      version: '2.0',
      routeKey: route.routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      cookies: headers.cookie?.split(/;\s*/),
      headers,
      queryStringParameters: Object.keys(query).length ? query : undefined,
      pathParameters,
      requestContext: {
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? '127.0.0.1',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: route.routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      body: body.length ? (textual ? body.toString('utf-8') : body.toString('base64')) : undefined,
      isBase64Encoded: body.length > 0 && !textual,
    };
    const result = (await this.lambdas.invoke(route.functionArn, event)) as Record<string, any> | string | null;
    // Payload 2.0: an object with statusCode is a response; anything else is JSON with 200.
    if (!result || typeof result !== 'object' || !('statusCode' in result)) {
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
    }
    const out: Record<string, string | string[]> = { ...(result.headers ?? {}) };
    if (result.cookies?.length) out['set-cookie'] = result.cookies;
    const raw = result.body ?? '';
    return { status: result.statusCode, headers: out, body: result.isBase64Encoded ? Buffer.from(raw, 'base64') : raw };
  }
}
