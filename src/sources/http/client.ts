/**
 * One axios instance per source: keep-alive agents (polling the same host every few seconds), a TCP
 * connect timeout the agents enforce, a descriptive User-Agent (adsb.lol answers 403 without one), and
 * bodies delivered as raw streams so the size cap and the wall-clock deadline are ours (see fetch-text.ts).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { version } from '../../../package.json';

export const USER_AGENT = `flightwatch/${version} (+https://github.com/flightwatch/flightwatch; removal-flight monitoring)`;

export interface HttpClientOptions {
  connectTimeoutMs: number;
  /** Extra headers sent with every request (auth keys). */
  headers?: Record<string, string>;
  userAgent?: string;
  maxSockets?: number;
}

/** Destroys a new socket that has not connected within `ms`; reused keep-alive sockets are unaffected. */
function withConnectTimeout(socket: Socket, ms: number): Socket {
  if (socket.connecting === false) return socket;
  const timer = setTimeout(() => {
    const err = Object.assign(new Error(`connect timeout after ${ms} ms`), { code: 'ECONNTIMEOUT' });
    socket.destroy(err);
  }, ms);
  timer.unref();
  const clear = () => clearTimeout(timer);
  socket.once('connect', clear);
  socket.once('close', clear);
  return socket;
}

class ConnectTimeoutHttpAgent extends http.Agent {
  constructor(
    private readonly connectTimeoutMs: number,
    opts: http.AgentOptions,
  ) {
    super(opts);
  }
  override createConnection(options: unknown, cb?: unknown): Socket {
    const socket = (
      http.Agent.prototype as unknown as { createConnection: (o: unknown, c?: unknown) => Socket }
    ).createConnection.call(this, options, cb);
    return withConnectTimeout(socket, this.connectTimeoutMs);
  }
}

class ConnectTimeoutHttpsAgent extends https.Agent {
  constructor(
    private readonly connectTimeoutMs: number,
    opts: https.AgentOptions,
  ) {
    super(opts);
  }
  override createConnection(options: unknown, cb?: unknown): Socket {
    const socket = (
      https.Agent.prototype as unknown as { createConnection: (o: unknown, c?: unknown) => Socket }
    ).createConnection.call(this, options, cb);
    return withConnectTimeout(socket, this.connectTimeoutMs);
  }
}

export interface HttpClient {
  axios: AxiosInstance;
  /** Closes idle keep-alive sockets (tests, shutdown, config reload). */
  close(): void;
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const agentOpts = { keepAlive: true, keepAliveMsecs: 10_000, maxSockets: opts.maxSockets ?? 4, maxFreeSockets: 2 };
  const httpAgent = new ConnectTimeoutHttpAgent(opts.connectTimeoutMs, agentOpts);
  const httpsAgent = new ConnectTimeoutHttpsAgent(opts.connectTimeoutMs, agentOpts);
  const instance = axios.create({
    httpAgent,
    httpsAgent,
    headers: {
      'User-Agent': opts.userAgent ?? USER_AGENT,
      Accept: 'application/json',
      'Accept-Encoding': 'gzip, deflate',
      ...opts.headers,
    },
    // Statuses, size and deadlines are handled in fetch-text.ts; axios only moves bytes.
    responseType: 'stream',
    validateStatus: () => true,
    maxRedirects: 3,
    maxContentLength: -1,
    decompress: true,
    transitional: { clarifyTimeoutError: true },
  });
  return {
    axios: instance,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
