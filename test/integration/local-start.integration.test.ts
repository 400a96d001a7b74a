import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/jaring-function';
import { DEFAULT_PORTS } from '../../infra/local/stack';

/**
 * `npm start` as a user runs it, in its own process group as a terminal runs a job, stopped the
 * ways a user stops it. Whatever way, nothing it started may outlive it: not Node, not DynamoDB
 * Local's Java (which would keep its port and its data directory's lock).
 */
let group: number | undefined;
afterEach(() => {
  // A failed test must not leave a stack behind (the whole group: Java included).
  if (group && processesIn(group).length) process.kill(-group, 'SIGKILL');
  group = undefined;
});

/** Starts `npm start` (without its set-up pre-script) on free ports; resolves once it says it is running. */
async function npmStart(): Promise<{ npm: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const ports = Object.fromEntries(
    Object.keys(DEFAULT_PORTS).map((name) => [`JARING_${name.toUpperCase()}_PORT`, '0']),
  );
  const npm = spawn('npm', ['start', '--ignore-scripts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...ports, JARING_HOME: mkdtempSync(join(tmpdir(), 'jaring-npm-start-')) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  group = npm.pid!;
  let output = '';
  npm.stdout!.on('data', (d: Buffer) => (output += d));
  npm.stderr!.on('data', (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const ready = () => output.includes('Press Ctrl-C to stop.') && resolve();
    npm.stdout!.on('data', ready);
    void exited.then(() => reject(new Error(`npm start exited before it was ready:\n${output}`)));
  });
  return { npm, output: () => output, exited };
}

/** npm's exit code, or 'still running' if it has not exited within the time (a failure, not a wait). */
const exitWithin = (exited: Promise<number | null>, ms: number) =>
  Promise.race([
    exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms).unref()),
  ]);

/** The processes left in a process group (`ps` lists none once all have exited). */
function processesIn(pgid: number): string[] {
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Waits until the group is empty (each check is `ps`; the deadline only bounds a failure). */
async function groupGone(pgid: number, deadlineMs = 30_000): Promise<string[]> {
  const until = Date.now() + deadlineMs;
  let left = processesIn(pgid);
  while (left.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    left = processesIn(pgid);
  }
  return left;
}

describe('npm start, stopped', () => {
  it('by SIGINT to npm alone (kill -INT <pid of npm start>): stops the stack, Java included, and exits', async () => {
    const { npm, exited, output } = await npmStart();
    expect(processesIn(npm.pid!).some((p) => p.includes('DynamoDBLocal.jar'))).toBe(true);
    process.kill(npm.pid!, 'SIGINT');
    expect(await exitWithin(exited, 60_000)).not.toBe('still running');
    expect(await groupGone(npm.pid!)).toEqual([]);
    expect(output()).toContain('stopped dynamodb');
  }, 300_000);

  it('by Ctrl-C twice (SIGINT to the whole group, again while stopping): nothing is left', async () => {
    const { npm, exited, output } = await npmStart();
    process.kill(-npm.pid!, 'SIGINT');
    await new Promise<void>((resolve) => {
      const stopping = () => output().includes('stopping') && resolve();
      npm.stdout!.on('data', stopping);
      stopping();
    });
    process.kill(-npm.pid!, 'SIGINT');
    expect(await exitWithin(exited, 60_000)).not.toBe('still running');
    expect(await groupGone(npm.pid!)).toEqual([]);
  }, 300_000);

  it('by SIGTERM to npm alone: the same', async () => {
    const { npm, exited } = await npmStart();
    process.kill(npm.pid!, 'SIGTERM');
    expect(await exitWithin(exited, 60_000)).not.toBe('still running');
    expect(await groupGone(npm.pid!)).toEqual([]);
  }, 300_000);

  it('by kill -9 of npm (no signal reaches the stack): the stack notices its parent went, and stops', async () => {
    const { npm, exited } = await npmStart();
    process.kill(npm.pid!, 'SIGKILL');
    await exited;
    expect(await groupGone(npm.pid!)).toEqual([]);
  }, 300_000);
});
