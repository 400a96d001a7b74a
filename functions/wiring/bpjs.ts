import { HttpBpjsGateway } from '../adapters/http-bpjs-gateway';
import { setting } from './settings';

export const bpjsGateway = () => new HttpBpjsGateway(setting('BPJS_URL'));
