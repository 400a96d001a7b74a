import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { programmeStore, seedShippedProgrammes } from '../wiring/programmes';
import { loggableError, logger } from '../wiring/observability';
import { once } from '../wiring/settings';

/** What the seed needs, as the stack's settings give it (test/infra/function-settings.test.ts builds it). */
export const wiring = once(() => ({ store: programmeStore() }));

/** The custom resource's one physical id: there is one seed per deployment. */
const PHYSICAL_ID = 'programme-seed';

/**
 * The programme seed at deployment (infra/constructs/programme-seed.ts), and at every `npm start` (the
 * local stack runs the same custom resource): each seed programme the table does not have is put as its
 * version 1 (seedProgrammes); one it has, edited or not, is left alone. Deleting the resource (the
 * stack going) deletes no programme. A CloudFormation custom resource answers on the presigned
 * ResponseURL; without an answer the deployment would wait an hour, so a failure answers FAILED.
 */
export const handler = middy<CloudFormationCustomResourceEvent, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    let answer: Pick<CloudFormationCustomResourceResponse, 'Status' | 'Reason' | 'Data'>;
    try {
      const added = event.RequestType === 'Delete' ? [] : (await seedShippedProgrammes()).added;
      logger.info('Programme seed', { requestType: event.RequestType, added });
      answer = { Status: 'SUCCESS', Data: { added: added.join(' ') } };
    } catch (error) {
      logger.error('Programme seed failed', { error: loggableError(error) });
      answer = { Status: 'FAILED', Reason: `Programme seed failed: ${(error as Error).message}`.slice(0, 500) };
    }
    const response = {
      ...answer,
      PhysicalResourceId: PHYSICAL_ID,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    } as CloudFormationCustomResourceResponse;
    const body = JSON.stringify(response);
    // The presigned URL signs no content type: send none.
    const sent = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
    if (!sent.ok) throw new Error(`CloudFormation did not take the answer: ${sent.status}`);
  });
