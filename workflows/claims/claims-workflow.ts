import { Duration, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { bindMailer, type MailSender } from '../../infra/constructs/bindings';
import {
  JaringFunction,
  type JaringFunctionProps,
  type StateMachineAccess,
} from '../../infra/constructs/jaring-function';
import { objectCreatedRule } from '../../infra/constructs/object-created-rule';
import { WorkflowAlarms } from '../../infra/constructs/workflow-alarms';
import { claimDocumentsStateMachine, claimsStateMachine, claimsStateMachineArnFor } from './state-machine';

/** Where a claim's documents go: `claims/<claimId>/<documentType>/<file>`. */
const CLAIMS_PREFIX = 'claims/';

export type ClaimsWorkflowProps = {
  stateMachineName: string;
  /** The state machine the S3 rule starts for each document. */
  documentsStateMachineName: string;
  /** Claims change; coverages turn DECEASED at a death's payout; the audit trail is appended to by the claim store. */
  tables: { claims: ITableV2; audit: ITableV2; coverage: ITableV2 };
  /** Claim documents arrive here under claims/. */
  uploads: IBucket;
  mail: MailSender;
  apiUrl: string;
  /** The Dinas Sosial team: told of late BPJS answers, failed transfers and payouts; stands in for a filer. */
  opsEmail: string;
  bpjsUrl: string;
  /** The approver beside the programme's, for claims that need two (claim-settings.ts `twoApproversAbove`). */
  secondApproverEmail: string;
  /** Days from a documents wait to the reminder, and reminders before the wait is parked. */
  documentReminderDays?: number;
  documentReminders?: number;
  /** Between looks at BPJS's decision. */
  bpjsPollInterval?: Duration;
  alarmTopic: ITopic;
};

/**
 * Claims and payouts (issue 10): the workflow that carries a filed claim through its documents, the
 * verifier, the approvers and BPJS to the heir's account (./state-machine.ts), its functions with what
 * each may touch, and the rule that hands it each document landing under claims/. The API starts it
 * and answers its waits through `bind` (CLAIMS_STATE_MACHINE_ARN).
 */
export class ClaimsWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly documentsStateMachine: StateMachine;
  private readonly arnByName: string;

  constructor(scope: Construct, id: string, props: ClaimsWorkflowProps) {
    super(scope, id);
    const { tables, mail } = props;
    this.arnByName = claimsStateMachineArnFor(Stack.of(this), props.stateMachineName);
    const fn = (
      id: string,
      name: string,
      description: string,
      extra: Omit<JaringFunctionProps, 'entry' | 'description'> = {},
    ) =>
      // Every step reads and changes the claim; the claim store appends its audit events after their chain's end.
      new JaringFunction(this, id, { entry: `functions/handlers/${name}.ts`, description, ...extra })
        .bindTable({ table: tables.claims, envVarName: 'CLAIMS_TABLE', access: 'readUpdate' })
        .bindTable({ table: tables.audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' });
    const notices = { API_URL: props.apiUrl, OPS_EMAIL: props.opsEmail };
    const bpjs = { BPJS_URL: props.bpjsUrl };

    const open = fn('OpenClaimFunction', 'claims-open', 'Starts a claim through the workflow with its timings', {
      environment: {
        CLAIM_DOCUMENT_REMINDER_SECONDS: String((props.documentReminderDays ?? 3) * 86_400),
        CLAIM_BPJS_POLL_SECONDS: String((props.bpjsPollInterval ?? Duration.hours(1)).toSeconds()),
      },
    });
    const awaitDocuments = this.bind(
      fn('AwaitDocumentsFunction', 'claims-await-documents', "Parks the workflow's token until the documents are in"),
      'completeTasks',
    );
    const remindDocuments = bindMailer(
      fn('RemindDocumentsFunction', 'claims-remind-documents', 'Reminds the operator of missing claim documents', {
        environment: { ...notices, CLAIM_DOCUMENT_REMINDERS: String(props.documentReminders ?? 5) },
      }),
      mail,
    );
    const awaitVerification = this.bind(
      fn('AwaitVerificationFunction', 'claims-await-verification', "Parks the workflow's token for the verifier"),
      'completeTasks',
    );
    const requestApproval = this.bind(
      bindMailer(
        fn(
          'RequestClaimApprovalFunction',
          'claims-request-approval',
          'Mails each approver their link, parks the token',
          {
            environment: {
              API_URL: props.apiUrl,
              CLAIM_SECOND_APPROVER_EMAIL: props.secondApproverEmail,
            },
          },
        ),
        mail,
      ),
      'completeTasks',
    );
    const submitToBpjs = fn(
      'SubmitClaimToBpjsFunction',
      'claims-submit-to-bpjs',
      'Files the approved claim with BPJS, once',
      {
        environment: bpjs,
        timeout: Duration.minutes(1),
      },
    );
    // A reclassification recomputes the benefit from the coverage's paid months: read only.
    const checkBpjs = bindMailer(
      fn('CheckBpjsClaimFunction', 'claims-check-bpjs', "Looks at BPJS's decision, reclassifications, late answers", {
        environment: { ...notices, ...bpjs },
        timeout: Duration.minutes(1),
      }).bindTable({ table: tables.coverage, envVarName: 'COVERAGE_TABLE', access: 'read' }),
      mail,
    );
    // A death's payout turns the participant's coverages DECEASED: updates, never deletes.
    const recordPayout = bindMailer(
      fn('RecordClaimPayoutFunction', 'claims-record-payout', 'Records the transfer to the heir and closes the claim', {
        environment: { ...notices, ...bpjs },
        timeout: Duration.minutes(1),
      }).bindTable({ table: tables.coverage, envVarName: 'COVERAGE_TABLE', access: 'readUpdate' }),
      mail,
    );
    // Ticks the document off and answers (or restarts) the workflow; reads only the event, never the file.
    const documentArrived = this.bind(
      this.bind(
        fn('ClaimDocumentArrivedFunction', 'claims-document-arrived', 'Records a claim document that landed in S3'),
        'completeTasks',
      ),
      'start',
    );

    // Not part of the state machine: the local stack invokes it at start to carry on with unfinished claims.
    const resumeUnfinished = this.bind(
      fn('ResumeClaimsFunction', 'claims-resume-unfinished', 'Re-starts claims left mid-workflow (local restart)', {
        timeout: Duration.minutes(5),
      }),
      'start',
    ).recoversAfterRestart();

    const functions = {
      open,
      awaitDocuments,
      remindDocuments,
      awaitVerification,
      requestApproval,
      submitToBpjs,
      checkBpjs,
      recordPayout,
    };
    this.stateMachine = claimsStateMachine(this, { stateMachineName: props.stateMachineName, functions });
    this.documentsStateMachine = claimDocumentsStateMachine(new Construct(this, 'Documents'), {
      stateMachineName: props.documentsStateMachineName,
      documentArrived,
    });

    const undelivered = objectCreatedRule(
      this,
      { rule: 'ClaimDocumentUploadedRule', deadLetters: 'ClaimDocumentDeadLetters' },
      {
        description: 'Records each claim document uploaded under claims/',
        bucket: props.uploads,
        prefix: CLAIMS_PREFIX,
        stateMachine: this.documentsStateMachine,
      },
    );

    new WorkflowAlarms(this, 'Alarms', {
      stateMachine: this.stateMachine,
      functions: [...Object.values(functions), documentArrived, resumeUnfinished],
      deadLetterQueue: undelivered,
      topic: props.alarmTopic,
    });
  }

  /** Lets a function outside the workflow start it (filing) or answer its waits (verify, approve). */
  bind(fn: JaringFunction, access: StateMachineAccess): JaringFunction {
    return fn.bindStateMachine({ stateMachineArn: this.arnByName, envVarName: 'CLAIMS_STATE_MACHINE_ARN', access });
  }
}
