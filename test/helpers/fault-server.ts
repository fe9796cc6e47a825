/**
 * A real HTTP server on 127.0.0.1 for source tests: records every request (method, path, headers, time)
 * and answers from a route table, so a test can replay the real captures in ../shared/fixtures and inject
 * faults (malformed bodies, HTML pages, huge or slow bodies, hangs, 5xx, 429, 401/403).
 */
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { sleep } from './wait';

export interface RecordedRequest {
  method: string;
  /** Path and query string as received. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request arrived (for spacing assertions). */
  at: number;
}

export type Responder = (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) => void | Promise<void>;

interface Route {
  match: (path: string, method: string) => boolean;
  responder: Responder;
  /** Remaining uses; Infinity for a standing route. */
  times: number;
}

export interface FaultServer {
  url: string;
  requests: RecordedRequest[];
  /** 'request' (the RecordedRequest) on arrival; 'responded' (the same) once its responder has returned. */
  events: EventEmitter;
  /** Adds a route; routes added later win over earlier ones, and `times` makes a one-off (fault) route. */
  route(
    match: string | RegExp | ((path: string, method: string) => boolean),
    responder: Responder,
    times?: number,
  ): void;
  /** Drops all routes and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  let routes: Route[] = [];
  const requests: RecordedRequest[] = [];
  const events = new EventEmitter();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      requests.push(rec);
      events.emit('request', rec);
      const route = routes.find((r) => r.times > 0 && r.match(rec.path, rec.method));
      const responder = route?.responder ?? reply.json({ error: `no route for ${rec.path}` }, 404);
      if (route) route.times--;
      Promise.resolve(responder(req, res, rec))
        .catch((e) => {
          if (!res.headersSent) res.writeHead(500);
          res.end(String(e));
        })
        .finally(() => events.emit('responded', rec));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    events,
    route(match, responder, times = Infinity) {
      const fn =
        typeof match === 'string'
          ? (p: string) =>
              p === match || p.startsWith(match.endsWith('/') ? match : `${match}/`) || p.startsWith(`${match}?`)
          : match instanceof RegExp
            ? (p: string) => match.test(p)
            : match;
      routes.unshift({ match: fn, responder, times });
    },
    reset() {
      routes = [];
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Ready-made responders. */
export const reply = {
  json(body: unknown, status = 200, headers: Record<string, string> = {}): Responder {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return (_q, res) => {
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        ...headers,
      });
      res.end(text);
    };
  },
  text(body: string, status = 200, headers: Record<string, string> = {}): Responder {
    return (_q, res) => {
      res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
      res.end(body);
    };
  },
  /** The kind of page a CDN or proxy serves instead of the API reply, with status 200. */
  htmlErrorPage(status = 200): Responder {
    const page =
      '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>cloudflare</p></body></html>';
    return (_q, res) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
    };
  },
  file(path: string, status = 200): Responder {
    const buf = readFileSync(path);
    return (_q, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': buf.length });
      res.end(buf);
    };
  },
  /** Never answers (the socket stays open until the client gives up). */
  hang(): Responder {
    return () => undefined;
  },
  /** Sends headers at once, then the body a few bytes at a time. */
  drip(body: string, bytesPerTick: number, tickMs: number): Responder {
    return async (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (let i = 0; i < body.length && !res.destroyed; i += bytesPerTick) {
        res.write(body.slice(i, i + bytesPerTick));
        await sleep(tickMs); // the slow body is the fault under test
      }
      res.end();
    };
  },
  /**
   * A body of `totalBytes` (valid-looking JSON prefix, then padding), streamed in 64 KiB chunks with
   * backpressure; `sent.bytes` tells how much actually left before the client hung up.
   */
  huge(totalBytes: number, sent: { bytes: number }, announceLength = false): Responder {
    return async (_q, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        ...(announceLength ? { 'Content-Length': totalBytes } : {}),
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      Buffer.from('{"ac":[').copy(chunk);
      while (sent.bytes < totalBytes && !res.destroyed) {
        const n = Math.min(chunk.length, totalBytes - sent.bytes);
        const ok = res.write(sent.bytes === 0 ? chunk.subarray(0, n) : Buffer.alloc(n, 0x20));
        sent.bytes += n;
        if (!ok)
          await new Promise<void>((r) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              r();
            };
            res.on('drain', done);
            res.on('close', done);
          });
      }
      res.end();
    };
  },
};
