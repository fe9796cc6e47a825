/**
 * A real HTTP receiver on a free loopback port that records each request's raw body and headers, verifies
 * the signature with the independent `standardwebhooks` library, and answers programmable statuses.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { whenEvent, type Idles, type WaitOptions } from './wait';

export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  verified: boolean;
  verifyError?: string;
  /** The payload as returned by standardwebhooks' verify (parsed JSON) when verified. */
  payload?: unknown;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

export interface WebhookReceiver extends Idles {
  url: string;
  requests: ReceivedWebhook[];
  /** 'request' when one is recorded, 'answered' when its reply is out (or the client hung up). */
  events: EventEmitter;
  /** Resolves once `pred(requests)` holds, checked at once and on every recorded request. */
  waitFor(what: string, pred: (requests: ReceivedWebhook[]) => boolean, opts?: WaitOptions): Promise<void>;
  /** Queue replies for the next requests; once the queue is empty the default (204) applies. */
  reply(...replies: (number | Reply)[]): void;
  setDefault(reply: number | Reply): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret: string, path = '/hooks/flightwatch'): Promise<WebhookReceiver> {
  const wh = new Webhook(secret);
  const requests: ReceivedWebhook[] = [];
  const queue: Reply[] = [];
  let fallback: Reply = { status: 204 };
  const norm = (r: number | Reply): Reply => (typeof r === 'number' ? { status: r } : r);
  const events = new EventEmitter();
  let inHand = 0;

  const server: Server = createServer((req, res) => {
    inHand++;
    res.once('close', () => {
      inHand--;
      events.emit('answered');
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const rec: ReceivedWebhook = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        verified: false,
      };
      try {
        rec.payload = wh.verify(rawBody, req.headers as Record<string, string>);
        rec.verified = true;
      } catch (e) {
        rec.verifyError = (e as Error).message;
      }
      requests.push(rec);
      events.emit('request', rec);
      const r = queue.shift() ?? fallback;
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(r.status, { 'content-type': 'text/plain', ...r.headers });
        res.end(r.body ?? '');
      };
      if (r.delayMs) setTimeout(answer, r.delayMs).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    events,
    waitFor: async (what, pred, opts) => {
      await whenEvent(what, events, 'request', () => pred(requests), {
        detail: () => `${requests.length} requests so far`,
        ...opts,
      });
    },
    idle: async (opts) => {
      await whenEvent('the webhook receiver to answer every request', events, 'answered', () => inHand === 0, {
        detail: () => `${inHand} unanswered`,
        ...opts,
      });
    },
    reply: (...r) => queue.push(...r.map(norm)),
    setDefault: (r) => {
      fallback = norm(r);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
