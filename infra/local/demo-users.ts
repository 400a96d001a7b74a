import type { Role } from '../../functions/core/access/principal';
import type { DemoUser } from './cognito-local';

/** The password every local demo user gets: the local stack only, never a deployment. */
const DEMO_PASSWORD = 'Jaring-Lokal-2026!';

/** Real Kapuas villages the demo operator works for (Kecamatan Selat): two desa and a kelurahan. */
const DEMO_OPERATOR_VILLAGES = ['62.03.01.2011', '62.03.01.2020', '62.03.01.1006'];

const KAPUAS = '62.03';
const KUBU_RAYA = '61.12';

/** Real Kubu Raya desa the second regency's demo operator works for (Kec. Rasau Jaya): Bintang Mas, Pematang Tujuh. */
const KUBU_RAYA_OPERATOR_VILLAGES = ['61.12.07.2005', '61.12.07.2006'];

/** One user per role in Kabupaten Kapuas, created (or brought up to date) at every `npm start`, as the others are. */
const DEMO_USERS: Record<Role, DemoUser> = {
  operator: {
    username: 'operator-pulau-telo',
    password: DEMO_PASSWORD,
    email: 'operator@desa-pulau-telo.local',
    group: 'operator',
    attributes: { 'custom:regency': KAPUAS, 'custom:villages': DEMO_OPERATOR_VILLAGES.join(' ') },
  },
  verifier: {
    username: 'verifikator-dinsos',
    password: DEMO_PASSWORD,
    email: 'verifikator@dinsos-kapuas.local',
    group: 'verifier',
    attributes: { 'custom:regency': KAPUAS },
  },
  approver: {
    username: 'kepala-dinsos',
    password: DEMO_PASSWORD,
    email: 'kepala@dinsos-kapuas.local',
    group: 'approver',
    attributes: { 'custom:regency': KAPUAS },
  },
  finance: {
    username: 'bendahara-dinsos',
    password: DEMO_PASSWORD,
    email: 'bendahara@dinsos-kapuas.local',
    group: 'finance',
    attributes: { 'custom:regency': KAPUAS },
  },
  auditor: {
    username: 'auditor-inspektorat',
    password: DEMO_PASSWORD,
    email: 'auditor@inspektorat-kapuas.local',
    group: 'auditor',
    attributes: { 'custom:regency': KAPUAS },
  },
  admin: {
    username: 'admin-dinsos',
    password: DEMO_PASSWORD,
    email: 'admin@dinsos-kapuas.local',
    group: 'admin',
    attributes: { 'custom:regency': KAPUAS },
  },
};

/**
 * The second regency side by side (issue 13): Kubu Raya's Dinas Sosial and a desa operator, and an
 * auditor given both regencies (BPK audits every regency). Keyed as they appear in stack.json's `users`;
 * usernames distinct from Kapuas's, which stay as they are.
 */
const OTHER_DEMO_USERS = {
  kubuRayaOperator: {
    username: 'operator-rasau-jaya',
    password: DEMO_PASSWORD,
    email: 'operator@desa-bintang-mas.local',
    group: 'operator',
    attributes: { 'custom:regency': KUBU_RAYA, 'custom:villages': KUBU_RAYA_OPERATOR_VILLAGES.join(' ') },
  },
  kubuRayaVerifier: {
    username: 'verifikator-dinsos-kuburaya',
    password: DEMO_PASSWORD,
    email: 'verifikator@dinsos-kuburaya.local',
    group: 'verifier',
    attributes: { 'custom:regency': KUBU_RAYA },
  },
  kubuRayaApprover: {
    username: 'kepala-dinsos-kuburaya',
    password: DEMO_PASSWORD,
    email: 'kepala@dinsos-kuburaya.local',
    group: 'approver',
    attributes: { 'custom:regency': KUBU_RAYA },
  },
  kubuRayaAdmin: {
    username: 'admin-dinsos-kuburaya',
    password: DEMO_PASSWORD,
    email: 'admin@dinsos-kuburaya.local',
    group: 'admin',
    attributes: { 'custom:regency': KUBU_RAYA },
  },
  auditorBothRegencies: {
    username: 'auditor-bpk',
    password: DEMO_PASSWORD,
    email: 'auditor@bpk.local',
    group: 'auditor',
    attributes: { 'custom:regency': KAPUAS, 'custom:regencies': `${KAPUAS} ${KUBU_RAYA}` },
  },
} as const satisfies Record<string, DemoUser>;

/** A demo user's key in stack.json's `users`: a Kapuas role, or one of the others (kubuRayaOperator ...). */
export type DemoUserKey = Role | keyof typeof OTHER_DEMO_USERS;

/** Every demo user by its key in stack.json's `users`: one per role in Kapuas, then the others. */
export const ALL_DEMO_USERS: Record<DemoUserKey, DemoUser> = {
  ...DEMO_USERS,
  ...OTHER_DEMO_USERS,
};

/** The villages a demo user works for, as its attribute lists them (operators only). */
export const villagesOfDemoUser = (user: DemoUser): string[] | undefined =>
  user.attributes['custom:villages']?.split(' ').filter(Boolean);
