import { Duration, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PROPOSALS_PREFIX } from '../../functions/core/proposals/upload-key';
import { bindMailer, bindProposalStore, type MailSender } from '../../infra/constructs/bindings';
import {
  JaringFunction,
  type JaringFunctionProps,
  type StateMachineAccess,
} from '../../infra/constructs/jaring-function';
import { objectCreatedRule } from '../../infra/constructs/object-created-rule';
import { executionsFailedMetric, WorkflowAlarms } from '../../infra/constructs/workflow-alarms';
import { enrollmentStateMachine, stateMachineArnFor } from './state-machine';

export type EnrollmentWorkflowProps = {
  stateMachineName: string;
  tables: {
    proposals: ITableV2;
    audit: ITableV2;
    quotas: ITableV2;
    participants: ITableV2;
    uploadGrants: ITableV2;
    /** Each participant recorded gets a coverage record here (opened only: PutItem on a condition). */
    coverage: ITableV2;
  };
  /** Proposals arrive here (under proposals/); reports and work files are written beside them. */
  uploads: IBucket;
  mail: MailSender;
  /** Base URL of the HTTP API, for the links in mail. */
  apiUrl: string;
  /** Where notices with no known operator go. */
  opsEmail: string;
  bpjsUrl: string;
  /** Where its alarms go (infra/constructs/workflow-alarms.ts). */
  alarmTopic: ITopic;
};

/**
 * Enrollment, from an upload to participants: its functions with what each may touch, the state
 * machine that runs them (./state-machine.ts), and the rule that starts it when a proposal lands.
 * Another workflow is a construct beside this one, with lists of its own.
 */
export class EnrollmentWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  /** The ARN built from the name, for functions the workflow waits on (its own token would make a cycle). */
  private readonly arnByName: string;

  constructor(scope: Construct, id: string, props: EnrollmentWorkflowProps) {
    super(scope, id);
    const { tables, uploads, mail } = props;
    this.arnByName = stateMachineArnFor(Stack.of(this), props.stateMachineName);
    const fn = (
      id: string,
      name: string,
      description: string,
      extra: Omit<JaringFunctionProps, 'entry' | 'description'> = {},
    ) =>
      bindProposalStore(
        new JaringFunction(this, id, { entry: `functions/handlers/${name}.ts`, description, ...extra }),
        tables,
      );

    const registerUpload = fn(
      'RegisterUploadFunction',
      'register-upload',
      'Records an uploaded proposal (idempotent per object version)',
    )
      .bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'read' })
      .bindTable({ table: tables.uploadGrants, envVarName: 'UPLOAD_GRANTS_TABLE', access: 'read' });
    // It mails too: a person another regency holds for the same months is news for both Dinas Sosial (issue 13).
    const validateProposal = bindMailer(
      fn('ValidateProposalFunction', 'validate-proposal', 'Validates every row and writes the report', {
        environment: { API_URL: props.apiUrl, OPS_EMAIL: props.opsEmail },
        timeout: Duration.minutes(10),
        memorySize: 512,
        // V8 grows its heap lazily up to its own default; capping it keeps a 100,000-row file inside 512 MB.
        // A 4 MB young generation's semi-space (16 MB by default) takes ~25 MB off a 100,000-row file's peak RSS
        // for more, shorter scavenges (measured by the bench: 248-252 MB against 274-280 MB, three runs each).
        nodeOptions: '--max-old-space-size=300 --max-semi-space-size=4',
        // Parsing the source map at start costs ~80 MB of RSS, a third of a 100,000-row file's peak.
        sourceMapsAtRuntime: false,
      }),
      mail,
    )
      .bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'readWrite' })
      .bindTable({ table: tables.quotas, envVarName: 'QUOTAS_TABLE', access: 'readWrite' });
    // Validation completes the approval wait of an older upload it supersedes.
    this.bind(validateProposal, 'completeTasks');
    const requestApproval = bindMailer(
      fn('RequestApprovalFunction', 'request-approval', 'Mails the approval link and parks the task token', {
        environment: { API_URL: props.apiUrl },
      }),
      mail,
    );
    this.bind(requestApproval, 'completeTasks');
    const resolveApprovalTimeout = fn(
      'ResolveApprovalTimeoutFunction',
      'resolve-approval-timeout',
      'Expires a proposal nobody decided',
    )
      .bindTable({ table: tables.quotas, envVarName: 'QUOTAS_TABLE', access: 'readWrite' })
      .bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'read' });
    const submitToBpjs = fn(
      'SubmitToBpjsFunction',
      'submit-to-bpjs',
      'Registers approved workers with BPJS Ketenagakerjaan',
      {
        environment: { BPJS_URL: props.bpjsUrl },
        timeout: Duration.minutes(10),
      },
    ).bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'readWrite' });
    const recordParticipants = fn(
      'RecordParticipantsFunction',
      'record-participants',
      'Records registered workers as participants',
      {
        timeout: Duration.minutes(10),
      },
    )
      .bindBucket({ bucket: uploads, envVarName: 'UPLOADS_BUCKET', access: 'read' })
      .bindTable({ table: tables.participants, envVarName: 'PARTICIPANTS_TABLE', access: 'readWrite' })
      .bindTable({ table: tables.quotas, envVarName: 'QUOTAS_TABLE', access: 'readWrite' })
      .bindTable({ table: tables.coverage, envVarName: 'COVERAGE_TABLE', access: 'readUpdate' });
    const notify = bindMailer(
      fn('NotifyFunction', 'notify', 'Tells the village how its proposal ended', {
        environment: { API_URL: props.apiUrl, OPS_EMAIL: props.opsEmail },
      }),
      mail,
    );
    const markFailed = fn(
      'MarkFailedFunction',
      'mark-failed',
      'Records a failed stage so the proposal can be re-driven',
    );
    // Not part of the state machine: the local stack invokes it at start to carry on with unfinished proposals.
    const resumeUnfinished = this.bind(
      fn(
        'ResumeUnfinishedFunction',
        'resume-unfinished',
        'Re-drives proposals left mid-workflow (local stack restart)',
        {
          timeout: Duration.minutes(5),
        },
      ),
      'start',
    ).recoversAfterRestart();

    this.stateMachine = enrollmentStateMachine(this, {
      stateMachineName: props.stateMachineName,
      functions: {
        registerUpload,
        validateProposal,
        requestApproval,
        resolveApprovalTimeout,
        submitToBpjs,
        recordParticipants,
        notify,
        markFailed,
      },
    });

    // For proposals only: reports and work files live under other prefixes.
    const undelivered = objectCreatedRule(
      this,
      { rule: 'ProposalUploadedRule', deadLetters: 'ProposalUploadedDeadLetters' },
      {
        description: 'Starts enrollment when a proposal spreadsheet is uploaded',
        bucket: uploads,
        prefix: PROPOSALS_PREFIX,
        stateMachine: this.stateMachine,
      },
    );

    new WorkflowAlarms(this, 'Alarms', {
      stateMachine: this.stateMachine,
      functions: [
        ...[registerUpload, validateProposal, requestApproval, resolveApprovalTimeout, submitToBpjs],
        ...[recordParticipants, notify, markFailed, resumeUnfinished],
      ],
      deadLetterQueue: undelivered,
      failures: executionsFailedMetric(),
      topic: props.alarmTopic,
    });
  }

  /** Lets a function outside the workflow start it or answer its task tokens (the API's re-drive and approval page). */
  bind(fn: JaringFunction, access: StateMachineAccess): JaringFunction {
    return fn.bindStateMachine({ stateMachineArn: this.arnByName, envVarName: 'ENROLLMENT_STATE_MACHINE_ARN', access });
  }
}
