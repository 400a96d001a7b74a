import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The secret an approval link carries: whoever holds it received the mail sent to the approver. */
export const newApprovalCode = () => randomBytes(24).toString('base64url');

/** Compares a given code with the proposal's in constant time, so timing tells nothing of the code. */
export function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
