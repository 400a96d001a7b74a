import { regenciesOf, type Principal, type Role } from './principal';

/**
 * Who may do what, decided here and nowhere else. Handlers ask `authorize` before they read or
 * change anything; buttons a page hides are a courtesy, this is the rule.
 *
 * Scope: `village` means only the villages on the user (operators); `regency` means every village
 * of the user's regency. Nobody reaches another regency's data, with one exception: an auditor
 * (Inspektorat, BPK) may be given several regencies and reaches each of them as auditor. Every
 * other role works for its home regency only, whatever else the user's attribute lists, so an
 * operator, verifier, approver, finance officer or admin of one regency sees nothing of another.
 */
export type Scope = 'village' | 'regency';

export const ACTIONS = {
  /** Programmes, their quotas and templates (no personal data). */
  'programme:read': {
    operator: 'regency',
    verifier: 'regency',
    approver: 'regency',
    finance: 'regency',
    auditor: 'regency',
    admin: 'regency',
  },
  /**
   * Creating and changing a programme (issue 13): the admin of the programme's regency, nobody else,
   * and nobody for another regency's. Its history (who changed what) is `programme:read`.
   */
  'programme:manage': { admin: 'regency' },
  /** A proposal's status, counts and reasons (NIKs masked). */
  'proposal:read': {
    operator: 'village',
    verifier: 'regency',
    approver: 'regency',
    auditor: 'regency',
    admin: 'regency',
  },
  /** The validation report: every row whole (NIK, name, birth date). Opening it is an audit event. */
  'proposal:report': { operator: 'village', verifier: 'regency', approver: 'regency', auditor: 'regency' },
  /** The audit trail of a proposal (NIKs masked). */
  'proposal:history': {
    operator: 'village',
    verifier: 'regency',
    approver: 'regency',
    auditor: 'regency',
    admin: 'regency',
  },
  /** A presigned upload of a proposal sheet for a village. */
  'proposal:upload': { operator: 'village' },
  /** Starting a FAILED proposal again, or cancelling it: Dinas Sosial's call. */
  'proposal:redrive': { verifier: 'regency', admin: 'regency' },
  'proposal:cancel': { verifier: 'regency', admin: 'regency' },
  /**
   * Participants and their coverage month by month: lists with NIKs masked; one participant's record
   * whole (their NIK as asked for, KPJ, status, scholarship clock), each opening an audit event.
   */
  'participant:read': {
    operator: 'village',
    verifier: 'regency',
    approver: 'regency',
    finance: 'regency',
    auditor: 'regency',
    admin: 'regency',
  },
  /** Monthly bills: status, amounts, payments, per-village lines (counts, no personal data). */
  'bill:read': { verifier: 'regency', approver: 'regency', finance: 'regency', auditor: 'regency', admin: 'regency' },
  /** Recording a payment against a bill: finance's, who holds the bank's proof. */
  'bill:pay': { finance: 'regency' },
  /**
   * A village's participants carried into the next period's proposal (validated and approved like any
   * upload): the village's operator, or Dinas Sosial for any village of the regency.
   */
  'renewal:request': { operator: 'village', verifier: 'regency', admin: 'regency' },
  /**
   * Filing a claim (issue 10): the village's operator, or Dinas Sosial's verifier on a family's behalf
   * for any village of the regency; uploading its documents goes with it.
   */
  'claim:file': { operator: 'village', verifier: 'regency' },
  /** A claim's status, benefit, documents, decisions and payouts; heirs' NIKs masked and accounts masked. */
  'claim:read': {
    operator: 'village',
    verifier: 'regency',
    approver: 'regency',
    finance: 'regency',
    auditor: 'regency',
    admin: 'regency',
  },
  /** A claim's documents (KTP, KK, death certificate, bank book): who filed them, checks, decides or audits. */
  'claim:documents': { operator: 'village', verifier: 'regency', approver: 'regency', auditor: 'regency' },
  /** Checking a claim's documents and computation, and marking it verified or rejecting it (the maker). */
  'claim:verify': { verifier: 'regency' },
  /** Approving a verified claim (the checker): the approver, as on the mailed link. */
  'claim:approve': { approver: 'regency' },
  /** The heirs' bank accounts whole (they are paid to): only who checks, approves or audits the payout. */
  'claim:bank-account': { verifier: 'regency', approver: 'regency', auditor: 'regency' },
  /**
   * The auditor's console (issue 11): search, an entity's timeline with its chain verified, and their
   * exports. Each kind is narrowed further by its own read action (proposal:history, participant:read,
   * bill:read, claim:read), so finance traces bills, participants and claims but not proposals.
   */
  'audit:read': {
    operator: 'village',
    verifier: 'regency',
    approver: 'regency',
    finance: 'regency',
    auditor: 'regency',
    admin: 'regency',
  },
} as const satisfies Record<string, Partial<Record<Role, Scope>>>;
export type Action = keyof typeof ACTIONS;

/** What an action is about: the village it concerns (or only the regency, for regency-wide things). */
export type Resource = { villageCode: string } | { regency: string };

/**
 * `allow`; `deny` (403: the user may know it exists but may not do this); or `hide` (404: the user
 * may not even know it exists, e.g. an operator asking for another village's proposal).
 */
export type Decision = 'allow' | 'deny' | 'hide';

const regencyOf = (r: Resource) => ('villageCode' in r ? r.villageCode.slice(0, 5) : r.regency);

/** The regencies a role of the user works in: the auditor's every listed one, any other role's home regency. */
const regenciesOfRole = (p: Principal, role: Role): readonly string[] =>
  role === 'auditor' ? regenciesOf(p) : [p.regency];

/** Every regency the user reaches through any of their roles, home first. */
export const regenciesReached = (p: Principal): readonly string[] => [
  ...new Set(p.roles.flatMap((role) => regenciesOfRole(p, role))),
];

function reaches(p: Principal, role: Role, scope: Scope | undefined, r: Resource): boolean {
  if (!scope || !regenciesOfRole(p, role).includes(regencyOf(r))) return false;
  if (scope === 'regency') return true;
  return 'villageCode' in r && p.villages.includes(r.villageCode);
}

function can(p: Principal, action: Action, r: Resource): boolean {
  const rule = ACTIONS[action] as Partial<Record<Role, Scope>>;
  return p.roles.some((role) => reaches(p, role, rule[role], r));
}

export function authorize(p: Principal, action: Action, r: Resource): Decision {
  if (can(p, action, r)) return 'allow';
  if (!('villageCode' in r)) return 'deny';
  // Someone who may see the village's proposals learns that they may not do this; anyone else learns nothing.
  return can(p, 'proposal:read', r) ? 'deny' : 'hide';
}
