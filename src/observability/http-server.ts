/**
 * The health and metrics endpoint (node:http, no framework):
 *   /livez    200 while the process and its event loop run (container HEALTHCHECK, liveness probe)
 *   /readyz   200 when Redis answers, at least one source is healthy and data is fresh; else 503 with why
 *   /metrics  Prometheus text format
 * Every check has its own timeout so a hung Redis makes /readyz answer 503, not hang. Every answer passes
 * through the redactor (a source's error detail may quote an upstream body that echoes a key). Binds
 * 127.0.0.1 unless told otherwise (operate.http.host; the container image sets 0.0.0.0).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../util/log';
import { redact } from '../util/redact';

export interface ReadinessCheck {
  ok: boolean;
  detail?: unknown;
}

export interface HealthServerOptions {
  /** 0 = ephemeral (tests). */
  port: number;
  /** Interface to listen on; default 127.0.0.1 (only this machine). */
  host?: string;
  registry: Registry;
  readiness: () => Promise<Record<string, ReadinessCheck>>;
  log: Logger;
}

export interface HealthServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Where the health server listens unless operate.http.host or HTTP_HOST says otherwise. */
export const DEFAULT_HTTP_HOST = '127.0.0.1';

/**
 * HTTP_HOST env (the container image sets 0.0.0.0) over operate.http.host over 127.0.0.1. An empty value
 * counts as unset.
 */
export function hostFromEnv(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return env.HTTP_HOST?.trim() || configured || DEFAULT_HTTP_HOST;
}

/** PORT env → port number; default 8080. An invalid value is an error naming it. */
export function portFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT;
  if (raw === undefined || raw === '') return 8080;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`PORT=${JSON.stringify(raw)} is not a TCP port (0-65535)`);
  return n;
}

/** A JSON answer that no cache keeps, redacted (a probe's body may quote an error). */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(redact(JSON.stringify(body)));
}

export async function startHealthServer(o: HealthServerOptions): Promise<HealthServer> {
  const host = o.host ?? DEFAULT_HTTP_HOST;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    if (path === '/livez') return sendJson(res, 200, { status: 'ok', uptimeS: Math.round(process.uptime()) });
    if (path === '/readyz') {
      o.readiness().then(
        (checks) => {
          const ready = Object.values(checks).every((c) => c.ok);
          sendJson(res, ready ? 200 : 503, { ready, checks });
        },
        (e) => sendJson(res, 503, { ready: false, error: (e as Error).message }),
      );
      return;
    }
    if (path === '/metrics') {
      o.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': o.registry.contentType });
          res.end(redact(text));
        },
        (e) => {
          o.log.warn({ err: (e as Error).message }, 'metrics collection failed');
          sendJson(res, 500, { error: 'metrics collection failed' });
        },
      );
      return;
    }
    sendJson(res, 404, { error: 'not found', endpoints: ['/livez', '/readyz', '/metrics'] });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`health server: port ${o.port} is in use (set PORT to another port, or 0 for any free port)`)
          : e,
      ),
    );
    server.listen(o.port, host, () => resolve());
  });
  server.on('error', (e) => o.log.error({ err: e.message }, 'health server error'));
  const port = (server.address() as AddressInfo).port;
  o.log.info({ port, host }, 'health and metrics on /livez /readyz /metrics');
  return {
    port,
    url: `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections?.();
      }),
  };
}

/** Rejects after ms with a message naming what timed out. */
export function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, fail) => (t = setTimeout(() => fail(new Error(`${what} did not answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(t));
}
