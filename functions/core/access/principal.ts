import * as z from 'zod';
import { VILLAGE_CODE } from '../proposals/upload-key';

/**
 * Who is asking, as the sign-in (Cognito) vouches for it. Roles are the user pool's groups; the
 * regency (or, for an auditor, the regencies) and an operator's villages are attributes on the user,
 * set by an admin, so who may see which village is data, not code.
 */
export const Role = z.enum(['operator', 'verifier', 'approver', 'finance', 'auditor', 'admin']);
export type Role = z.infer<typeof Role>;

/**
 * Custom attributes on the Cognito user (and so claims in its ID token). `regency` is the home
 * regency (5 characters: a deployed pool cannot widen a custom attribute, so the list has its own);
 * `regencies` lists, space separated like villages, every regency an auditor is given besides it.
 */
export const USER_ATTRIBUTES = { regency: 'regency', regencies: 'regencies', villages: 'villages' } as const;
const claimOf = (attribute: keyof typeof USER_ATTRIBUTES) => `custom:${USER_ATTRIBUTES[attribute]}`;

const regencyCode = z.string().regex(/^\d{2}\.\d{2}$/);
const villageCode = z.string().regex(VILLAGE_CODE);

export const Principal = z.object({
  /** The stable Cognito id (`sub`): what the audit trail names. */
  id: z.string().min(1),
  username: z.string().min(1),
  email: z.string().email().optional(),
  roles: z.array(Role).min(1),
  /** The home regency: the first of `regencies`. Every role but the auditor's works here only (policy.ts). */
  regency: regencyCode,
  /**
   * Every regency on the user, home first (`custom:regency`, then `custom:regencies`, space separated).
   * Optional so a principal built before regencies were a set still reads as its home regency alone:
   * read it through `regenciesOf`.
   */
  regencies: z.array(regencyCode).min(1).optional(),
  /** The villages an operator works for; empty for the regency-wide roles. */
  villages: z.array(villageCode),
});
export type Principal = z.infer<typeof Principal>;

/** The regencies on the user, home first; a principal without the list has its home regency only. */
export const regenciesOf = (p: Pick<Principal, 'regency' | 'regencies'>): readonly string[] =>
  p.regencies?.length ? p.regencies : [p.regency];

/** How the audit trail names a person: role and username, e.g. `operator:sari`. */
export const actorOf = (p: Principal) => `${p.roles[0]}:${p.username}`;

/**
 * API Gateway's JWT authorizer hands claims over as strings, arrays flattened to "[a b]"; the
 * local API does the same. Both shapes (and plain arrays, for tests) are read here.
 */
function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const inner = value.trim().replace(/^\[(.*)\]$/, '$1');
  return inner.split(/[\s,]+/).filter(Boolean);
}

export class NotSignedInError extends Error {
  override name = 'NotSignedInError';
}

/** The principal the token's claims describe; a token without a known role or regency grants nothing. */
export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal {
  if (!claims) throw new NotSignedInError('No verified token');
  // Home first; a list in the home attribute itself (a pool made without the limit) reads the same.
  const regencies = [...new Set([...list(claims[claimOf('regency')]), ...list(claims[claimOf('regencies')])])];
  const parsed = Principal.safeParse({
    id: claims.sub,
    username: claims['cognito:username'] ?? claims.username,
    email: typeof claims.email === 'string' && claims.email ? claims.email : undefined,
    roles: list(claims['cognito:groups']).filter((g) => Role.safeParse(g).success),
    regency: regencies[0],
    regencies,
    villages: list(claims[claimOf('villages')]),
  });
  if (!parsed.success)
    throw new NotSignedInError(
      `Token does not describe a Jaring user: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  return parsed.data;
}
