import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflow } from '../adapters/sfn-workflow';
import { traced } from './observability';
import { setting } from './settings';

/**
 * The enrollment state machine: its task tokens answered, executions started. Each workflow's ARN
 * is its own setting, so the functions of the next workflow are bound to theirs, not to this one.
 */
export const workflowCallbacks = () =>
  new SfnWorkflow(traced(new SFNClient({})), setting('ENROLLMENT_STATE_MACHINE_ARN'));
