/**
 * Uploads a proposal spreadsheet the way a signed-in operator does, then follows the proposal until
 * it stops moving or waits for someone: asks the API for a presigned upload (`POST /uploads`), PUTs
 * the file with the signed headers, and polls `GET /proposals?uploadKey=`.
 *
 *   npm run upload -- <file.xlsx|file.csv> [programmeId] [villageCode]
 *
 * Signs in as the local stack's demo operator (stack.json `users.operator`), or sends the ID token in
 * JARING_TOKEN (for example one from `POST /session` of a deployed stack, with JARING_API set).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [file, programmeId = 'kapuas-2026-apbd', villageCode = '62.03.01.2011'] = process.argv.slice(2);
if (!file) {
  console.error('Usage: npm run upload -- <file.xlsx|file.csv> [programmeId] [villageCode]');
  process.exit(2);
}
const home = process.env.JARING_HOME ?? join(import.meta.dirname, '..', '.jaring');
const info = process.env.JARING_API ? undefined : JSON.parse(readFileSync(join(home, 'stack.json'), 'utf-8'));
const apiUrl: string = process.env.JARING_API ?? info.api;
const token: string = process.env.JARING_TOKEN ?? info.users.operator.token;
const auth = { authorization: `Bearer ${token}` };

const granted = await fetch(`${apiUrl}/uploads`, {
  method: 'POST',
  headers: { ...auth, 'content-type': 'application/json' },
  body: JSON.stringify({ programmeId, villageCode, fileName: basename(file) }),
});
const grant = (await granted.json()) as {
  uploadKey: string;
  url: string;
  headers: Record<string, string>;
  message?: string;
};
if (granted.status !== 201) {
  console.error(`Upload refused (${granted.status}): ${grant.message ?? JSON.stringify(grant)}`);
  process.exit(1);
}
const put = await fetch(grant.url, { method: 'PUT', headers: grant.headers, body: readFileSync(file) });
if (!put.ok) {
  console.error(`The bucket refused the file (${put.status}): ${await put.text()}`);
  process.exit(1);
}
console.log(`Uploaded ${grant.uploadKey}`);

const settled = [
  'INVALID',
  'AWAITING_APPROVAL',
  'REJECTED',
  'EXPIRED',
  'ENROLLED',
  'PARTIALLY_ENROLLED',
  'FAILED',
  'SUPERSEDED',
  'CANCELLED',
];
let last = '';
for (let i = 0; i < 240; i++) {
  await new Promise((r) => setTimeout(r, 500));
  const res = await fetch(`${apiUrl}/proposals?uploadKey=${encodeURIComponent(grant.uploadKey)}`, { headers: auth });
  if (res.status === 404) continue;
  const p = (await res.json()) as Record<string, any>;
  if (p.status !== last)
    console.log(
      `${p.id}: ${p.status} (${p.statusText}) rows=${p.rows} valid=${p.valid} invalid=${p.invalid} enrolled=${p.enrolled}`,
    );
  last = p.status;
  if (settled.includes(p.status)) {
    if (p.reason) console.log(`  reason: ${p.reason.message}`);
    console.log(`  page: ${apiUrl}/app/proposals/${p.id}`);
    if (p.status === 'AWAITING_APPROVAL' && info) console.log(`  approval mail: ${info.mail.web}`);
    break;
  }
}
