import { describe, expect, it } from 'vitest';
import { ACTIONS, authorize, regenciesReached, type Action } from '../../../functions/core/access/policy';
import {
  NotSignedInError,
  principalFromClaims,
  regenciesOf,
  Role,
  type Principal,
} from '../../../functions/core/access/principal';

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

  it('lets an auditor given both regencies read both, and nobody reach a regency not on them', () => {
    const both: Principal = { ...as('auditor'), regencies: ['62.03', '61.12'] };
    for (const action of ['proposal:read', 'proposal:report', 'participant:read', 'claim:read'] as const) {
      expect(authorize(both, action, { villageCode: mine }), action).toBe('allow');
      expect(authorize(both, action, { villageCode: otherRegency }), action).toBe('allow');
      expect(authorize(both, action, { villageCode: '11.01.01.2001' }), action).toBe('hide');
    }
    expect(authorize(both, 'bill:read', { regency: '61.12' })).toBe('allow');
    // Read only in either: what the auditor may not do at home, they may not do in the other regency.
    expect(authorize(both, 'proposal:upload', { villageCode: otherRegency })).toBe('deny');
    expect(authorize(both, 'bill:pay', { regency: '61.12' })).toBe('deny');
    expect(regenciesReached(both)).toEqual(['62.03', '61.12']);
    expect(regenciesReached(as('auditor'))).toEqual(['62.03']);
  });

  it('keeps every other role in its home regency, whatever else the user lists', () => {
    for (const role of Role.options.filter((r) => r !== 'auditor')) {
      const listed: Principal = { ...as(role, role === 'operator' ? [mine] : []), regencies: ['62.03', '61.12'] };
      expect(authorize(listed, 'programme:read', { regency: '61.12' }), role).toBe('deny');
      expect(authorize(listed, 'participant:read', { villageCode: otherRegency }), role).toBe('hide');
      expect(authorize(listed, 'programme:read', { regency: '62.03' }), role).toBe('allow');
      expect(regenciesReached(listed), role).toEqual(['62.03']);
    }
    // An auditor who is also a verifier verifies at home only, and audits both.
    const twoHats: Principal = { ...as('auditor'), roles: ['verifier', 'auditor'], regencies: ['62.03', '61.12'] };
    expect(authorize(twoHats, 'proposal:redrive', { villageCode: mine })).toBe('allow');
    expect(authorize(twoHats, 'proposal:redrive', { villageCode: otherRegency })).toBe('deny');
    expect(authorize(twoHats, 'proposal:read', { villageCode: otherRegency })).toBe('allow');
  });

  it('gives a Kubu Raya operator their desa and nothing of Kapuas', () => {
    const kubuRaya: Principal = { ...as('operator', [otherRegency]), regency: '61.12' };
    expect(authorize(kubuRaya, 'proposal:upload', { villageCode: otherRegency })).toBe('allow');
    expect(authorize(kubuRaya, 'proposal:read', { villageCode: mine })).toBe('hide');
    expect(authorize(kubuRaya, 'programme:read', { regency: '62.03' })).toBe('deny');
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

  it("reads an auditor's regencies, home first, from the home attribute and the list beside it", () => {
    const auditor = { ...claims, 'cognito:groups': '[auditor]', 'custom:villages': undefined };
    expect(principalFromClaims({ ...auditor, 'custom:regencies': '61.12 62.03' })).toMatchObject({
      regency: '62.03',
      regencies: ['62.03', '61.12'],
    });
    expect(principalFromClaims({ ...auditor, 'custom:regency': '61.12 62.03' })).toMatchObject({
      regency: '61.12',
      regencies: ['61.12', '62.03'],
    });
    expect(principalFromClaims(auditor).regencies).toEqual(['62.03']);
    expect(regenciesOf({ regency: '62.03' })).toEqual(['62.03']);
    expect(() => principalFromClaims({ ...auditor, 'custom:regencies': '61.12 kapuas' })).toThrow(NotSignedInError);
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
