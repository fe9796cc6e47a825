/** A real HTTP receiver on 127.0.0.1 that records every request and answers as the test scripts it. */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { whenEvent, type Idles, type WaitOptions } from '../../../helpers/wait';

/** A parsed JSON body: tests read it as `any` on purpose (a wrong shape fails the assertion that reads it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Json;
  at: number;
  status: number;
}

export type Reply = { status: number; headers?: Record<string, string>; delayMs?: number };
/** `nth`: requests recorded so far (reset by emptying `received`). */
export type Responder = (req: { path: string; json: Json; nth: number }) => Reply;

export interface Receiver extends Idles {
  url: string;
  received: Received[];
  /** Replaced at will by the test. */
  respond: Responder;
  /** 'request' when one is recorded, 'answered' when its reply is out (or the client hung up). */
  events: EventEmitter;
  /** Resolves once `pred(received)` holds, checked at once and on every recorded request (default 15 s). */
  waitFor(what: string, pred: (r: Received[]) => boolean, opts?: WaitOptions): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(respond: Responder = () => ({ status: 204 })): Promise<Receiver> {
  const received: Received[] = [];
  const events = new EventEmitter();
  let inHand = 0;
  const r: Receiver = {
    url: '',
    received,
    respond,
    events,
    async waitFor(what, pred, opts) {
      await whenEvent(what, events, 'request', () => pred(received), {
        timeoutMs: 15_000,
        detail: () => `${received.length} requests so far`,
        ...opts,
      });
    },
    async idle(opts) {
      await whenEvent('the receiver to answer every request', events, 'answered', () => inHand === 0, {
        detail: () => `${inHand} unanswered`,
        ...opts,
      });
    },
    close: () => new Promise<void>((res) => (server.closeAllConnections(), server.close(() => res()))),
  };
  const server: Server = createServer((req, res) => {
    inHand++;
    res.once('close', () => {
      inHand--;
      events.emit('answered');
    });
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Json;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const reply = r.respond({ path: req.url ?? '/', json, nth: received.length });
      received.push({ path: req.url ?? '/', headers: req.headers, body, json, at: Date.now(), status: reply.status });
      events.emit('request', received[received.length - 1]);
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
