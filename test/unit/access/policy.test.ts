import { describe, expect, it } from 'vitest';
import { ACTIONS, authorize, type Action } from '../../../functions/core/access/policy';
import { NotSignedInError, principalFromClaims, Role, type Principal } from '../../../functions/core/access/principal';

const mine = '62.03.01.2011';
const neighbour = '62.03.01.2012';
const otherRegency = '61.12.01.2001';

const as = (role: Role, villages: string[] = []): Principal => ({
  id: `id-${role}`,
  username: role,
  roles: [role],
  regency: '62.03',
  villages,
});

// The access table the README states, role by role: what each may do to a proposal of its own
// village, of a neighbouring village of the same regency, and of another regency.
const expected: Record<Role, Partial<Record<Action, [string, string, string]>>> = {
  operator: {
    'proposal:read': ['allow', 'hide', 'hide'],
    'proposal:report': ['allow', 'hide', 'hide'],
    'proposal:history': ['allow', 'hide', 'hide'],
    'proposal:upload': ['allow', 'hide', 'hide'],
    'proposal:redrive': ['deny', 'hide', 'hide'],
    'proposal:cancel': ['deny', 'hide', 'hide'],
    'participant:read': ['allow', 'hide', 'hide'],
    'renewal:request': ['allow', 'hide', 'hide'],
  },
  verifier: {
    'proposal:read': ['allow', 'allow', 'hide'],
    'proposal:report': ['allow', 'allow', 'hide'],
    'proposal:upload': ['deny', 'deny', 'hide'],
    'proposal:redrive': ['allow', 'allow', 'hide'],
    'proposal:cancel': ['allow', 'allow', 'hide'],
    'participant:read': ['allow', 'allow', 'hide'],
    'renewal:request': ['allow', 'allow', 'hide'],
  },
  approver: {
    'proposal:read': ['allow', 'allow', 'hide'],
    'proposal:report': ['allow', 'allow', 'hide'],
    'proposal:redrive': ['deny', 'deny', 'hide'],
    'proposal:upload': ['deny', 'deny', 'hide'],
    'participant:read': ['allow', 'allow', 'hide'],
    'renewal:request': ['deny', 'deny', 'hide'],
  },
  finance: {
    'proposal:read': ['hide', 'hide', 'hide'],
    'proposal:report': ['hide', 'hide', 'hide'],
    'participant:read': ['allow', 'allow', 'hide'],
    'renewal:request': ['hide', 'hide', 'hide'],
  },
  auditor: {
    'proposal:read': ['allow', 'allow', 'hide'],
    'proposal:report': ['allow', 'allow', 'hide'],
    'proposal:history': ['allow', 'allow', 'hide'],
    'proposal:upload': ['deny', 'deny', 'hide'],
    'proposal:redrive': ['deny', 'deny', 'hide'],
    'proposal:cancel': ['deny', 'deny', 'hide'],
    'participant:read': ['allow', 'allow', 'hide'],
    'renewal:request': ['deny', 'deny', 'hide'],
  },
  admin: {
    'proposal:read': ['allow', 'allow', 'hide'],
    'proposal:report': ['deny', 'deny', 'hide'],
    'proposal:redrive': ['allow', 'allow', 'hide'],
    'proposal:upload': ['deny', 'deny', 'hide'],
    'participant:read': ['allow', 'allow', 'hide'],
    'renewal:request': ['allow', 'allow', 'hide'],
  },
};

describe('the access policy', () => {
  for (const [role, actions] of Object.entries(expected) as [Role, Partial<Record<Action, string[]>>][]) {
    for (const [action, [own, near, far]] of Object.entries(actions) as [Action, string[]][]) {
      it(`${role} ${action}: own village ${own}, neighbour ${near}, other regency ${far}`, () => {
        const p = as(role, role === 'operator' ? [mine] : []);
        expect(authorize(p, action, { villageCode: mine })).toBe(own);
        expect(authorize(p, action, { villageCode: neighbour })).toBe(near);
        expect(authorize(p, action, { villageCode: otherRegency })).toBe(far);
      });
    }
  }

  it('lets every role read its own regency’s programmes and no other’s', () => {
    for (const role of Role.options) {
      expect(authorize(as(role), 'programme:read', { regency: '62.03' })).toBe('allow');
      expect(authorize(as(role), 'programme:read', { regency: '61.12' })).toBe('deny');
    }
  });

  it('lets the regency-wide roles but the operator read bills, finance alone record payments, in its own regency', () => {
    const bills: Record<Role, [string, string]> = {
      operator: ['deny', 'deny'],
      verifier: ['allow', 'deny'],
      approver: ['allow', 'deny'],
      finance: ['allow', 'allow'],
      auditor: ['allow', 'deny'],
      admin: ['allow', 'deny'],
    };
    for (const [role, [read, pay]] of Object.entries(bills) as [Role, [string, string]][]) {
      const p = as(role, role === 'operator' ? [mine] : []);
      expect(authorize(p, 'bill:read', { regency: '62.03' }), role).toBe(read);
      expect(authorize(p, 'bill:pay', { regency: '62.03' }), role).toBe(pay);
      expect(authorize(p, 'bill:read', { regency: '61.12' }), role).toBe('deny');
      expect(authorize(p, 'bill:pay', { regency: '61.12' }), role).toBe('deny');
    }
  });

  it('gives an operator bound to a village of another regency nothing there', () => {
    const confused = { ...as('operator'), villages: [otherRegency] };
    expect(authorize(confused, 'proposal:read', { villageCode: otherRegency })).toBe('hide');
  });

  it('names every action in the table for at least one role', () => {
    for (const action of Object.keys(ACTIONS)) expect(Object.keys(ACTIONS[action as Action]).length).toBeGreaterThan(0);
  });
});

describe('reading the signed-in user from token claims', () => {
  const claims = {
    sub: 'abc-123',
    'cognito:username': 'sari',
    email: 'sari@desa.example',
    'custom:regency': '62.03',
    'custom:villages': '62.03.01.2011 62.03.01.2012',
  };

  it('reads groups as API Gateway passes them ("[a b]") and as arrays', () => {
    expect(principalFromClaims({ ...claims, 'cognito:groups': '[operator auditor]' })).toMatchObject({
      roles: ['operator', 'auditor'],
      villages: ['62.03.01.2011', '62.03.01.2012'],
      regency: '62.03',
      username: 'sari',
    });
    expect(principalFromClaims({ ...claims, 'cognito:groups': ['verifier'] }).roles).toEqual(['verifier']);
  });

  it('refuses a token without a known role, a regency or a subject', () => {
    expect(() => principalFromClaims({ ...claims, 'cognito:groups': '[superuser]' })).toThrow(NotSignedInError);
    expect(() =>
      principalFromClaims({ ...claims, 'cognito:groups': '[operator]', 'custom:regency': undefined }),
    ).toThrow(NotSignedInError);
    expect(() => principalFromClaims({ ...claims, 'cognito:groups': '[operator]', sub: undefined })).toThrow(
      NotSignedInError,
    );
    expect(() => principalFromClaims(undefined)).toThrow(NotSignedInError);
  });

  it('refuses villages that are not village codes', () => {
    expect(() =>
      principalFromClaims({ ...claims, 'cognito:groups': '[operator]', 'custom:villages': '62.03.01.2011 ../../x' }),
    ).toThrow(NotSignedInError);
  });
});

describe('file names an operator gives', () => {
  it('cannot leave the village, and carry no whole NIK', async () => {
    const { safeFileName } = await import('../../../functions/core/proposals/upload-grant');
    expect(safeFileName('../../62.03.02.2006/usulan.csv')).toBe('usulan.csv');
    expect(safeFileName('..\\\\..\\\\x.csv')).toBe('x.csv');
    expect(safeFileName('6203011205850001 Budi.csv')).toBe('6203x0001 Budi.csv');
    expect(safeFileName('usulan\r\nBcc.csv')).toBe('usulan__Bcc.csv');
    expect(safeFileName('...')).toBe('usulan');
  });
});
