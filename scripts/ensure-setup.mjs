// Runs before `npm start` and `npm test` (npm's pre-scripts), with whatever Node the machine has:
// it installs what a fresh clone lacks, so those two commands are all the set-up there is.
//  - the npm dependencies, from the lockfile, when node_modules is missing or older than it
//    (they include Node 22 itself, from the npm package `node`);
//  - Java 17 for DynamoDB Local, from Debian's packages, when there is no `java`;
//  - for the tests only (`--for-tests`): Debian's Chromium, which the browser tests drive headless
//    through playwright-core (Playwright's own browser download cannot run here).
// With `--deps-only` (before the unit and infrastructure tests, which start no local stack) it
// installs the npm dependencies and nothing else.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

const installed = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log('jaring: installing dependencies from package-lock.json (npm ci) ...');
  run('npm ci --no-audit --no-fund');
}

if (process.argv.includes('--deps-only')) process.exit(0);

const isRoot = process.getuid?.() === 0;
const hasApt = () => spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
let aptUpdated = false;
function aptInstall(pkg, why) {
  if (!isRoot || !hasApt()) return false;
  console.log(`jaring: installing ${pkg} for ${why} (apt-get) ...`);
  run(`${aptUpdated ? '' : 'apt-get update -qq && '}DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`);
  aptUpdated = true;
  return true;
}

if (
  spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0 &&
  !aptInstall('openjdk-17-jre-headless', 'DynamoDB Local')
) {
  console.error(
    'jaring: DynamoDB Local needs Java 17 or newer. Install it (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless) and run again.',
  );
  process.exit(1);
}

if (
  process.argv.includes('--for-tests') &&
  !existsSync('/usr/bin/chromium') &&
  !aptInstall('chromium', 'the browser tests')
) {
  console.error(
    'jaring: the browser tests need Chromium at /usr/bin/chromium (Debian/Ubuntu: sudo apt-get install chromium).',
  );
  process.exit(1);
}
