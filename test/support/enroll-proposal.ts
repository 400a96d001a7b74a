import { expect } from 'vitest';
import { approvalLink, decide, upload, uploadAsOperator, waitForProposal, type TestStack } from './local-stack';

/**
 * A village's proposal taken to ENROLLED on the local stack as people take it: uploaded by the village's
 * operator through the console's upload grant, or put straight into the bucket as Dinas Sosial staff with
 * bucket access would; validated; approved through the link mailed to the approver; submitted to BPJS and
 * recorded. Each step is asserted, so a set-up that stops says where. Returns the upload key.
 */
export async function enrollProposal(
  stack: TestStack,
  place: { programmeId: string; villageCode: string; fileName: string },
  csv: string,
  by: 'operator' | 'bucket',
) {
  const { programmeId, villageCode, fileName } = place;
  let key = `proposals/${programmeId}/${villageCode}/${fileName}`;
  if (by === 'operator') key = await uploadAsOperator(stack, place, csv);
  else await upload(stack, key, csv);
  const waiting = await waitForProposal(stack, key, ['AWAITING_APPROVAL', 'INVALID', 'FAILED']);
  expect(waiting.status).toBe('AWAITING_APPROVAL');
  const { code } = await approvalLink(stack, waiting.id);
  expect((await decide(stack, waiting.id, code, 'APPROVED')).status).toBe(200);
  expect(await waitForProposal(stack, key, ['ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED'], 60_000)).toMatchObject({
    status: 'ENROLLED',
  });
  return key;
}
