import { describe, expect, it } from 'vitest';
import { authorize, type Action } from '../../../functions/core/access/policy';
import type { Principal, Role } from '../../../functions/core/access/principal';

// Claims (issue 10), role by role: a claim of the user's own village, of a neighbouring village of the
// same regency, and of another regency.
const mine = '62.03.01.2011';
const neighbour = '62.03.01.2012';
const otherRegency = '61.12.01.2001';

const as = (role: Role): Principal => ({
  id: `id-${role}`,
  username: role,
  roles: [role],
  regency: '62.03',
  villages: role === 'operator' ? [mine] : [],
});

type Row = [string, string, string];
const expected: Record<Role, Record<Extract<Action, `claim:${string}`>, Row>> = {
  operator: {
    'claim:documents': ['allow', 'hide', 'hide'],
    'claim:file': ['allow', 'hide', 'hide'],
    'claim:read': ['allow', 'hide', 'hide'],
    'claim:verify': ['deny', 'hide', 'hide'],
    'claim:approve': ['deny', 'hide', 'hide'],
    'claim:bank-account': ['deny', 'hide', 'hide'],
  },
  verifier: {
    'claim:documents': ['allow', 'allow', 'hide'],
    'claim:file': ['allow', 'allow', 'hide'],
    'claim:read': ['allow', 'allow', 'hide'],
    'claim:verify': ['allow', 'allow', 'hide'],
    'claim:approve': ['deny', 'deny', 'hide'],
    'claim:bank-account': ['allow', 'allow', 'hide'],
  },
  approver: {
    'claim:documents': ['allow', 'allow', 'hide'],
    'claim:file': ['deny', 'deny', 'hide'],
    'claim:read': ['allow', 'allow', 'hide'],
    'claim:verify': ['deny', 'deny', 'hide'],
    'claim:approve': ['allow', 'allow', 'hide'],
    'claim:bank-account': ['allow', 'allow', 'hide'],
  },
  // Finance reads claims (it reconciles payouts) but no proposals, so a refusal hides nothing it may not know.
  finance: {
    'claim:documents': ['hide', 'hide', 'hide'],
    'claim:file': ['hide', 'hide', 'hide'],
    'claim:read': ['allow', 'allow', 'hide'],
    'claim:verify': ['hide', 'hide', 'hide'],
    'claim:approve': ['hide', 'hide', 'hide'],
    'claim:bank-account': ['hide', 'hide', 'hide'],
  },
  auditor: {
    'claim:documents': ['allow', 'allow', 'hide'],
    'claim:file': ['deny', 'deny', 'hide'],
    'claim:read': ['allow', 'allow', 'hide'],
    'claim:verify': ['deny', 'deny', 'hide'],
    'claim:approve': ['deny', 'deny', 'hide'],
    'claim:bank-account': ['allow', 'allow', 'hide'],
  },
  admin: {
    'claim:documents': ['deny', 'deny', 'hide'],
    'claim:file': ['deny', 'deny', 'hide'],
    'claim:read': ['allow', 'allow', 'hide'],
    'claim:verify': ['deny', 'deny', 'hide'],
    'claim:approve': ['deny', 'deny', 'hide'],
    'claim:bank-account': ['deny', 'deny', 'hide'],
  },
};

describe('claim actions', () => {
  for (const [role, actions] of Object.entries(expected) as [Role, Record<Action, Row>][]) {
    for (const [action, [own, next, other]] of Object.entries(actions) as [Action, Row][]) {
      it(`${role} ${action}: own village ${own}, neighbour ${next}, other regency ${other}`, () => {
        const p = as(role);
        expect(authorize(p, action, { villageCode: mine })).toBe(own);
        expect(authorize(p, action, { villageCode: neighbour })).toBe(next);
        expect(authorize(p, action, { villageCode: otherRegency })).toBe(other);
      });
    }
  }

  it('only the verifier, the approver and the auditor see an heir’s bank account whole', () => {
    const whole = (['operator', 'verifier', 'approver', 'finance', 'auditor', 'admin'] as Role[]).filter(
      (r) => authorize(as(r), 'claim:bank-account', { villageCode: mine }) === 'allow',
    );
    expect(whole).toEqual(['verifier', 'approver', 'auditor']);
  });
});
