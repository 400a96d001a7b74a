/**
 * Where a CPU profile's time went (node --cpu-prof, or BENCH_PROFILE=1 npm run bench), by file and by
 * function, self time:   npx tsx test/bench/profile-summary.ts <file.cpuprofile> [lines]
 */
import { readFileSync } from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
const [file, lines = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [lines]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const byFile = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const { callFrame } = byId.get(id)!;
  const us = profile.timeDeltas[i] ?? 0;
  total += us;
  const url = callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*?\/(functions|test|infra)\//, '$1/');
  const where = url
    .split('/')
    .slice(0, url.startsWith('functions') || url.startsWith('test') ? 9 : 2)
    .join('/');
  byFile.set(where || callFrame.functionName, (byFile.get(where || callFrame.functionName) ?? 0) + us);
  const fn = `${callFrame.functionName || '(anonymous)'} ${url}:${callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
});
const top = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(lines))
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
console.log(
  `${(total / 1e6).toFixed(2)} s sampled\n\nby file (self time)\n${top(byFile)}\n\nby function (self time)\n${top(byFunction)}`,
);
