import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflow } from '../adapters/sfn-workflow';
import { setting } from './settings';

/** The enrollment state machine: its task tokens answered, executions started. */
export const workflowCallbacks = () => new SfnWorkflow(new SFNClient({}), setting('STATE_MACHINE_ARN'));
