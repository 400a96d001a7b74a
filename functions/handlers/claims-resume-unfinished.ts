import middy from '@middy/core';
import { resumeClaims } from '../core/claims/use-cases/resume-claims';
import { claimStore } from '../wiring/claim-store';
import { claimsWorkflow } from '../wiring/claims';
import { now, once } from '../wiring/settings';
import { programmesNow } from './programme-lookup';

export const wiring = once(() => ({
  claims: claimStore(),
  workflow: claimsWorkflow(),
  now,
}));

/**
 * Every claim left mid-workflow, as new executions (resume-claims.ts). The local stack calls it at
 * start, as it calls enrollment's; its answer has the same shape (`redriven`).
 */
export const handler = middy().handler(async () => {
  const programmeIds = (await programmesNow()).allProgrammes().map((p) => p.id);
  return resumeClaims({ ...wiring(), programmeIds });
});
