import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PROPOSALS_PREFIX } from '../../functions/core/proposals/upload-key';
import { bpjsResultsKey, reportKeys, workersKey } from '../../functions/core/proposals/work-keys';
import { ENTRY_METADATA, PROJECT_ROOT, RECOVERY_METADATA } from '../../infra/constructs/jaring-function';
import { matches } from '../../infra/local/event-router';
import { API_ROUTES } from '../../infra/stacks/stateless-stack';
import { resourceIn, resourcesOfType, synthesizeApp, tokensToText, type CfnResource } from './synthesized-app';

// The one infra test file that bundles: it proves every handler builds into a deployable asset.
const app = synthesizeApp({ bundling: true });
afterAll(app.cleanUp);

const template = app.templates.stateless;
const resource = (id: string) => resourceIn(template, id);
const props = (r: CfnResource) => r.Properties as Record<string, any>;
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Functions by their handler module, the name that says what each one is. */
const functions = new Map(
  resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => [id, fn.Metadata?.[ENTRY_METADATA] as string]),
);
const entryOf = (functionId: string) => functions.get(functionId) ?? `<not a Jaring function: ${functionId}>`;
const handler = (name: string) => `functions/handlers/${name}.ts`;

/** What each function's role may do, as [action, resource] pairs with the resource in readable form. */
const permissionsOf = (() => {
  const roleToEntry = new Map(
    [...functions].map(([id, entry]) => [props(resource(id)).Role['Fn::GetAtt'][0] as string, entry]),
  );
  const byEntry = new Map<string, { action: string; resource: string }[]>();
  for (const [, policy] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    for (const role of props(policy).Roles as { Ref: string }[]) {
      const entry = roleToEntry.get(role.Ref);
      if (!entry) continue;
      const grants = byEntry.get(entry) ?? [];
      for (const statement of props(policy).PolicyDocument.Statement.filter(
        (s: { Effect: string }) => s.Effect === 'Allow',
      )) {
        for (const action of asList<string>(statement.Action))
          for (const r of asList<unknown>(statement.Resource)) grants.push({ action, resource: tokensToText(r) });
      }
      byEntry.set(entry, grants);
    }
  }
  return (entry: string) => byEntry.get(entry) ?? [];
})();
const entriesAllowed = (action: string) =>
  [...new Set(functions.values())].filter((entry) => permissionsOf(entry).some((p) => p.action === action)).sort();

/** The export the stateful stack gives for one of its resources, as this stack imports it. */
const importOf = (construct: { node: { defaultChild?: unknown } }, attribute?: string) => {
  const id = app.stateful.getLogicalId(construct.node.defaultChild as any);
  const value = JSON.stringify(attribute ? { 'Fn::GetAtt': [id, attribute] } : { Ref: id });
  const output = Object.values(app.templates.stateful.Outputs ?? {}).find(
    (o) => o.Export && JSON.stringify(o.Value) === value,
  );
  if (!output?.Export) throw new Error(`The stateful stack exports no ${attribute ?? 'Ref'} of ${id}`);
  return output.Export.Name;
};

const [stateMachineId, stateMachine] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[0] ?? [];
const definition = JSON.parse(tokensToText(props(stateMachine!).DefinitionString)) as {
  StartAt: string;
  States: Record<string, any>;
};
const state = (name: string) => {
  const found = definition.States[name];
  if (!found) throw new Error(`No state ${name}; the states are ${Object.keys(definition.States).join(', ')}`);
  return found;
};
/** The function a Task state runs, whether it invokes it directly or through lambda:invoke. */
const functionOfTask = (task: any) => {
  const arn: string = task.Resource.startsWith('arn:aws:states:::lambda:invoke')
    ? task.Parameters.FunctionName
    : task.Resource;
  return entryOf(arn.replace(/^\$\{(.+)\.Arn\}$/, '$1'));
};
/** The retrier Step Functions picks for an error: the first whose ErrorEquals covers it. */
const retrierFor = (task: any, error: string) =>
  (task.Retry ?? []).find(
    (r: { ErrorEquals: string[] }) =>
      r.ErrorEquals.includes(error) ||
      r.ErrorEquals.includes('States.ALL') ||
      (r.ErrorEquals.includes('States.TaskFailed') && error !== 'States.Timeout'),
  );
const catcherFor = (task: any, error: string) =>
  (task.Catch ?? []).find(
    (c: { ErrorEquals: string[] }) => c.ErrorEquals.includes(error) || c.ErrorEquals.includes('States.ALL'),
  );

describe('proposal uploaded rule', () => {
  const [, rule] = resourcesOfType(template, 'AWS::Events::Rule')[0] ?? [];
  const bucketExport = importOf(app.stateful.uploads);

  it('listens for S3 Object Created events on the uploads bucket, under proposals/ only', () => {
    expect(props(rule!).EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [{ 'Fn::ImportValue': bucketExport }] },
        object: { key: [{ prefix: PROPOSALS_PREFIX }] },
      },
    });
    expect(props(rule!).State).not.toBe('DISABLED');
  });

  it('starts on a proposal upload, never on the reports and work files the functions write to the same bucket', () => {
    const bucket = 'jaring-dev-uploads';
    const pattern = JSON.parse(
      JSON.stringify(props(rule!).EventPattern).replace(
        JSON.stringify({ 'Fn::ImportValue': bucketExport }),
        JSON.stringify(bucket),
      ),
    );
    const objectCreated = (key: string, bucketName = bucket) => ({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: bucketName }, object: { key, size: 20480 } },
    });
    expect(matches(pattern, objectCreated('proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx'))).toBe(true);
    for (const key of [
      reportKeys('p-1').json,
      reportKeys('p-1').xlsx,
      workersKey('p-1'),
      bpjsResultsKey('p-1'),
      'usulan.xlsx',
      'x/proposals/usulan.xlsx',
    ]) {
      expect(matches(pattern, objectCreated(key)), key).toBe(false);
    }
    expect(
      matches(pattern, objectCreated('proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx', 'another-bucket')),
    ).toBe(false);
    expect(
      matches(pattern, {
        ...objectCreated('proposals/kapuas-2026-apbd/62.03.01.2011/usulan.xlsx'),
        'detail-type': 'Object Deleted',
      }),
    ).toBe(false);
  });

  it('targets the enrollment state machine, through a role that may start only it', () => {
    const [target] = props(rule!).Targets;
    expect(target.Arn).toEqual({ Ref: stateMachineId });
    const roleId = target.RoleArn['Fn::GetAtt'][0];
    const statements = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => props(p).Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(([, p]) => props(p).PolicyDocument.Statement);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: stateMachineId } },
    ]);
  });
});

describe('enrollment state machine', () => {
  it('has every stage of the enrollment, each running its own function', () => {
    const stages = {
      RegisterUpload: 'register-upload',
      ValidateProposal: 'validate-proposal',
      AwaitApproval: 'request-approval',
      ResolveApprovalTimeout: 'resolve-approval-timeout',
      SubmitToBpjs: 'submit-to-bpjs',
      RecordParticipants: 'record-participants',
      NotifyOutcome: 'notify',
      MarkFailed: 'mark-failed',
    };
    expect(definition.StartAt).toBe('RegisterUpload');
    for (const [name, fn] of Object.entries(stages)) {
      expect(state(name).Type, name).toBe('Task');
      expect(functionOfTask(state(name)), name).toBe(handler(fn));
    }
  });

  it('waits for the approver with a task token, as long as the programme allows', () => {
    const wait = state('AwaitApproval');
    expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(wait.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    expect(wait.TimeoutSecondsPath).toBe('$.approvalTimeoutSeconds');
    expect(wait.TimeoutSeconds).toBeUndefined();
  });

  it('resolves an approval nobody decided in time, instead of failing the proposal', () => {
    // Catchers are tried in order: States.ALL before States.Timeout would swallow the timeout.
    expect(catcherFor(state('AwaitApproval'), 'States.Timeout')?.Next).toBe('ResolveApprovalTimeout');
    expect(catcherFor(state('AwaitApproval'), 'States.TaskFailed')?.Next).not.toBe('ResolveApprovalTimeout');
  });

  it('waits out BPJS outages with its own retrier, placed before the catch-all one', () => {
    const submit = state('SubmitToBpjs');
    const outage = retrierFor(submit, 'BpjsUnavailableError');
    expect(outage.ErrorEquals).toContain('BpjsUnavailableError');
    expect(outage.MaxAttempts).toBeGreaterThan(retrierFor(submit, 'SomeOtherError').MaxAttempts);
    const retriers = submit.Retry.map((r: { ErrorEquals: string[] }) => r.ErrorEquals.join());
    expect(retriers.indexOf('BpjsUnavailableError')).toBeLessThan(retriers.indexOf('States.TaskFailed'));
  });

  it('never retries errors a retry cannot mend', () => {
    for (const [name, s] of Object.entries(definition.States).filter(([, s]) => s.Type === 'Task')) {
      for (const error of [
        'ZodError',
        'BpjsRequestRejectedError',
        'ProposalStatusConflictError',
        'ProposalNotFoundError',
      ]) {
        expect(retrierFor(s, error)?.MaxAttempts, `${name} retries ${error}`).toBe(0);
      }
    }
  });

  it('catches every failure of a stage and records it on the proposal (the failure recorders themselves excepted)', () => {
    const recordsFailure = (name: string): boolean => {
      const s = state(name);
      if (s.Type === 'Task') return functionOfTask(s) === handler('mark-failed');
      return s.Type === 'Pass' && recordsFailure(s.Next);
    };
    const tasks = Object.entries(definition.States).filter(
      ([, s]) => s.Type === 'Task' && functionOfTask(s) !== handler('mark-failed'),
    );
    expect(tasks.map(([name]) => name)).toContain('NotifyOutcome');
    for (const [name, task] of tasks) {
      const catcher = catcherFor(task, 'States.TaskFailed');
      expect(catcher, `${name} has no Catch`).toBeDefined();
      expect(catcher.ResultPath, name).toBe('$.error');
      expect(recordsFailure(catcher.Next), `${name} catches into ${catcher.Next}`).toBe(true);
    }
  });

  it('gives every Lambda time to finish before the task times out', () => {
    for (const [name, s] of Object.entries(definition.States).filter(
      ([, s]) => s.Type === 'Task' && s.TimeoutSeconds !== undefined,
    )) {
      const functionId = [...functions].find(([, entry]) => entry === functionOfTask(s))![0];
      expect(s.TimeoutSeconds, name).toBeGreaterThanOrEqual(props(resource(functionId)).Timeout);
    }
  });

  it('is traced with X-Ray and logs every event with its data', () => {
    expect(props(stateMachine!).TracingConfiguration).toEqual({ Enabled: true });
    expect(props(stateMachine!).LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    const [destination] = props(stateMachine!).LoggingConfiguration.Destinations;
    expect(resource(destination.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0]).Type).toBe('AWS::Logs::LogGroup');
  });
});

describe('grants', () => {
  const audit = `\${Import:${importOf(app.stateful.audit, 'Arn')}}`;
  const auditReads = new Set([
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DescribeTable',
    'dynamodb:GetItem',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:Query',
    'dynamodb:Scan',
  ]);
  const onAudit = (entry: string) =>
    permissionsOf(entry).filter((p) => p.resource === audit || p.resource.startsWith(`${audit}/`));

  it('the audit trail is append-only: functions may add events and read them, never change or delete one', () => {
    for (const entry of functions.values()) {
      const writes = onAudit(entry).filter((p) => !auditReads.has(p.action));
      // Sign-in, the console shell and presigning an upload touch no proposal, so they do not even append;
      // the dashboard only counts, and the daily archiver only reads the day's events.
      const touchesNoProposal = ['api-session', 'api-uploads', 'archive-day', 'api-dashboard']
        .map(handler)
        .includes(entry);
      expect(writes, entry).toEqual(touchesNoProposal ? [] : [{ action: 'dynamodb:PutItem', resource: audit }]);
    }
  });

  it('every function that appends to the audit trail reads it: an event is chained after its entity’s last one', () => {
    const appenders = [...functions.values()].filter((entry) =>
      onAudit(entry).some((p) => p.action === 'dynamodb:PutItem'),
    );
    expect(appenders).toContain(handler('record-participants'));
    for (const entry of appenders)
      expect(
        onAudit(entry).map((p) => p.action),
        entry,
      ).toContain('dynamodb:Query');
  });

  it('the functions waiting parties call back may complete a task token, each on its own workflow only', () => {
    // Validation completes the wait of an older upload of the same village that it supersedes.
    const enrollment = [handler('api-approvals'), handler('request-approval'), handler('validate-proposal')];
    expect(entriesAllowed('states:SendTaskSuccess').filter((e) => !/\/(api-)?claim/.test(e))).toEqual(
      enrollment.sort(),
    );
    const arn = `arn:aws:states:region:123456789012:stateMachine:${props(stateMachine!).StateMachineName}`;
    for (const entry of enrollment) {
      expect(
        permissionsOf(entry)
          .filter((p) => p.action.startsWith('states:'))
          .map((p) => p.resource),
        entry,
      ).toEqual([arn, arn]);
    }
  });

  it('only the re-drive of the read API and the recovery after a restart start executions, of the enrollment state machine', () => {
    const enrollment = [handler('api-proposals'), handler('resume-unfinished')];
    expect(entriesAllowed('states:StartExecution').filter((e) => !/\/(api-)?claim/.test(e))).toEqual(enrollment);
    for (const entry of enrollment) {
      expect(permissionsOf(entry).find((p) => p.action === 'states:StartExecution')?.resource, entry).toBe(
        `arn:aws:states:region:123456789012:stateMachine:${props(stateMachine!).StateMachineName}`,
      );
    }
  });

  it('the claims API starts and answers the claims workflow only; its approval link only answers it', () => {
    const claims = (entry: string) =>
      permissionsOf(entry)
        .filter((p) => p.action.startsWith('states:'))
        .map((p) => `${p.action} ${p.resource}`);
    for (const entry of [handler('api-claims'), handler('api-claim-approvals')]) {
      expect(claims(entry).length, entry).toBeGreaterThan(0);
      for (const permission of claims(entry)) expect(permission, entry).toMatch(/:stateMachine:jaring-\w+-claims$/);
    }
    expect(claims(handler('api-claims')).some((p) => p.startsWith('states:StartExecution '))).toBe(true);
    expect(claims(handler('api-claim-approvals')).some((p) => p.startsWith('states:StartExecution '))).toBe(false);
  });

  it('the workflow declares its recovery function in the template, for the local stack to invoke at start', () => {
    const marked = resourcesOfType(template, 'AWS::Lambda::Function').filter(
      ([, fn]) => fn.Metadata?.[RECOVERY_METADATA] === true,
    );
    expect(marked.map(([id]) => functions.get(id)).sort()).toEqual(
      [handler('resume-unfinished'), handler('claims-resume-unfinished')].sort(),
    );
  });

  it('only validation (a person another regency holds), the approval request, the outcome, billing and claims notices, and a change of approver send mail', () => {
    const billing = ['billing-check-due-dates', 'billing-mail-issued', 'billing-poll-payments'].map(handler);
    const claims = ['claims-remind-documents', 'claims-request-approval', 'claims-check-bpjs', 'claims-record-payout'];
    expect(entriesAllowed('ses:SendEmail').sort()).toEqual(
      [
        handler('validate-proposal'),
        handler('notify'),
        handler('request-approval'),
        handler('api-programmes'),
        ...billing,
        ...claims.map(handler),
      ].sort(),
    );
    const [identityId, identity] = resourcesOfType(template, 'AWS::SES::EmailIdentity')[0]!;
    expect(props(identity).EmailIdentity).toBe(app.config.mailDomain);
    for (const entry of entriesAllowed('ses:SendEmail')) {
      const resources = permissionsOf(entry)
        .filter((p) => p.action === 'ses:SendEmail')
        .map((p) => p.resource);
      expect(resources, entry).toEqual([`arn:aws:ses:region:123456789012:identity/\${${identityId}}`]);
    }
  });

  it("each function's settings name exactly the resources it is granted, so neither can drift from the other", () => {
    const stored = {
      proposals: app.stateful.proposals,
      audit: app.stateful.audit,
      quotas: app.stateful.quotas,
      participants: app.stateful.participants,
      uploadGrants: app.stateful.uploadGrants,
      coverage: app.stateful.contributions.coverage,
      bills: app.stateful.contributions.bills,
      claims: app.stateful.claimTables.claims,
      programmes: app.stateful.programmes,
      uploads: app.stateful.uploads,
      auditArchive: app.stateful.auditArchive,
    };
    // Grants that need no setting: histories of the executions an event or the trail names (of our state
    // machines only), and the dead-letter queue Lambda sends a failed asynchronous event to with the role.
    const settingless = (p: { action: string; resource: string }) =>
      (/^states:(DescribeExecution|GetExecutionHistory)$/.test(p.action) && p.resource.includes(':execution:')) ||
      (p.action.startsWith('sqs:') && /^\$\{[A-Za-z0-9]+DeadLetters[A-Z0-9]+\.Arn\}$/.test(p.resource));
    const stateMachineArn = `arn:aws:states:region:123456789012:stateMachine:${props(stateMachine!).StateMachineName}`;
    const [, claims] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine').find(([, r]) =>
      String(props(r).StateMachineName).endsWith('-claims'),
    )!;
    const claimsArn = `arn:aws:states:region:123456789012:stateMachine:${props(claims).StateMachineName}`;
    const [identityId] = resourcesOfType(template, 'AWS::SES::EmailIdentity')[0]!;
    const mailIdentity = `arn:aws:ses:region:123456789012:identity/\${${identityId}}`;
    // A setting's value as the resource it names; a grant's resource (an ARN, or keys and indexes under it) likewise.
    const byName = new Map(
      Object.entries(stored).map(([name, c]) => [JSON.stringify({ 'Fn::ImportValue': importOf(c) }), name]),
    );
    const byArn = Object.entries(stored).map(([name, c]) => [`\${Import:${importOf(c, 'Arn')}}`, name] as const);
    const named = (value: unknown) =>
      byName.get(JSON.stringify(value)) ??
      (tokensToText(value) === stateMachineArn
        ? 'stateMachine'
        : tokensToText(value) === claimsArn
          ? 'claimsStateMachine'
          : undefined);
    const grantedOn = (resource: string) =>
      resource === stateMachineArn
        ? 'stateMachine'
        : resource === claimsArn
          ? 'claimsStateMachine'
          : resource === mailIdentity
            ? 'mail'
            : byArn.find(([arn]) => resource === arn || resource.startsWith(`${arn}/`))?.[1];

    const unnamed: string[] = [];
    for (const [id, entry] of functions) {
      const settings = Object.entries<unknown>(props(resource(id)).Environment.Variables);
      const fromSettings = settings.flatMap(([key, value]) =>
        key === 'MAIL_FROM' ? ['mail'] : named(value) ? [named(value)!] : [],
      );
      const fromGrants = permissionsOf(entry).flatMap((p) => (settingless(p) ? [] : (grantedOn(p.resource) ?? [])));
      expect([...new Set(fromSettings)].sort(), entry).toEqual([...new Set(fromGrants)].sort());
      // Each resource under one setting, and every grant on something a setting names (X-Ray has no resource).
      expect(fromSettings.length, entry).toBe(new Set(fromSettings).size);
      unnamed.push(
        ...permissionsOf(entry)
          .filter((p) => !grantedOn(p.resource) && !p.action.startsWith('xray:') && !settingless(p))
          .map((p) => `${entry}: ${p.action} ${p.resource}`),
      );
    }
    expect(unnamed).toEqual([]);
  });

  it('only sign-in knows the app client, and needs no IAM grant for it (Cognito checks the password)', () => {
    const client = JSON.stringify({ 'Fn::ImportValue': importOf(app.stateful.webClient) });
    const holders = [...functions].filter(([id]) =>
      Object.values<unknown>(props(resource(id)).Environment.Variables).some((v) => JSON.stringify(v) === client),
    );
    expect(holders.map(([, entry]) => entry)).toEqual([handler('api-session')]);
    expect(permissionsOf(handler('api-session')).filter((p) => !p.action.startsWith('xray:'))).toEqual([]);
  });

  it('no function holds a wildcard action', () => {
    for (const entry of functions.values()) {
      expect(
        permissionsOf(entry).filter((p) => p.action === '*' || /^[a-z0-9-]+:\*$/.test(p.action)),
        entry,
      ).toEqual([]);
    }
  });
});

describe('functions', () => {
  it('every function is a Jaring function whose entry module exists', () => {
    expect(functions.size).toBeGreaterThan(0);
    for (const [id, entry] of functions) {
      expect(entry, `${id} has no ${ENTRY_METADATA} metadata`).toBeDefined();
      expect(existsSync(resolve(PROJECT_ROOT, entry)), entry).toBe(true);
    }
  });

  it('run Node.js 22 on arm64 with X-Ray tracing', () => {
    for (const [id, entry] of functions) {
      expect(props(resource(id)), entry).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('each is bundled from its entry into one ESM module that exports the handler', () => {
    const manifest = JSON.parse(readFileSync(join(app.outdir, `${app.stateless.artifactId}.assets.json`), 'utf8'));
    const sourceOf = (objectKey: string) => {
      const asset = Object.values<any>(manifest.files).find((f) =>
        Object.values<any>(f.destinations).some((d) => d.objectKey === objectKey),
      );
      return asset && join(app.outdir, asset.source.path);
    };
    const bundles = [...functions].map(([id, entry]) => {
      const dir = sourceOf(props(resource(id)).Code.S3Key);
      expect(dir, `${entry} has no asset`).toBeDefined();
      return { entry, file: join(dir!, 'index.mjs') };
    });
    // Distinct assets: each function carries its own handler, not a neighbour's.
    expect(new Set(bundles.map((b) => b.file)).size).toBe(bundles.length);
    // Loaded by plain Node.js, as Lambda loads them (the test runner would transform them first).
    const exported = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        'for (const f of process.argv.slice(1)) console.log(typeof (await import(f)).handler);',
        ...bundles.map((b) => pathToFileURL(b.file).href),
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(Object.fromEntries(bundles.map((b, i) => [b.entry, exported[i]]))).toEqual(
      Object.fromEntries(bundles.map((b) => [b.entry, 'function'])),
    );
  });
});

describe('HTTP API', () => {
  const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => props(r));

  const all = Object.entries(API_ROUTES).flatMap(([name, r]) =>
    [...r.public, ...r.signedIn].map(([method, path]) => ({
      name,
      key: `${method} ${path}`,
      isPublic: (r.public as readonly (readonly [string, string])[]).some(
        ([m, p]) => `${m} ${p}` === `${method} ${path}`,
      ),
    })),
  );

  it('serves exactly the routes the local stack serves', () => {
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(all.map((r) => r.key).sort());
  });

  it('asks for a Cognito-signed token on every route but the public ones, and on those for nothing', () => {
    const authorizers = resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(props(authorizer)).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
    expect(tokensToText(props(authorizer).JwtConfiguration.Issuer)).toMatch(
      /^https:\/\/cognito-idp\..+\.amazonaws\.com\/\$\{.*UserPool.*\}$/,
    );
    expect(props(authorizer).JwtConfiguration.Audience.map(tokensToText)).toEqual([
      expect.stringMatching(/UserPoolWebClient/),
    ]);
    for (const { key, isPublic } of all) {
      const route = routes.find((r) => r.RouteKey === key)!;
      if (isPublic) expect(route.AuthorizationType ?? 'NONE', key).toBe('NONE');
      else
        expect({ key, type: route.AuthorizationType, authorizer: route.AuthorizerId?.Ref }).toEqual({
          key,
          type: 'JWT',
          authorizer: authorizerId,
        });
    }
    // What anybody may reach without signing in: the approval link, sign-in, the console shell and health.
    expect(
      all
        .filter((r) => r.isPublic)
        .map((r) => r.key)
        .sort(),
    ).toEqual(
      [
        'GET /',
        'GET /app',
        'GET /app.js',
        'GET /app/{path+}',
        'GET /approvals/{id}',
        'GET /openapi.json',
        'GET /claim-approvals/{id}',
        'GET /health',
        'GET /masuk',
        'GET /vendor/chart.js',
        'POST /approvals/{id}',
        'POST /claim-approvals/{id}',
        'POST /session',
      ].sort(),
    );
  });

  it('sends each route to its function', () => {
    const functionOfRoute = (routeKey: string) => {
      const route = routes.find((r) => r.RouteKey === routeKey)!;
      const integration = resource(tokensToText(route.Target).replace(/^integrations\/\$\{(.+)\}$/, '$1'));
      return entryOf(props(integration).IntegrationUri['Fn::GetAtt'][0]);
    };
    for (const { name, key } of all) expect(functionOfRoute(key), key).toBe(handler(`api-${name}`));
  });

  it('logs every request of its stage', () => {
    const stages = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
    expect(stages.map(([, s]) => props(s).StageName)).toContain('$default');
    for (const [id, stage] of stages) {
      const settings = props(stage).AccessLogSettings;
      expect(settings, id).toBeDefined();
      expect(resource(settings.DestinationArn['Fn::GetAtt'][0]).Type).toBe('AWS::Logs::LogGroup');
      expect(Object.values(JSON.parse(settings.Format))).toEqual(
        expect.arrayContaining(['$context.requestId', '$context.routeKey', '$context.status']),
      );
    }
  });
});
