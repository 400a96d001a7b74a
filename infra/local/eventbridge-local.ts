import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { busName, type LocalEventRouter } from './event-router';
import { readBody } from './read-body';

type PutEventsEntry = {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: number | string;
};

/**
 * EventBridge's PutEvents on loopback (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`), so a function
 * that puts its own events with @aws-sdk/client-eventbridge reaches the same router as S3's events:
 * the rules on that bus, by their patterns. Like AWS, an accepted entry is delivered after the answer,
 * and an entry that cannot be accepted is reported in its place in the answer, not as a failed call.
 */
export class LocalEventBridge {
  private server?: Server;

  constructor(
    private readonly router: LocalEventRouter,
    private readonly log: (line: string) => void,
  ) {}

  async listen(port: number): Promise<string> {
    this.server = createServer((req, res) => {
      const reply = (status: number, body: unknown, errorType?: string) => {
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        res.end(JSON.stringify(body));
      };
      readBody(req)
        .then((raw) => {
          const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AWSEvents\./, '');
          if (operation !== 'PutEvents') {
            return reply(
              400,
              { __type: 'UnknownOperationException', message: `The local stack does not serve ${operation}` },
              'UnknownOperationException',
            );
          }
          const body = JSON.parse(raw.toString('utf8') || '{}') as { Entries?: PutEventsEntry[] };
          reply(200, this.putEvents(body.Entries ?? []));
        })
        .catch((error: Error) =>
          reply(400, { __type: 'ValidationException', message: error.message }, 'ValidationException'),
        );
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  putEvents(entries: PutEventsEntry[]) {
    const buses = this.router.buses();
    const results = entries.map((entry) => {
      const bus = busName(entry.EventBusName);
      if (!buses.has(bus)) return { ErrorCode: 'NotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail ?? '');
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      if (!entry.Source || !entry.DetailType || !detail || typeof detail !== 'object') {
        return {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameters Source, DetailType and Detail (a JSON object) are required.',
        };
      }
      const id = randomUUID();
      // The SDK sends Time as epoch seconds.
      const time =
        entry.Time === undefined
          ? new Date()
          : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
      const event = {
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: this.router.account,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.router.region,
        resources: entry.Resources ?? [],
        detail,
      };
      this.router
        .publish(event, bus)
        .catch((error: Error) => this.log(`event ${entry.DetailType} on ${bus}: ${error.message}`));
      return { EventId: id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }
}
