import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/**
 * An HTTP server on a free local port that answers each request, once its body is read, with whatever
 * `reply` the test last set: answers the BPJS sandbox never gives (a stall, HTML, a dated Retry-After).
 * Call it in a describe block: it starts before the block's tests and closes after them.
 */
export function scriptedServer() {
  const scripted = { url: '', reply: (_res: ServerResponse): void => undefined };
  let server: Server;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => scripted.reply(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    scripted.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return scripted;
}
