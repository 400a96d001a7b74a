/**
 * `npm run bench`: the speed and memory targets, measured (never asserted in timed tests).
 * Runs each benchmark in its own Node process with the flags its Lambda gets, so peak RSS is its own.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const benches = [
  {
    name: 'validate a 100,000-row XLSX as the 512 MB validating Lambda would (heap capped at 300 MB)',
    script: join(import.meta.dirname, 'validate-100k.ts'),
    nodeOptions: '--max-old-space-size=300',
    args: process.argv.slice(2),
  },
  {
    name: 'bill a month on the local stack (participants: BENCH_BILLING_PARTICIPANTS, default 100,000)',
    script: join(import.meta.dirname, 'billing.ts'),
    nodeOptions: '',
    args: [],
  },
];

for (const bench of benches) {
  console.log(`\n# ${bench.name}`);
  execFileSync(process.execPath, ['--import', 'tsx', bench.script, ...bench.args], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, bench.nodeOptions].filter(Boolean).join(' ') },
  });
}
