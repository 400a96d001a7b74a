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
const started = Date.now();
console.log('Jaring: starting the local stack ...');
const stack = await startLocalStack({ ports, log: (line) => (verbose || !line.startsWith('lambda ') ? console.log(`  ${line}`) : undefined) });
const { info } = stack;
console.log(`
Jaring is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Data: ${info.home}
  Upload proposals   s3://${info.s3.buckets.uploads}/proposals/<programme>/<village code>/<file>.xlsx
  S3                 ${info.s3.endpoint}
  DynamoDB           ${info.dynamodb.endpoint}
  Step Functions     ${info.stepfunctions.endpoint}
  HTTP API           ${info.api}   (try ${info.api}/programmes)
  Mail inbox         ${info.mail.web}
  BPJS sandbox       ${info.bpjs}
  Everything above   ${join(info.home, 'stack.json')}
Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nJaring: stopping ...');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
