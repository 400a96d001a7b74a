import { ArnFormat, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { ARCHIVE_PREFIXES } from '../../functions/core/audit/archive';
import { PROPOSALS_PREFIX } from '../../functions/core/proposals/upload-key';
import { RENEWALS_PREFIX } from '../../functions/core/proposals/use-cases/renew-village';
import { BillingWorkflow } from '../../workflows/billing/billing-workflow';
import { ClaimsWorkflow } from '../../workflows/claims/claims-workflow';
import { EnrollmentWorkflow } from '../../workflows/enrollment/enrollment-workflow';
import type { DeploymentConfig } from '../config';
import { CHART_SCRIPT_FILE } from '../../functions/wiring/chart-script';
import { AuditArchive } from '../constructs/audit-archive';
import { bindMailer, bindProposalStore } from '../constructs/bindings';
import { ProgrammeSeed } from '../constructs/programme-seed';
import { JaringFunction, type JaringFunctionProps } from '../constructs/jaring-function';
import { AlarmTopic, FunctionAlarms } from '../constructs/workflow-alarms';
import type { StatefulStack } from './stateful-stack';

/**
 * The routes of the HTTP API, by the function that serves them. Every route needs a signed-in user
 * (the JWT authorizer) unless it is listed under `public`: what a signed-out person must reach.
 */
export const API_ROUTES = {
  session: {
    public: [
      [HttpMethod.GET, '/health'],
      [HttpMethod.GET, '/'],
      [HttpMethod.GET, '/masuk'],
      [HttpMethod.POST, '/session'],
      [HttpMethod.GET, '/app'],
      [HttpMethod.GET, '/app/{path+}'],
      [HttpMethod.GET, '/app.js'],
      [HttpMethod.GET, '/vendor/chart.js'],
    ],
    signedIn: [[HttpMethod.GET, '/me']],
  },
  uploads: {
    public: [],
    signedIn: [
      [HttpMethod.GET, '/uploads/new'],
      [HttpMethod.POST, '/uploads'],
    ],
  },
  proposals: {
    public: [],
    signedIn: [
      [HttpMethod.GET, '/proposals'],
      [HttpMethod.GET, '/proposals/{id}'],
      [HttpMethod.GET, '/proposals/{id}/report'],
      [HttpMethod.GET, '/proposals/{id}/history'],
      [HttpMethod.POST, '/proposals/{id}/redrive'],
      [HttpMethod.POST, '/proposals/{id}/cancel'],
      [HttpMethod.GET, '/programmes/{id}/template'],
    ],
  },
  contributions: {
    public: [],
    signedIn: [
      [HttpMethod.GET, '/participants'],
      [HttpMethod.GET, '/participants/{nik}'],
      [HttpMethod.GET, '/participants/{nik}/coverage'],
      [HttpMethod.GET, '/bills'],
      [HttpMethod.GET, '/bills/{billId}'],
      [HttpMethod.POST, '/bills/{billId}/payments'],
    ],
  },
  programmes: {
    public: [],
    signedIn: [
      [HttpMethod.GET, '/programmes'],
      [HttpMethod.GET, '/programmes/{id}'],
      [HttpMethod.POST, '/programmes'],
      [HttpMethod.PUT, '/programmes/{id}'],
      // The console's form posts (its script sends forms as POST); the same change as PUT.
      [HttpMethod.POST, '/programmes/{id}'],
    ],
  },
  renewals: {
    public: [],
    signedIn: [[HttpMethod.POST, '/renewals']],
  },
  claims: {
    public: [],
    signedIn: [
      [HttpMethod.GET, '/claims'],
      [HttpMethod.POST, '/claims'],
      [HttpMethod.GET, '/claims/new'],
      [HttpMethod.GET, '/claims/{id}'],
      [HttpMethod.POST, '/claims/{id}/documents'],
      [HttpMethod.GET, '/claims/{id}/documents/{type}'],
      [HttpMethod.POST, '/claims/{id}/verify'],
      [HttpMethod.POST, '/claims/{id}/reject'],
      [HttpMethod.POST, '/claims/{id}/approve'],
      [HttpMethod.GET, '/claim-totals'],
    ],
  },
  audit: {
    public: [],
    signedIn: [
      [HttpMethod.GET, '/home'],
      [HttpMethod.GET, '/search'],
      [HttpMethod.GET, '/timeline/{entity}'],
    ],
  },
  dashboard: {
    // The read API's description: shapes only, no data (why public: functions/core/openapi/read-api.ts).
    public: [[HttpMethod.GET, '/openapi.json']],
    signedIn: [
      [HttpMethod.GET, '/dashboard'],
      [HttpMethod.GET, '/dashboard/figures'],
    ],
  },
  'claim-approvals': {
    // As for proposals: one secret code per approver in the mailed link; the page masks NIKs and accounts.
    public: [
      [HttpMethod.GET, '/claim-approvals/{id}'],
      [HttpMethod.POST, '/claim-approvals/{id}'],
    ],
    signedIn: [],
  },
  approvals: {
    // The secret code in the mailed link is the credential (the approver may read mail on a phone
    // where nobody signed in); the page shows counts, never a worker's data.
    public: [
      [HttpMethod.GET, '/approvals/{id}'],
      [HttpMethod.POST, '/approvals/{id}'],
    ],
    signedIn: [],
  },
} as const satisfies Record<
  string,
  { public: readonly (readonly [HttpMethod, string])[]; signedIn: readonly (readonly [HttpMethod, string])[] }
>;

/**
 * Everything that can be redeployed freely: the workflows (each with its functions and what starts
 * it), the HTTP API with its functions, and mail.
 */
export class StatelessStack extends Stack {
  readonly stateMachineArn: string;
  readonly apiUrl: string;
  /** Claims (issue 10): the API's functions start it and answer its waits through `claims.bind`. */
  readonly claims: ClaimsWorkflow;

  constructor(scope: Construct, id: string, props: StackProps & { stateful: StatefulStack; config: DeploymentConfig }) {
    super(scope, id, props);
    const { stateful, config } = props;
    const mailIdentity = new EmailIdentity(this, 'MailIdentity', { identity: Identity.domain(config.mailDomain) });
    const mail = { identity: mailIdentity, from: `Jaring Dinas Sosial <jaring@${config.mailDomain}>` };

    const api = new HttpApi(this, 'HttpApi', {
      description: 'Jaring: sign-in, console, proposals, reports and approval links',
    });

    // Alarms from every workflow and the API go to the Dinas Sosial team's address.
    const alarms = new AlarmTopic(this, 'Alarms', { email: config.opsEmail });

    const { proposals, audit, uploads, quotas, participants, uploadGrants } = stateful;
    const workflow = new EnrollmentWorkflow(this, 'Enrollment', {
      stateMachineName: `jaring-${config.stage}-enrollment`,
      tables: { proposals, audit, quotas, participants, uploadGrants, coverage: stateful.contributions.coverage },
      uploads,
      mail,
      apiUrl: api.apiEndpoint,
      opsEmail: config.opsEmail,
      bpjsUrl: config.bpjsUrl,
      alarmTopic: alarms.topic,
    });

    // Contributions (issue 9): the monthly bill and the daily due-date check, each on its schedule.
    const billing = new BillingWorkflow(this, 'Billing', {
      stateMachineName: `jaring-${config.stage}-billing`,
      scheduleNames: {
        monthly: `jaring-${config.stage}-billing-monthly`,
        daily: `jaring-${config.stage}-billing-daily`,
      },
      tables: { coverage: stateful.contributions.coverage, bills: stateful.contributions.bills, audit, proposals },
      uploads,
      mail,
      apiUrl: api.apiEndpoint,
      opsEmail: config.opsEmail,
      financeEmail: config.financeEmail,
      bpjsUrl: config.bpjsUrl,
      alarmTopic: alarms.topic,
    });

    // Claims and payouts (issue 10): documents, verifier, approvers, BPJS, the transfer to the heir.
    this.claims = new ClaimsWorkflow(this, 'Claims', {
      stateMachineName: `jaring-${config.stage}-claims`,
      documentsStateMachineName: `jaring-${config.stage}-claim-documents`,
      tables: { claims: stateful.claimTables.claims, audit, coverage: stateful.contributions.coverage },
      uploads,
      mail,
      apiUrl: api.apiEndpoint,
      opsEmail: config.opsEmail,
      bpjsUrl: config.bpjsUrl,
      secondApproverEmail: config.opsEmail,
      alarmTopic: alarms.topic,
    });

    // The audit archive (issue 11): each closed execution's history, and each day with its chained digest.
    new AuditArchive(this, 'AuditArchive', {
      bucket: stateful.auditArchive,
      audit,
      stateMachines: [
        workflow.stateMachine,
        billing.stateMachine,
        this.claims.stateMachine,
        this.claims.documentsStateMachine,
      ],
      scheduleName: `jaring-${config.stage}-audit-archive-daily`,
      alarmTopic: alarms.topic,
    });

    // The API's functions, each binding what it touches: the setting with the grant.
    const fn = (
      id: string,
      name: string,
      description: string,
      extra: Omit<JaringFunctionProps, 'entry' | 'description'> = {},
    ) => new JaringFunction(this, id, { entry: `functions/handlers/${name}.ts`, description, ...extra });
    const apiProposals = workflow.bind(
      bindProposalStore(
        fn(
          'ApiProposalsFunction',
          'api-proposals',
          'Proposals for signed-in people: status, reports, history, re-drive, cancel',
          {
            environment: { API_URL: api.apiEndpoint },
          },
        ),
        // The proposal history is the audit trail read back.
        { proposals, audit },
      )
        // Reports to sign download links for; the work files of a proposal Dinas Sosial cancels (whom to release).
        .bindBucket({
          bucket: uploads,
          envVarName: 'UPLOADS_BUCKET',
          access: 'read',
          keyPrefixes: ['reports/', 'work/'],
        })
        .bindTable({ table: quotas, envVarName: 'QUOTAS_TABLE', access: 'readWrite' }),
      'start',
    );
    const apiSession = fn('ApiSessionFunction', 'api-session', 'Sign-in, the console shell and health', {
      // Only to let the console's script reach the bucket its presigned uploads go to (a CSP origin);
      // the function itself never touches the bucket, so it gets no grant.
      environment: { UPLOAD_ORIGIN: `https://${uploads.bucketRegionalDomainName}` },
      // The dashboard's chart library, served at /vendor/chart.js (functions/wiring/chart-script.ts).
      copyFiles: [{ from: 'node_modules/chart.js/dist/chart.umd.min.js', to: CHART_SCRIPT_FILE }],
    }).bindUserPoolClient({
      client: stateful.webClient,
      envVarName: 'USER_POOL_CLIENT_ID',
    });
    const apiUploads = fn('ApiUploadsFunction', 'api-uploads', 'Presigned uploads for signed-in operators')
      // An operator's presigned PUT is signed with this function's role: it may write proposals, nothing else.
      .bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'put', keyPrefixes: [PROPOSALS_PREFIX] })
      .bindTable({ table: uploadGrants, envVarName: 'UPLOAD_GRANTS_TABLE', access: 'append' });
    const apiApprovals = workflow.bind(
      bindProposalStore(
        fn('ApiApprovalsFunction', 'api-approvals', 'The approval page behind the link in the mail', {
          environment: { API_URL: api.apiEndpoint },
        }),
        { proposals, audit },
      )
        .bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'read' })
        .bindTable({ table: quotas, envVarName: 'QUOTAS_TABLE', access: 'readWrite' }),
      'completeTasks',
    );

    const apiContributions = fn(
      'ApiContributionsFunction',
      'api-contributions',
      'Participants, their coverage and the monthly bills for signed-in people; payments by finance',
    )
      .bindTable({ table: stateful.contributions.coverage, envVarName: 'COVERAGE_TABLE', access: 'read' })
      // A payment is a version-conditional put of the bill, with its audit event in the same transaction.
      .bindTable({ table: stateful.contributions.bills, envVarName: 'BILLS_TABLE', access: 'readUpdate' })
      // Opening one participant's record is appended to their trail (read: its chain's end).
      .bindTable({ table: audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' })
      // Finance's presigned PUT of a transfer slip is signed with this role: payment proofs only.
      .bindBucket({
        bucket: uploads,
        envVarName: 'UPLOADS_BUCKET',
        access: 'put',
        keyPrefixes: ['bills/*/*/payments/'],
      });

    const apiRenewals = fn(
      'ApiRenewalsFunction',
      'api-renewals',
      "A village's participants as the next period's proposal",
    )
      // Reads who the village had in the ending programme: their coverage and their participant record.
      .bindTable({ table: stateful.contributions.coverage, envVarName: 'COVERAGE_TABLE', access: 'read' })
      .bindTable({ table: participants, envVarName: 'PARTICIPANTS_TABLE', access: 'read' })
      // Writes the proposal where uploads go (the enrollment workflow starts from it, with the grant an
      // operator's upload has) and the left-out list beside it; the grant and RENEWAL_REQUESTED are appends.
      .bindBucket({
        bucket: uploads,
        envVarName: 'UPLOADS_BUCKET',
        access: 'put',
        keyPrefixes: [PROPOSALS_PREFIX, RENEWALS_PREFIX],
      })
      .bindTable({ table: uploadGrants, envVarName: 'UPLOAD_GRANTS_TABLE', access: 'append' })
      .bindTable({ table: audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' });

    // Claims (issue 10): filing starts the claims workflow; verify, reject and approve answer its waits.
    const claimTable = stateful.claimTables.claims;
    const apiClaims = this.claims.bind(
      this.claims.bind(
        fn('ApiClaimsFunction', 'api-claims', 'Claims for signed-in people: filing, documents, verify, reject, read')
          // Filing, verifying and rejecting are version-conditional writes with their audit event in one transaction.
          .bindTable({ table: claimTable, envVarName: 'CLAIMS_TABLE', access: 'readUpdate' })
          // Opening a claim is appended to its trail, as opening a participant is.
          .bindTable({ table: audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' })
          // Filing finds the participant and their coverage on the event date.
          .bindTable({ table: stateful.contributions.coverage, envVarName: 'COVERAGE_TABLE', access: 'read' })
          .bindTable({ table: participants, envVarName: 'PARTICIPANTS_TABLE', access: 'read' })
          // A document's presigned PUT is signed with this role: claim documents only.
          .bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'put', keyPrefixes: ['claims/'] })
          // ... and a document's one-minute download link, for whom may check it.
          .bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'read', keyPrefixes: ['claims/'] }),
        'start',
      ),
      'completeTasks',
    );
    const apiClaimApprovals = this.claims.bind(
      fn('ApiClaimApprovalsFunction', 'api-claim-approvals', 'The claim approval page behind the link in the mail', {
        environment: { API_URL: api.apiEndpoint },
      })
        .bindTable({ table: claimTable, envVarName: 'CLAIMS_TABLE', access: 'readUpdate' })
        .bindTable({ table: audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' }),
      'completeTasks',
    );

    // The auditor's console (issue 11): search and timelines read every store; the only write is the
    // VIEWED event appended when someone opens a participant's or a claim's timeline.
    const apiAudit = fn('ApiAuditFunction', 'api-audit', "The auditor's console: search, timelines, exports")
      .bindTable({ table: proposals, envVarName: 'PROPOSALS_TABLE', access: 'read' })
      .bindTable({ table: participants, envVarName: 'PARTICIPANTS_TABLE', access: 'read' })
      .bindTable({ table: stateful.contributions.coverage, envVarName: 'COVERAGE_TABLE', access: 'read' })
      .bindTable({ table: stateful.contributions.bills, envVarName: 'BILLS_TABLE', access: 'read' })
      .bindTable({ table: stateful.claimTables.claims, envVarName: 'CLAIMS_TABLE', access: 'read' })
      .bindTable({ table: audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' })
      // Each execution's steps: from its archived history, or Step Functions' own until it is archived.
      .bindBucket({
        bucket: stateful.auditArchive,
        envVarName: 'AUDIT_ARCHIVE_BUCKET',
        access: 'read',
        keyPrefixes: [ARCHIVE_PREFIXES.executions],
      });
    apiAudit.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: [
          workflow.stateMachine,
          billing.stateMachine,
          this.claims.stateMachine,
          this.claims.documentsStateMachine,
        ].map((machine) =>
          this.formatArn({
            service: 'states',
            resource: 'execution',
            resourceName: `${machine.stateMachineName}:*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ),
      }),
    );

    // The dashboard (issue 11): counts and sums only, read from where they are kept; it writes nothing.
    const apiDashboard = fn(
      'ApiDashboardFunction',
      'api-dashboard',
      'The dashboard and its figures for signed-in people; the OpenAPI document of the read API',
    )
      .bindTable({ table: quotas, envVarName: 'QUOTAS_TABLE', access: 'read' })
      .bindTable({ table: stateful.contributions.coverage, envVarName: 'COVERAGE_TABLE', access: 'read' })
      .bindTable({ table: stateful.contributions.bills, envVarName: 'BILLS_TABLE', access: 'read' })
      .bindTable({ table: claimTable, envVarName: 'CLAIMS_TABLE', access: 'read' });

    // Programmes as data (issue 13): read by all, written by the regency's admin (new versions only); a
    // change is judged against the quota ledger, the participants counted per village and the bills.
    // A change of approver is mailed to the old and the new one (functions/core/programmes/programme-mails.ts).
    const apiProgrammes = bindMailer(
      fn('ApiProgrammesFunction', 'api-programmes', 'Programmes: list, history, create, change', {
        environment: { OPS_EMAIL: config.opsEmail },
      }),
      mail,
    )
      .bindTable({ table: stateful.programmes, envVarName: 'PROGRAMMES_TABLE', access: 'readAppend' })
      .bindTable({ table: audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' })
      .bindTable({ table: quotas, envVarName: 'QUOTAS_TABLE', access: 'read' })
      .bindTable({ table: stateful.contributions.coverage, envVarName: 'COVERAGE_TABLE', access: 'read' })
      .bindTable({ table: stateful.contributions.bills, envVarName: 'BILLS_TABLE', access: 'read' });
    // The shipped programmes, put at deployment where the table lacks them.
    const programmeSeed = new ProgrammeSeed(this, 'ProgrammeSeed', { programmes: stateful.programmes, audit });
    // Every function but sign-in judges by the programmes (functions/wiring/programmes.ts): each reads the
    // table. Sign-in and the console's shell hold no grant at all (Cognito checks the password).
    for (const child of this.node.findAll())
      if (child instanceof JaringFunction && child !== apiSession)
        child.bindTable({ table: stateful.programmes, envVarName: 'PROGRAMMES_TABLE', access: 'read' });

    new FunctionAlarms(this, 'ApiAlarms', {
      functions: [
        apiProposals,
        apiSession,
        apiUploads,
        apiApprovals,
        apiContributions,
        apiRenewals,
        apiClaims,
        apiClaimApprovals,
        apiDashboard,
        apiAudit,
        apiProgrammes,
        // A seed that fails fails the deployment too; the alarm says which function, in the team's mail.
        programmeSeed.function,
      ],
      topic: alarms.topic,
    });

    const authorizer = new HttpUserPoolAuthorizer('SignedIn', stateful.users, {
      userPoolClients: [stateful.webClient],
    });
    const integrations = {
      session: new HttpLambdaIntegration('SessionIntegration', apiSession),
      uploads: new HttpLambdaIntegration('UploadsIntegration', apiUploads),
      proposals: new HttpLambdaIntegration('ProposalsIntegration', apiProposals),
      approvals: new HttpLambdaIntegration('ApprovalsIntegration', apiApprovals),
      renewals: new HttpLambdaIntegration('RenewalsIntegration', apiRenewals),
      contributions: new HttpLambdaIntegration('ContributionsIntegration', apiContributions),
      claims: new HttpLambdaIntegration('ClaimsIntegration', apiClaims),
      'claim-approvals': new HttpLambdaIntegration('ClaimApprovalsIntegration', apiClaimApprovals),
      dashboard: new HttpLambdaIntegration('DashboardIntegration', apiDashboard),
      audit: new HttpLambdaIntegration('AuditIntegration', apiAudit),
      programmes: new HttpLambdaIntegration('ProgrammesIntegration', apiProgrammes),
    };
    for (const [name, routes] of Object.entries(API_ROUTES) as [
      keyof typeof API_ROUTES,
      (typeof API_ROUTES)[keyof typeof API_ROUTES],
    ][]) {
      for (const [method, path] of routes.public)
        api.addRoutes({
          path,
          methods: [method],
          integration: integrations[name],
          authorizer: new HttpNoneAuthorizer(),
        });
      for (const [method, path] of routes.signedIn)
        api.addRoutes({ path, methods: [method], integration: integrations[name], authorizer });
    }
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR });
    const stage = api.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        route: '$context.routeKey',
        status: '$context.status',
        time: '$context.requestTime',
      }),
    };

    this.stateMachineArn = workflow.stateMachine.stateMachineArn;
    this.apiUrl = api.apiEndpoint;
    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
    new CfnOutput(this, 'EnrollmentStateMachineArn', { value: workflow.stateMachine.stateMachineArn });

    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'AWSLambdaBasicExecutionRole only lets a function write its own logs; it is the AWS-maintained minimum for that.',
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "Wildcards come from CDK grants scoped to one bucket (object keys are per upload), one table and its indexes, X-Ray (which has no resource ARNs), the workflow invoking its own functions' versions, and the audit archive reading the histories of one state machine's executions.",
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22 is what the local stack runs the same handlers on; the two move together.',
      },
    ]);
    // Each route without the JWT authorizer, with why a signed-out person must reach it.
    for (const [name, routes] of Object.entries(API_ROUTES)) {
      for (const [method, path] of routes.public) {
        const route = api.node.tryFindChild(`${method}${path}`);
        if (route)
          NagSuppressions.addResourceSuppressions(
            route,
            [
              {
                id: 'AwsSolutions-APIG4',
                reason:
                  name === 'approvals' || name === 'claim-approvals'
                    ? 'The approval page is authorised by the unguessable code in the link mailed to the approver (checked in constant time); it shows counts, never workers’ data.'
                    : name === 'dashboard'
                      ? 'The OpenAPI document describes the read API’s shapes for integrators before they hold a token; it carries no data.'
                      : 'Reached before signing in: health, the sign-in page and its POST (checked by Cognito), and the console shell and scripts (its own and Chart.js), which carry no data.',
              },
            ],
            true,
          );
      }
    }
  }
}
