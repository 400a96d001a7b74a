/**
 * Uploads a proposal spreadsheet to the local stack (or any stack.json) with the AWS SDK's default
 * settings, then follows the proposal until it stops moving or waits for someone.
 *
 *   npm run upload -- <file.xlsx|file.csv> [programmeId] [villageCode] [operator-email]
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const [file, programmeId = 'kapuas-2026-apbd', villageCode = '62.03.01.2011', operator] = process.argv.slice(2);
if (!file) {
  console.error('Usage: npm run upload -- <file.xlsx|file.csv> [programmeId] [villageCode] [operator-email]');
  process.exit(2);
}
const home = process.env.JARING_HOME ?? join(import.meta.dirname, '..', '.jaring');
const info = JSON.parse(readFileSync(join(home, 'stack.json'), 'utf-8'));
const s3 = new S3Client({
  endpoint: info.s3.endpoint,
  region: info.region,
  forcePathStyle: true,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const key = `proposals/${programmeId}/${villageCode}/${basename(file)}`;
await s3.send(
  new PutObjectCommand({
    Bucket: info.s3.buckets.uploads,
    Key: key,
    Body: createReadStream(file),
    ContentLength: statSync(file).size,
    Metadata: operator ? { 'operator-email': operator } : undefined,
  }),
);
console.log(`Uploaded s3://${info.s3.buckets.uploads}/${key}`);

const settled = ['INVALID', 'AWAITING_APPROVAL', 'REJECTED', 'EXPIRED', 'ENROLLED', 'PARTIALLY_ENROLLED', 'FAILED'];
let last = '';
for (let i = 0; i < 120; i++) {
  await new Promise((r) => setTimeout(r, 500));
  const res = await fetch(`${info.api}/proposals?uploadKey=${encodeURIComponent(key)}`);
  const [p] = ((await res.json()) as { proposals: Record<string, any>[] }).proposals ?? [];
  if (!p) continue;
  if (p.status !== last) console.log(`${p.id}: ${p.status} (${p.statusText}) rows=${p.rows} valid=${p.valid} invalid=${p.invalid} enrolled=${p.enrolled}`);
  last = p.status;
  if (settled.includes(p.status)) {
    if (p.reason) console.log(`  reason: ${p.reason.message}`);
    console.log(`  details: ${p.links.self}`);
    if (p.status === 'AWAITING_APPROVAL') console.log(`  approval mail: ${info.mail.web}`);
    break;
  }
}
