import { existsSync, readFileSync } from 'node:fs';
import { createRequire as requireFrom } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from './settings';

/** Chart.js's browser build (UMD, minified): what the console's dashboard loads from /vendor/chart.js. */
export const CHART_SCRIPT_FILE = 'chart.umd.min.js';

/**
 * The Chart.js browser build, read once. In the Lambda bundle it lies beside the bundled handler
 * (copied there when the function is bundled: `copyFiles` in infra/constructs/jaring-function.ts);
 * run from source (the local stack, tests) there is no bundle, and it is read from the package the
 * lockfile pins. The package exports no path to its UMD file, so it is found beside its main file.
 */
export const chartScript = once((): string => {
  const bundled = join(dirname(fileURLToPath(import.meta.url)), CHART_SCRIPT_FILE);
  const file = existsSync(bundled)
    ? bundled
    : join(dirname(requireFrom(import.meta.url).resolve('chart.js')), CHART_SCRIPT_FILE);
  return readFileSync(file, 'utf8');
});
