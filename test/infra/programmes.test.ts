import type { CfnElement } from 'aws-cdk-lib';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA, PROJECT_ROOT } from '../../infra/constructs/jaring-function';
import { resourcesOfType, synthesizeApp, tokensToText, type CfnResource } from './synthesized-app';

/**
 * Programmes as data (issue 13), read from the templates AWS gets: every version is kept as written
 * (no role may update or delete an item of the programmes table), only the regency's programmes API
 * and the seed write to it, every function that judges by programmes can read it, and the seed runs
 * at deployment as a custom resource of the seed function, again whenever the seed file changes.
 */
const app = synthesizeApp({ bundling: false });
afterAll(app.cleanUp);

const programmesId = app.stateful.getLogicalId(app.stateful.programmes.node.defaultChild as CfnElement);
const stateless = app.templates.stateless;
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Every Allow on the programmes table (or its indexes), by the role it is attached to. */
const grants = resourcesOfType(stateless, 'AWS::IAM::Policy').flatMap(([, policy]) => {
  const roles = asList<{ Ref: string }>(policy.Properties!.Roles).map((r) => r.Ref);
  return asList<{ Effect: string; Action: string | string[]; Resource: unknown }>(
    policy.Properties!.PolicyDocument.Statement,
  )
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) =>
      asList(s.Action).flatMap((action) =>
        asList(s.Resource)
          .map(tokensToText)
          .filter((resource) => resource.includes(programmesId))
          .flatMap(() => roles.map((role) => ({ role, action }))),
      ),
    );
});

const functions = resourcesOfType(stateless, 'AWS::Lambda::Function').map(([id, fn]) => ({
  id,
  entry: String(fn.Metadata?.[ENTRY_METADATA]),
  role: (fn.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
  environment: fn.Properties!.Environment?.Variables as Record<string, unknown>,
}));
const actionsOf = (entry: string) => {
  const fn = functions.find((f) => f.entry === entry)!;
  return new Set(grants.filter((g) => g.role === fn.role).map((g) => g.action));
};

describe('the programmes table', () => {
  it('keeps every version: no role may update or delete a programme item', () => {
    expect(grants.length).toBeGreaterThan(10);
    for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'])
      expect(grants.map((g) => g.action)).not.toContain(action);
  });

  it('is written (new versions, PutItem) by the programmes API and the seed alone', () => {
    const writers = functions.filter((f) => actionsOf(f.entry).has('dynamodb:PutItem')).map((f) => f.entry);
    expect(writers.sort()).toEqual(['functions/handlers/api-programmes.ts', 'functions/handlers/programmes-seed.ts']);
  });

  it('is read by every function but sign-in, each with the setting that names it', () => {
    for (const f of functions) {
      if (f.entry === 'functions/handlers/api-session.ts') {
        expect(f.environment.PROGRAMMES_TABLE).toBeUndefined();
        continue;
      }
      expect(f.environment.PROGRAMMES_TABLE, f.entry).toBeDefined();
      expect(actionsOf(f.entry), f.entry).toContain('dynamodb:Scan');
      expect(actionsOf(f.entry), f.entry).toContain('dynamodb:Query');
    }
  });
});

describe('the programme seed at deployment', () => {
  const seeds = Object.entries(stateless.Resources).filter(([, r]) => r.Type === 'Custom::ProgrammeSeed') as [
    string,
    CfnResource,
  ][];

  it('is one custom resource served by the seed function, carrying the seed file hash', () => {
    expect(seeds).toHaveLength(1);
    const [, seed] = seeds[0]!;
    const seedFn = functions.find((f) => f.entry === 'functions/handlers/programmes-seed.ts')!;
    expect(tokensToText(seed.Properties!.ServiceToken)).toBe(`\${${seedFn.id}.Arn}`);
    const file = readFileSync(resolve(PROJECT_ROOT, 'functions/core/programmes/seed/programmes.json'));
    expect(seed.Properties!.SeedHash).toBe(createHash('sha256').update(file).digest('hex'));
  });
});
