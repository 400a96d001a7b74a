import { constants } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORTS, startLocalStack } from './stack';

/**
 * `npm start`: the whole pipeline on this machine, in the foreground until Ctrl-C.
 * Ports come from JARING_<SERVICE>_PORT (0 picks a free one); data from JARING_HOME.
 */
const ports = Object.fromEntries(
  Object.keys(DEFAULT_PORTS).map((name) => {
    const value = process.env[`JARING_${name.toUpperCase()}_PORT`];
    return [name, value === undefined ? DEFAULT_PORTS[name as keyof typeof DEFAULT_PORTS] : Number(value)];
  }),
);
const verbose = process.env.JARING_VERBOSE === '1';

/**
 * Stopping. The first SIGINT, SIGTERM or SIGHUP (a closed terminal) stops every service and
 * exits; another one while stopping (Ctrl-C again), or one during start-up, exits at once:
 * the services run in this process, and DynamoDB Local's Java is ended on exit (see
 * dynamodb-local.ts). `npm start` runs this with `exec`, so a signal to npm reaches it (npm passes
 * SIGINT and SIGTERM to its script, and a shell between them would keep them). If the parent goes
 * without a signal (npm killed), this stops too: nobody would be left to stop it.
 */
let stack: Awaited<ReturnType<typeof startLocalStack>> | undefined;
let stopping = false;
const shutdown = async (signal: NodeJS.Signals) => {
  if (stopping || !stack) {
    console.log(`\nJaring: ${signal}, exiting now.`);
    process.exit(128 + constants.signals[signal]);
  }
  stopping = true;
  console.log('\nJaring: stopping ... (Ctrl-C again to exit at once)');
  await stack.stop();
  process.exit(0);
};
// `void`: a stop that fails rejects unhandled, which ends the process with its error, as Ctrl-C should.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, (s) => void shutdown(s));
const parent = process.ppid;
setInterval(() => process.ppid !== parent && !stopping && void shutdown('SIGHUP'), 1000).unref();

const started = Date.now();
console.log('Jaring: starting the local stack ...');
stack = await startLocalStack({
  ports,
  log: (line) => (verbose || !line.startsWith('lambda ') ? console.log(`  ${line}`) : undefined),
});
const { info } = stack;
// What starts each workflow, as the templates declare it: uploads (rules on S3's events) and schedules.
const workflowOf = (arn: string) =>
  Object.entries(info.stepfunctions.stateMachines).find(([, machine]) => machine === arn)?.[0] ?? arn;
const starts = [
  ...stack.router.uploadTriggers().map(({ bucket, prefix, stateMachineArns }) => {
    return `  Upload to          s3://${bucket}/${prefix}... starts ${stateMachineArns.map(workflowOf).join(', ')}`;
  }),
  ...stack.scheduler.schedules.map((s) => {
    const next = stack.scheduler.nextFireTime(s)?.toISOString() ?? 'never';
    const when = `${s.times.expression} ${s.times.timezone}`;
    return `  Schedule           ${s.name}: ${when}, next ${next}, starts ${workflowOf(s.target.arn)}`;
  }),
];
console.log(`
Jaring is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Data: ${info.home}
${starts.map((line) => `${line}\n`).join('')}  S3                 ${info.s3.endpoint}
  DynamoDB           ${info.dynamodb.endpoint}
  Step Functions     ${info.stepfunctions.endpoint}
  Scheduler          ${info.scheduler.endpoint}/schedules   (POST /schedules/<name>/fire {"time": "..."} fires one)
  EventBridge        ${info.events.endpoint}   (PutEvents)
  Console            ${info.api}/app/home   (search, timelines, exports, dashboard; sign in first)
  HTTP API           ${info.api}   (every route but sign-in and the approval link needs a token)
  Cognito            ${info.cognito.endpoint}
  Mail inbox         ${info.mail.web}
  BPJS sandbox       ${info.bpjs}
  Everything above   ${join(info.home, 'stack.json')}

Sign in at ${info.api}/masuk as one of the demo users (password ${Object.values(info.users)[0]?.password ?? '-'}):
${Object.entries(info.users)
  .map(([role, u]) => `  ${role.padEnd(9)} ${u.username}${u.villages ? `  (villages ${u.villages.join(', ')})` : ''}`)
  .join('\n')}
or send a user's token from stack.json: curl -H "authorization: Bearer $(node -p "require('${join(info.home, 'stack.json')}').users.operator.token")" ${info.api}/me
Press Ctrl-C to stop.`);
