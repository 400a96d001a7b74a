/**
 * `npm run bench`: a regency's proposals at scale, measured in one run and set beside their targets
 * (issue 12). Timings are never asserted in tests; they are here, each beside a floor taken in the same
 * run on the same machine, so a loaded machine moves both.
 *
 *   npm run bench                          1,000, 10,000 and 100,000 rows
 *   npm run bench -- --rows 1000,10000     other sizes (the largest gives the peak RSS)
 *   npm run bench -- --e2e-rows 1000,10000 end to end for these sizes only (validation still for all;
 *                                          `none`: validation alone)
 *   npm run bench -- --billing             also bill a month (billing.ts; BENCH_BILLING_PARTICIPANTS)
 *   BENCH_PROFILE=1 npm run bench          CPU profiles (validating runs, the end-to-end process) in
 *                                          .jaring/bench/profiles
 *
 * 1. Files: one XLSX per size (proposal-file.ts), each with NIKs of its own.
 * 2. Validation alone: the bare parse and validateProposal (validation.ts, bundled as the Lambda is),
 *    each in a process of its own started with the validating Lambda's NODE_OPTIONS, alternately, twice
 *    each; the faster of each pair is kept (the machine's load only ever adds).
 * 3. End to end on the local stack, each size beside its floor (enrollment.ts).
 * Prints the table and writes .jaring/bench/scale.json (git-ignored, as the local stack's home is).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRICES } from './prices';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const sizes = (arg('--rows') ?? '1000,10000,100000').split(',').map(Number);
/** Sizes run end to end (default: all): each size's floor and run on DynamoDB Local take minutes per 10,000. */
const e2eSizes = arg('--e2e-rows') === 'none' ? [] : (arg('--e2e-rows') ?? sizes.join(',')).split(',').map(Number);
const withBilling = process.argv.includes('--billing');

/**
 * The validating Lambda's settings (workflows/enrollment/enrollment-workflow.ts): its heap cap, and no
 * `--enable-source-maps` (`sourceMapsAtRuntime: false`; every other function has it).
 */
const VALIDATING_LAMBDA = { memoryMb: 512, nodeOptions: '--max-old-space-size=300 --max-semi-space-size=4' };
const TARGETS = {
  e2eOverFloorAt10k: 2,
  validationOverParse: 1.5,
  peakRssMbAt100k: 256,
  transitionsPerProposal: 12,
  usdPer10kEnrolled: 0.05,
};

const here = import.meta.dirname;
const out = join(here, '..', '..', '.jaring', 'bench');
const profiles = join(out, 'profiles');
mkdirSync(out, { recursive: true });
if (process.env.BENCH_PROFILE) mkdirSync(profiles, { recursive: true });

function node(script: string, args: string[], nodeOptions = '', flags: string[] = []) {
  return execFileSync(process.execPath, [...flags, '--import', 'tsx', join(here, script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, nodeOptions].filter(Boolean).join(' ') },
    maxBuffer: 64 * 1024 * 1024,
  });
}

// --- 1. files -----------------------------------------------------------------------------------------
let first = 0;
const files = sizes.map((rows) => {
  const file = join(out, `usulan-${rows}.xlsx`);
  const t = Date.now();
  node('proposal-file.ts', [file, String(rows), String(first)]);
  console.log(`# ${rows.toLocaleString('en')} rows written to ${file} in ${Date.now() - t} ms`);
  const spec = { rows, file, first };
  first += rows;
  return spec;
});

// --- 2. validation alone ------------------------------------------------------------------------------
// Bundled as the Lambda's function is (infra/constructs/jaring-function.ts: ESM, node22, minified, the SDK
// inside, a require() banner) and run by plain node: its RSS is then the function's, not tsx's as well.
const bundle = join(out, 'validation.mjs');
execFileSync(
  join(here, '..', '..', 'node_modules', '.bin', 'esbuild'),
  [
    join(here, 'validation.ts'),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node22',
    '--minify',
    '--sourcemap',
    `--outfile=${bundle}`,
    "--banner:js=import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    '--log-level=warning',
  ],
  { stdio: 'inherit' },
);
type Parse = { ms: number; rows: number; peakRssMb: number; maxRssMb: number };
type Validate = Parse & { validateMs: number; reportMs: number; counts: { valid: number }; rssAtStartMb: number };
const validation = files.map(({ rows, file }) => {
  const runs: { parse: Parse[]; validate: Validate[] } = { parse: [], validate: [] };
  for (let round = 0; round < 2; round++) {
    for (const mode of ['parse', 'validate'] as const) {
      const flags =
        process.env.BENCH_PROFILE && mode === 'validate' && round === 0
          ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`, `--cpu-prof-name=validate-${rows}.cpuprofile`]
          : [];
      const line = execFileSync(process.execPath, [...flags, bundle, mode, file], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, NODE_OPTIONS: VALIDATING_LAMBDA.nodeOptions },
      })
        .trim()
        .split('\n')
        .pop()!;
      (runs[mode] as unknown[]).push(JSON.parse(line));
    }
  }
  const parse = runs.parse.reduce((a, b) => (b.ms < a.ms ? b : a));
  const validate = runs.validate.reduce((a, b) => (b.ms < a.ms ? b : a));
  const { readAndRulesMs, claimsAndQuotaMs } = validate as Validate & {
    readAndRulesMs: number;
    claimsAndQuotaMs: number;
  };
  const peakRssMb = Math.max(...runs.validate.map((v) => v.maxRssMb));
  console.log(
    `# validation of ${rows.toLocaleString('en')} rows: parse ${s(parse.ms)}, rules and claims ${s(validate.validateMs)}, ` +
      `report ${s(validate.reportMs)}; peak RSS ${peakRssMb} MB`,
  );
  return {
    rows,
    parseMs: parse.ms,
    validateMs: validate.validateMs,
    readAndRulesMs,
    claimsAndQuotaMs,
    reportMs: validate.reportMs,
    functionMs: validate.ms,
    ratio: validate.validateMs / parse.ms,
    functionRatio: validate.ms / parse.ms,
    peakRssMb,
    rssAtStartMb: validate.rssAtStartMb,
    runs,
  };
});

// --- 3. end to end ------------------------------------------------------------------------------------
const e2eFile = join(out, 'enrollment.json');
if (e2eSizes.length)
  execFileSync(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`, '--cpu-prof-name=e2e.cpuprofile']
        : []),
      '--import',
      'tsx',
      join(here, 'enrollment.ts'),
      e2eFile,
      ...files.filter((f) => e2eSizes.includes(f.rows)).map((f) => `${f.rows}:${f.file}:${f.first}`),
    ],
    { stdio: 'inherit' },
  );
type Tally = { requests: number; items: number; awsUnits: number; indexUnits: number };
type E2e = {
  rows: number;
  enrolled: number;
  e2e: { ms: number; uploadToAwaitingApprovalMs: number; approvalToEnrolledMs: number };
  floor: { ms: number; parseMs: number; batchWriteMs: number };
  ratio: number;
  transactionFloor: { ms: number };
  transactionFloorRatio: number;
  states: Record<string, number>;
  transitions: number;
  lambdaInvocations: number;
  dynamodb: Record<string, Tally>;
  s3: Record<string, number>;
  lambda: Record<string, { invocations: number; ms: number; memoryMb: number }>;
};
const e2eAll = (e2eSizes.length ? JSON.parse(readFileSync(e2eFile, 'utf8')) : []) as (
  E2e | { rows: number; error: string }
)[];
const e2e = e2eAll.filter((r): r is E2e => !('error' in r));
const unfinished = e2eAll.filter((r): r is { rows: number; error: string } => 'error' in r);

const READS = new Set(['GetCommand', 'BatchGetCommand', 'QueryCommand', 'ScanCommand', 'TransactGetCommand']);
const costs = e2e.map((r) => {
  const per10k = 10_000 / r.enrolled;
  const units = (reads: boolean) =>
    Object.entries(r.dynamodb)
      .filter(([name]) => READS.has(name) === reads)
      .reduce((n, [, t]) => n + t.awsUnits + t.indexUnits, 0);
  const readUnits = units(true);
  const writeUnits = units(false);
  const requests = Object.values(r.dynamodb).reduce((n, t) => n + t.requests, 0);
  const s3Puts = Object.entries(r.s3)
    .filter(([n]) => /Put|Upload|Copy|Post|CreateMultipart|CompleteMultipart|List/.test(n))
    .reduce((a, [, n]) => a + n, 0);
  const s3Gets = Object.values(r.s3).reduce((a, n) => a + n, 0) - s3Puts;
  const invocations = Object.values(r.lambda).reduce((a, f) => a + f.invocations, 0);
  const gbSeconds = Object.values(r.lambda).reduce((a, f) => a + (f.ms / 1000) * (f.memoryMb / 1024), 0);
  const usd = {
    dynamodbWrites: (writeUnits / 1e6) * PRICES.dynamodbPerMillionWriteRequestUnits * per10k,
    dynamodbReads: (readUnits / 1e6) * PRICES.dynamodbPerMillionReadRequestUnits * per10k,
    lambda: (gbSeconds * PRICES.lambdaPerGbSecond + (invocations / 1e6) * PRICES.lambdaPerMillionRequests) * per10k,
    stepFunctions: (r.transitions / 1000) * PRICES.stepFunctionsStandardPerThousandTransitions * per10k,
    s3: ((s3Puts / 1000) * PRICES.s3PerThousandPuts + (s3Gets / 1000) * PRICES.s3PerThousandGets) * per10k,
  };
  const total = Object.values(usd).reduce((a, n) => a + n, 0);
  return { rows: r.rows, readUnits, writeUnits, requests, s3Puts, s3Gets, invocations, gbSeconds, usd, total };
});

// --- 4. the table -------------------------------------------------------------------------------------
const at = <T extends { rows: number }>(list: T[], rows: number) => list.find((x) => x.rows === rows);
const largest = Math.max(...sizes);
const verdict = (value: number | undefined, target: number, unit = '') =>
  value === undefined
    ? 'not measured (size not run)'
    : value <= target
      ? 'met'
      : `missed by ${fmt(value - target)}${unit} (${fmt(value / target)}x the target)`;
const columns = Object.fromEntries(sizes.map((n) => [n.toLocaleString('en'), n]));
const row = (pick: (rows: number) => string) =>
  Object.fromEntries(Object.entries(columns).map(([k, n]) => [k, pick(n)]));

const table: Record<string, Record<string, string>> = {
  'e2e: upload -> ENROLLED (s)': row((n) => s(at(e2e, n)?.e2e.ms)),
  '  upload -> AWAITING_APPROVAL (s)': row((n) => s(at(e2e, n)?.e2e.uploadToAwaitingApprovalMs)),
  '  approval -> ENROLLED (s)': row((n) => s(at(e2e, n)?.e2e.approvalToEnrolledMs)),
  'floor: parse + batch-write (s)': row((n) => s(at(e2e, n)?.floor.ms)),
  'ratio e2e / floor': row((n) => x(at(e2e, n)?.ratio)),
  'floor, transactions of 100 (s)': row((n) => s(at(e2e, n)?.transactionFloor.ms)),
  'ratio e2e / transaction floor': row((n) => x(at(e2e, n)?.transactionFloorRatio)),
  'BPJS at 2 requests/s would add at least (s)': row((n) => (n / 100 / 2).toFixed(0)),
  'validation: rules and claims (s)': row((n) => s(at(validation, n)?.validateMs)),
  '  of which reading and the rules (s)': row((n) => s(at(validation, n)?.readAndRulesMs)),
  '  outputs: workers, JSON and XLSX reports (s)': row((n) => s(at(validation, n)?.reportMs)),
  'bare parse (s)': row((n) => s(at(validation, n)?.parseMs)),
  'ratio validation / parse': row((n) => x(at(validation, n)?.ratio)),
  'ratio validating function / parse': row((n) => x(at(validation, n)?.functionRatio)),
  'validating function peak RSS (MB)': row((n) => String(at(validation, n)?.peakRssMb ?? '-')),
  'state transitions / proposal': row((n) => String(at(e2e, n)?.transitions ?? '-')),
  'Lambda invocations / proposal': row((n) => String(at(e2e, n)?.lambdaInvocations ?? '-')),
  'DynamoDB requests / proposal': row((n) => String(at(costs, n)?.requests ?? '-')),
  'DynamoDB read units / 10k enrolled': row((n) => per10k(at(costs, n)?.readUnits, at(e2e, n)?.enrolled)),
  'DynamoDB write units / 10k enrolled': row((n) => per10k(at(costs, n)?.writeUnits, at(e2e, n)?.enrolled)),
  'S3 PUT-class / GET-class / proposal': row((n) =>
    at(costs, n) ? `${at(costs, n)!.s3Puts} / ${at(costs, n)!.s3Gets}` : '-',
  ),
  'Lambda GB-s / proposal (local time)': row((n) => fmt(at(costs, n)?.gbSeconds)),
  [`US$ / 10k enrolled (${PRICES.region}, ${PRICES.asOf})`]: row((n) => usd(at(costs, n)?.total)),
};
console.log('\n# Proposals at scale (issue 12)');
console.table(table);
for (const u of unfinished) console.log(`${u.rows.toLocaleString('en')} rows end to end did not finish: ${u.error}`);
const costAt10k = at(costs, 10_000) ?? costs.at(-1);
console.log(`\n# Cost per 10,000 enrolled workers at ${costAt10k?.rows.toLocaleString('en')} rows a proposal (US$)`);
console.table(Object.fromEntries(Object.entries(costAt10k?.usd ?? {}).map(([k, v]) => [k, usd(v)])));

const most = e2e.length ? Math.max(...e2e.map((r) => r.transitions)) : undefined;
const targets = {
  'e2e / transaction floor at 10,000 rows': [
    x(at(e2e, 10_000)?.transactionFloorRatio),
    `<= ${TARGETS.e2eOverFloorAt10k}x (a lower floor than the issue's)`,
    verdict(at(e2e, 10_000)?.transactionFloorRatio, TARGETS.e2eOverFloorAt10k, 'x'),
  ],
  'e2e / floor at 10,000 rows': [
    x(at(e2e, 10_000)?.ratio),
    `<= ${TARGETS.e2eOverFloorAt10k}x`,
    verdict(at(e2e, 10_000)?.ratio, TARGETS.e2eOverFloorAt10k, 'x'),
  ],
  'validation / parse (largest)': [
    x(at(validation, largest)?.ratio),
    `<= ${TARGETS.validationOverParse}x`,
    verdict(at(validation, largest)?.ratio, TARGETS.validationOverParse, 'x'),
  ],
  'peak RSS at 100,000 rows': [
    `${at(validation, 100_000)?.peakRssMb ?? '-'} MB`,
    `< ${TARGETS.peakRssMbAt100k} MB`,
    verdict(at(validation, 100_000)?.peakRssMb, TARGETS.peakRssMbAt100k - 1, ' MB'),
  ],
  'transitions / proposal (most)': [
    String(most ?? '-'),
    `<= ${TARGETS.transitionsPerProposal}`,
    verdict(most, TARGETS.transitionsPerProposal),
  ],
  'US$ / 10k enrolled (10,000-row proposals)': [
    usd(costAt10k?.total),
    `< ${usd(TARGETS.usdPer10kEnrolled)}`,
    verdict(costAt10k?.total, TARGETS.usdPer10kEnrolled, ' US$'),
  ],
};
console.log('\n# Targets');
console.table(
  Object.fromEntries(Object.entries(targets).map(([k, [value, target, result]]) => [k, { value, target, result }])),
);
console.log(`Prices: ${JSON.stringify(PRICES)}`);

writeFileSync(
  join(out, 'scale.json'),
  JSON.stringify(
    {
      at: new Date().toISOString(),
      sizes,
      validatingLambda: VALIDATING_LAMBDA,
      targets: TARGETS,
      table,
      verdicts: targets,
      validation,
      e2e: e2eAll,
      costs,
      prices: PRICES,
    },
    null,
    2,
  ),
);
console.log('written .jaring/bench/scale.json (and enrollment.json beside it)');
if (process.env.BENCH_PROFILE)
  console.log(
    `CPU profiles in ${profiles} (open in Chrome DevTools, or: npx tsx test/bench/profile-summary.ts <file>)`,
  );

// --- billing, on request --------------------------------------------------------------------------------
if (withBilling) {
  console.log('\n# bill a month on the local stack (participants: BENCH_BILLING_PARTICIPANTS, default 100,000)');
  execFileSync(process.execPath, ['--import', 'tsx', join(here, 'billing.ts')], { stdio: 'inherit' });
}

function fmt(n: number | undefined) {
  return n === undefined ? '-' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
function s(ms: number | undefined) {
  return ms === undefined ? '-' : (ms / 1000).toFixed(2);
}
function x(ratio: number | undefined) {
  return ratio === undefined ? '-' : `${ratio.toFixed(2)}x`;
}
function usd(n: number | undefined) {
  return n === undefined ? '-' : `$${n.toFixed(4)}`;
}
function per10k(units: number | undefined, enrolled: number | undefined) {
  return units === undefined || !enrolled ? '-' : Math.round((units * 10_000) / enrolled).toLocaleString('en');
}
