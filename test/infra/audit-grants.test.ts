import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA } from '../../infra/constructs/jaring-function';
import { resourcesOfType, synthesizeApp, tokensToText, type CfnResource, type CfnTemplate } from './synthesized-app';

/**
 * The audit trail's promise to auditors, read from the templates AWS gets: no role of the application
 * can change or delete an audit event. Every IAM policy of both stacks (a function's, a state
 * machine's, a custom resource's) is read; on the audit table and its indexes only PutItem and reads
 * are allowed, and no statement on `*` allows a DynamoDB write at all.
 */
const app = synthesizeApp({ bundling: false });
afterAll(app.cleanUp);

const auditId = app.stateful.getLogicalId(app.stateful.audit.node.defaultChild as CfnElement);
const templates: [string, CfnTemplate][] = [
  ['stateful', app.templates.stateful],
  ['stateless', app.templates.stateless],
];

const READS = new Set([
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
]);
const ALLOWED = new Set([...READS, 'dynamodb:PutItem']);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type Grant = { template: string; policy: string; roles: string[]; action: string; resource: string };
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** The policy documents of a resource that carries any: policies, managed policies, roles' inline ones. */
function documentsOf(resource: CfnResource): { Statement: Statement[] }[] {
  const p = resource.Properties ?? {};
  if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') return [p.PolicyDocument];
  if (resource.Type === 'AWS::IAM::Role') return (p.Policies ?? []).map((x: any) => x.PolicyDocument);
  return [];
}

/** Every Allow of every policy, one action on one resource each, the resource in readable form. */
const grants: Grant[] = templates.flatMap(([name, template]) =>
  Object.entries(template.Resources).flatMap(([id, resource]) => {
    const roles = asList<unknown>(
      resource.Properties?.Roles ?? (resource.Type === 'AWS::IAM::Role' ? [{ Ref: id }] : []),
    ).map((r) => (r as { Ref?: string }).Ref ?? tokensToText(r));
    return documentsOf(resource).flatMap((doc) =>
      asList(doc.Statement)
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) =>
          asList(s.Action).flatMap((action) =>
            asList(s.Resource).map((r) => ({ template: name, policy: id, roles, action, resource: tokensToText(r) })),
          ),
        ),
    );
  }),
);

/**
 * The audit table, in either stack's words: its ARN in its own stack, an import of its export in the
 * other (export names carry the logical id), alone or followed by `/index/...`, or any table (`*`).
 */
const namesAudit = (resource: string) => resource.includes(auditId);
const coversAnyTable = (resource: string) => resource === '*' || /:table\/\*$/.test(resource);
const onAudit = grants.filter((g) => namesAudit(g.resource));

describe('the audit trail’s grants', () => {
  it('are found where the functions’ policies are (the test reads the grants it claims to check)', () => {
    expect(onAudit.filter((g) => g.action === 'dynamodb:PutItem').length).toBeGreaterThan(5);
    expect(onAudit.some((g) => g.resource.includes('/index/'))).toBe(true);
  });

  it('allow PutItem and reads on the audit table and its indexes, nothing else: no update, delete or batch write', () => {
    const forbidden = onAudit.filter((g) => !ALLOWED.has(g.action));
    expect(forbidden.map((g) => `${g.template}/${g.policy}: ${g.action} on ${g.resource}`)).toEqual([]);
    for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'])
      expect(onAudit.map((g) => g.action)).not.toContain(action);
  });

  it('give no role a DynamoDB write on every table, which would reach the audit table too', () => {
    const wide = grants.filter(
      (g) =>
        coversAnyTable(g.resource) &&
        /^dynamodb:/.test(g.action) &&
        !READS.has(g.action) &&
        g.action !== 'dynamodb:ListTables',
    );
    expect(wide.map((g) => `${g.template}/${g.policy}: ${g.action} on ${g.resource}`)).toEqual([]);
    expect(grants.filter((g) => g.action === '*' || g.action === 'dynamodb:*').map((g) => g.policy)).toEqual([]);
  });

  it('let every function that appends to the trail read its chain’s end first (a Query on the table)', () => {
    const functions = resourcesOfType(app.templates.stateless, 'AWS::Lambda::Function');
    const appenders = functions.flatMap(([id, fn]) => {
      const role = (fn.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const actions = onAudit
        .filter((g) => g.roles.includes(role) && !g.resource.includes('/index/'))
        .map((g) => g.action);
      return actions.includes('dynamodb:PutItem')
        ? [{ entry: String(fn.Metadata?.[ENTRY_METADATA] ?? id), actions }]
        : [];
    });
    expect(appenders.length).toBeGreaterThan(5);
    for (const { entry, actions } of appenders) expect(actions, entry).toContain('dynamodb:Query');
  });
});
