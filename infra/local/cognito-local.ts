import './quiet-sdk-v2';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AddCustomAttributesCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type SchemaAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { NotAuthorizedError } from 'cognito-local/lib/errors.js';
import { Router } from 'cognito-local/lib/server/Router.js';
import { createServer } from 'cognito-local/lib/server/server.js';
import { DefaultConfig } from 'cognito-local/lib/server/config.js';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService.js';
import { DateClock } from 'cognito-local/lib/services/clock.js';
import { CryptoService } from 'cognito-local/lib/services/crypto.js';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js';
import { LambdaService } from 'cognito-local/lib/services/lambda.js';
import { MessagesService } from 'cognito-local/lib/services/messages.js';
import { ConsoleMessageSender } from 'cognito-local/lib/services/messageDelivery/consoleMessageSender.js';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js';
import { otp } from 'cognito-local/lib/services/otp.js';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator.js';
import { TriggersService } from 'cognito-local/lib/services/triggers/index.js';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService.js';
import type { LocalResources } from './resources';

/**
 * Cognito user pools on loopback: cognito-local (users, groups, custom attributes, password sign-in,
 * RS256 ID tokens with a published JWKS), with its data under the stack's home. Tokens carry the
 * issuer AWS would give the pool (`https://cognito-idp.<region>.amazonaws.com/<pool id>`), so the
 * local API checks exactly the issuer the synthesized authorizer names; only the JWKS is fetched
 * from loopback, as every other endpoint is.
 */
export async function startCognitoLocal(options: { port: number; dataDir: string; region: string }) {
  mkdirSync(options.dataDir, { recursive: true });
  const logger = pino({ level: 'silent' });
  const ctx = { logger };
  const issuerDomain = `https://cognito-idp.${options.region}.amazonaws.com`;
  const config = {
    ...DefaultConfig,
    TokenConfig: { IssuerDomain: issuerDomain },
    ServerConfig: { port: options.port, hostname: '127.0.0.1', development: false, https: false },
  };
  const clock = new DateClock();
  const dataStores = new StormDBDataStoreFactory(options.dataDir);
  const cognito = await new CognitoServiceFactoryImpl(
    options.dataDir,
    dataStores,
    new UserPoolServiceFactoryImpl(clock, dataStores),
  ).create(ctx, {});
  // No Lambda triggers are configured; the service still wants a client it will never call.
  const triggers = new TriggersService(
    clock,
    cognito,
    new LambdaService({}, { invoke: () => Promise.reject(new Error('no triggers locally')) } as never),
    new CryptoService(config.KMSConfig),
  );
  const services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const server = (await createServer(
    withIssuedSessions(Router(services) as unknown as (target: string) => Route) as never,
    logger as never,
    config.ServerConfig,
    services,
  ).start()) as Server;
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    issuerDomain,
    /** Where the keys of a pool's tokens are published (AWS: `<issuer>/.well-known/jwks.json`). */
    jwksUri: (poolId: string) => `${endpoint}/${poolId}/.well-known/jwks.json`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Route = (ctx: unknown, request: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * cognito-local answers a challenge (NEW_PASSWORD_REQUIRED) without checking its Session, so
 * anyone could set any user's password. Cognito only accepts a session it issued for that user;
 * the local stack keeps that rule by remembering the sessions sign-ins hand out.
 */
function withIssuedSessions(router: (target: string) => Route) {
  const issued = new Map<string, string>();
  return (target: string): Route => {
    const route = router(target);
    if (target === 'InitiateAuth' || target === 'AdminInitiateAuth') {
      return async (ctx, request) => {
        const out = await route(ctx, request);
        const username = (request.AuthParameters as Record<string, string> | undefined)?.USERNAME;
        if (typeof out.Session === 'string' && username) issued.set(out.Session, username.toLowerCase());
        return out;
      };
    }
    if (target === 'RespondToAuthChallenge' || target === 'AdminRespondToAuthChallenge') {
      return async (ctx, request) => {
        const session = typeof request.Session === 'string' ? request.Session : '';
        const username = String(
          (request.ChallengeResponses as Record<string, string> | undefined)?.USERNAME ?? '',
        ).toLowerCase();
        if (issued.get(session) !== username) {
          throw new NotAuthorizedError();
        }
        issued.delete(session);
        return route(ctx, request);
      };
    }
    return route;
  };
}

/**
 * Creates the user pools, app clients and groups the templates declare (found again by name after
 * a restart, so users survive), and tells the resources their local ids, as CloudFormation would.
 */
export async function createUserPoolsFromTemplates(client: CognitoIdentityProviderClient, resources: LocalResources) {
  const pools = new Map<string, string>();
  const clients = new Map<string, { clientId: string; poolId: string }>();
  const existingPools = (await client.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? [];
  for (const { stack, logicalId, resource } of resources.resourcesOfType('AWS::Cognito::UserPool')) {
    const props = resources.resolve(stack, resource.Properties ?? {});
    const name = (props.UserPoolName as string | undefined) ?? logicalId;
    let id = existingPools.find((p) => p.Name === name)?.Id;
    if (!id) {
      const created = await client.send(
        new CreateUserPoolCommand({
          PoolName: name,
          Schema: props.Schema as SchemaAttributeType[] | undefined,
          UsernameAttributes: props.UsernameAttributes,
          AliasAttributes: props.AliasAttributes,
          UsernameConfiguration: props.UsernameConfiguration,
          Policies: props.Policies,
        }),
      );
      id = created.UserPool!.Id!;
    } else {
      // A pool kept from an earlier run gets the custom attributes the template has added since, as a
      // CloudFormation update adds them (an existing attribute cannot change, here or there).
      const had = (await client.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.SchemaAttributes ?? [];
      const added = ((props.Schema as SchemaAttributeType[] | undefined) ?? []).filter(
        (a) => !had.some((h) => h.Name === a.Name || h.Name === `custom:${a.Name}`),
      );
      if (added.length) await client.send(new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: added }));
    }
    pools.set(logicalId, id);
    resources.setRef(logicalId, id);
    resources.setAttribute(logicalId, 'ProviderName', `cognito-idp.${resources.region}.amazonaws.com/${id}`);
  }
  const poolOf = (stack: Parameters<LocalResources['resolve']>[0], ref: unknown) =>
    resources.resolve(stack, ref) as string;
  for (const { stack, logicalId, resource } of resources.resourcesOfType('AWS::Cognito::UserPoolClient')) {
    const props = resources.resolve(stack, resource.Properties ?? {});
    const poolId = poolOf(stack, resource.Properties?.UserPoolId);
    const name = (props.ClientName as string | undefined) ?? logicalId;
    const existing =
      (await client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }))).UserPoolClients ?? [];
    let clientId = existing.find((c) => c.ClientName === name)?.ClientId;
    if (!clientId) {
      const created = await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: name,
          ExplicitAuthFlows: props.ExplicitAuthFlows,
          IdTokenValidity: props.IdTokenValidity,
          AccessTokenValidity: props.AccessTokenValidity,
          RefreshTokenValidity: props.RefreshTokenValidity,
          TokenValidityUnits: props.TokenValidityUnits,
        }),
      );
      clientId = created.UserPoolClient!.ClientId!;
    }
    clients.set(logicalId, { clientId, poolId });
    resources.setRef(logicalId, clientId);
  }
  for (const { stack, resource } of resources.resourcesOfType('AWS::Cognito::UserPoolGroup')) {
    const props = resources.resolve(stack, resource.Properties ?? {});
    const poolId = props.UserPoolId as string;
    const groups = (await client.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups ?? [];
    if (!groups.some((g) => g.GroupName === props.GroupName)) {
      await client.send(
        new CreateGroupCommand({ UserPoolId: poolId, GroupName: props.GroupName, Description: props.Description }),
      );
    }
  }
  return { pools, clients };
}

export type DemoUser = {
  username: string;
  password: string;
  email: string;
  group: string;
  attributes: Record<string, string>;
};

/**
 * A user as an admin would create one (AdminCreateUser, then the group), with a permanent password
 * so the demo needs no first-sign-in change. Attributes are updated on every start, so the demo
 * users match the code that describes them.
 */
export async function ensureUser(client: CognitoIdentityProviderClient, poolId: string, user: DemoUser) {
  const attributes = Object.entries({ email: user.email, email_verified: 'true', ...user.attributes }).map(
    ([Name, Value]) => ({ Name, Value }),
  );
  const exists = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: user.username })).then(
    () => true,
    (error: Error) => {
      if (error.name === 'UserNotFoundException') return false;
      throw error;
    },
  );
  if (!exists) {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: user.username,
        UserAttributes: attributes,
        MessageAction: 'SUPPRESS',
      }),
    );
  } else {
    await client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: user.username, UserAttributes: attributes }),
    );
  }
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: user.username,
      Password: user.password,
      Permanent: true,
    }),
  );
  await client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: user.username, GroupName: user.group }),
  );
}

/** Signs a user in through the app client, as the sign-in page does; returns the ID token. */
export async function signIn(
  client: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  password: string,
): Promise<string> {
  const out = await client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  if (!out.AuthenticationResult?.IdToken)
    throw new Error(`Sign-in of ${username} did not return a token (${out.ChallengeName ?? 'no challenge'})`);
  return out.AuthenticationResult.IdToken;
}
