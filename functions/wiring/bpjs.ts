import { HttpBpjsGateway } from '../adapters/http-bpjs-gateway';
import { setting } from './settings';

/**
 * BPJS_MAX_REQUESTS_PER_SECOND, when set, replaces the gateway's own pace (2 a second, what BPJS is
 * assumed to allow): the bench (test/bench/enrollment.ts) measures Jaring's own time against a sandbox
 * that answers at once, and a deployment can follow the rate BPJS agrees to.
 */
export const bpjsGateway = () => {
  const pace = Number(process.env.BPJS_MAX_REQUESTS_PER_SECOND);
  return new HttpBpjsGateway(setting('BPJS_URL'), pace > 0 ? { maxRequestsPerSecond: pace } : {});
};
