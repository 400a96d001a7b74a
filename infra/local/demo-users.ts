import type { Role } from '../../functions/core/access/principal';
import type { DemoUser } from './cognito-local';

/** The password every local demo user gets: the local stack only, never a deployment. */
const DEMO_PASSWORD = 'Jaring-Lokal-2026!';

/** Real Kapuas villages the demo operator works for (Kecamatan Selat): two desa and a kelurahan. */
export const DEMO_OPERATOR_VILLAGES = ['62.03.01.2011', '62.03.01.2020', '62.03.01.1006'];

const KAPUAS = '62.03';

/** One user per role in Kabupaten Kapuas, created (or brought up to date) at every `npm start`. */
export const DEMO_USERS: Record<Role, DemoUser> = {
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
