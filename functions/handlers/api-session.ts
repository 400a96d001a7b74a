import * as z from 'zod';
import { actionsOf } from '../core/access/offers';
import { APP_SCRIPT } from '../pages/app-script';
import { consoleCsp, shellPage, signInPage } from '../pages/console-pages';
import { WeakPasswordError } from '../ports/authenticator';
import { bodyFields, HttpError, httpHandler, json, principalOf, redirect, type HttpResult } from './http';
import { authenticator, uploadOrigins } from '../wiring/authenticator';
import { chartScript } from '../wiring/chart-script';
import { once } from '../wiring/settings';

const SignIn = z.object({
  username: z.string().trim().min(1).max(128),
  password: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256).optional(),
  session: z.string().max(4096).optional(),
});

export const wiring = once(() => ({ authenticator: authenticator(), uploadOrigins: uploadOrigins() }));

const REFUSED = new HttpError(401, 'SIGN_IN_REFUSED', 'Nama pengguna atau kata sandi salah, atau akun tidak aktif.');

const page = (body: string): HttpResult => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': consoleCsp(wiring().uploadOrigins),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  },
  body,
});

/**
 * What a signed-out person may reach: the sign-in page and its POST, the console's shell and
 * script (which hold no data), and health. `GET /me` is the one signed-in route here.
 */
export const handler = httpHandler(async (event) => {
  const { authenticator } = wiring();
  switch (event.routeKey) {
    case 'GET /health':
      return json(200, { ok: true });
    case 'GET /':
      return redirect('/app/home');
    case 'GET /masuk':
      return page(signInPage());
    case 'GET /app':
    case 'GET /app/{path+}':
      return page(shellPage());
    case 'GET /app.js':
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/javascript; charset=utf-8',
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
        body: APP_SCRIPT,
      };
    case 'GET /vendor/chart.js':
      // Chart.js for the dashboard's charts, from this site (the console allows scripts from itself only);
      // the library's own code, no data, so it may be cached.
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/javascript; charset=utf-8',
          'x-content-type-options': 'nosniff',
          'cache-control': 'public, max-age=86400',
        },
        body: chartScript(),
      };
    case 'POST /session': {
      // JSON only, from the body only: a form post from another site (text/plain, urlencoded) or
      // credentials in a URL (and so in access logs) are refused.
      if (!(event.headers['content-type'] ?? '').startsWith('application/json')) {
        throw new HttpError(415, 'JSON_REQUIRED', 'Kirim nama pengguna dan kata sandi sebagai JSON.');
      }
      const form = SignIn.parse(bodyFields(event));
      const result =
        form.newPassword && form.session
          ? await authenticator
              .setNewPassword(form.username, form.session, form.newPassword)
              .catch((error: unknown) => {
                if (error instanceof WeakPasswordError) {
                  throw new HttpError(
                    400,
                    'WEAK_PASSWORD',
                    'Kata sandi baru terlalu lemah: minimal 12 karakter dengan huruf besar, huruf kecil, angka dan simbol.',
                  );
                }
                throw error;
              })
          : await authenticator.signIn(form.username, form.password);
      if (result.kind === 'refused') throw REFUSED;
      if (result.kind === 'new-password-required') {
        return json(200, {
          challenge: 'NEW_PASSWORD_REQUIRED',
          session: result.session,
          message: 'Ini masuk pertama Anda: buat kata sandi baru, lalu tekan Masuk.',
        });
      }
      return json(200, { idToken: result.idToken, tokenType: 'Bearer', expiresInSeconds: result.expiresInSeconds });
    }
    case 'GET /me': {
      const p = principalOf(event);
      return json(200, {
        id: p.id,
        username: p.username,
        email: p.email,
        roles: p.roles,
        regency: p.regency,
        regencies: p.regencies,
        villages: p.villages,
        // What the console's navigation offers: every action the policy lets the user do somewhere.
        actions: actionsOf(p),
      });
    }
    default:
      throw new HttpError(404, 'NOT_FOUND', 'Alamat tidak dikenal.');
  }
});
