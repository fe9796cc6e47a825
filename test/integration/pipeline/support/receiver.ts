/** A real HTTP receiver on 127.0.0.1 that records every request and answers as the test scripts it. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AlertEvent } from '../../../../src/domain/event';

/** The body test/helpers/http-post-channel.ts posts, parsed back. */
export interface PostedAlert {
  alertId: string;
  channelId: string;
  eventId: string;
  type: string;
  operational: boolean;
  details: Record<string, unknown> | null;
  event: AlertEvent;
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `body` parsed; undefined when it is not JSON. */
  json: PostedAlert | undefined;
  at: number;
  status: number;
}

export type Reply = { status: number; headers?: Record<string, string>; delayMs?: number };
/** `nth`: requests recorded so far (reset by emptying `received`). */
export type Responder = (req: { path: string; json: PostedAlert | undefined; nth: number }) => Reply;

export interface Receiver {
  url: string;
  received: Received[];
  /** Replaced at will by the test. */
  respond: Responder;
  waitFor(pred: (r: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(respond: Responder = () => ({ status: 204 })): Promise<Receiver> {
  const received: Received[] = [];
  const r: Receiver = {
    url: '',
    received,
    respond,
    async waitFor(pred, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!pred(received)) {
        if (Date.now() > until)
          throw new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} requests)`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    close: () => new Promise<void>((res) => (server.closeAllConnections(), server.close(() => res()))),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: PostedAlert | undefined;
      try {
        json = JSON.parse(body) as PostedAlert;
      } catch {
        json = undefined;
      }
      const reply = r.respond({ path: req.url ?? '/', json, nth: received.length });
      received.push({ path: req.url ?? '/', headers: req.headers, body, json, at: Date.now(), status: reply.status });
      const finish = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, reply.headers ?? {});
        res.end();
      };
      if (reply.delayMs) setTimeout(finish, reply.delayMs);
      else finish();
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return r;
}
