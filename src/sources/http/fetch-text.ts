/**
 * One HTTP exchange with hard limits: a wall-clock deadline covering headers AND body (a slow drip that
 * keeps the socket busy never trips an idle timeout, so idle timeouts alone are not enough) and a byte cap
 * enforced while streaming (a 50 MB reply is cut off at the cap, never buffered whole). Every failure
 * becomes a SourceError; HTTP statuses are returned, not judged (see status.ts).
 */
import type { Readable } from 'node:stream';
import { isAxiosError } from 'axios';
import { SourceError } from '../source';
import type { HttpClient } from './client';

export interface TextRequest {
  sourceId: string;
  url: string;
  /** For error messages and logs: the path as planned (no secrets). */
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  data?: string;
  params?: URLSearchParams;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export interface TextResponse {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  /** Bytes received after decompression. */
  bytes: number;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  ERR_BAD_RESPONSE: 'bad response',
};

/** An axios header value (string, string[], number, boolean or null) as text; anything else is dropped. */
function headerValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.join(', ');
  return undefined;
}

function headerMap(h: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (h && typeof h === 'object')
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) out[k.toLowerCase()] = headerValue(v);
  return out;
}

export async function fetchText(client: HttpClient, req: TextRequest): Promise<TextResponse> {
  const { sourceId, path, timeoutMs, maxBytes } = req;
  const ctl = new AbortController();
  let timedOut = false;
  let body: Readable | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
    body?.destroy(new Error('deadline'));
  }, timeoutMs);
  const onOuterAbort = () => {
    ctl.abort();
    body?.destroy(new Error('aborted'));
  };
  if (req.signal) {
    if (req.signal.aborted) onOuterAbort();
    else req.signal.addEventListener('abort', onOuterAbort, { once: true });
  }
  const fail = (e: unknown): SourceError => {
    if (e instanceof SourceError) return e;
    if (timedOut)
      return new SourceError(sourceId, 'timeout', `no complete reply within ${timeoutMs} ms (${path})`, { path });
    if (req.signal?.aborted)
      return new SourceError(sourceId, 'network', `request aborted by caller (${path})`, { path });
    const code = (isAxiosError(e) ? e.code : (e as NodeJS.ErrnoException)?.code) ?? '';
    const cause = isAxiosError(e) ? errnoCode(e.cause) : '';
    if (code === 'ECONNTIMEOUT' || cause === 'ECONNTIMEOUT' || /connect timeout/.test(String((e as Error)?.message)))
      return new SourceError(sourceId, 'timeout', `connect timeout (${path})`, { path });
    if (code === 'ETIMEDOUT' || code === 'ECONNABORTED')
      return new SourceError(sourceId, 'timeout', `no reply within ${timeoutMs} ms (${path})`, { path });
    const label = NETWORK_CODES[code] ?? NETWORK_CODES[cause] ?? (code || 'network error');
    return new SourceError(sourceId, 'network', `${label}: ${(e as Error)?.message ?? String(e)} (${path})`, { path });
  };

  try {
    const res = await client.axios.request<Readable>({
      url: req.url,
      method: req.method ?? 'GET',
      headers: req.headers,
      data: req.data,
      params: req.params,
      signal: ctl.signal,
      timeout: timeoutMs,
    });
    body = res.data;
    if (timedOut || ctl.signal.aborted) body.destroy();
    const headers = headerMap(res.headers);
    const announced = Number(headers['content-length']);
    if (Number.isFinite(announced) && announced > maxBytes) {
      body.destroy();
      throw new SourceError(sourceId, 'too-large', `reply announces ${announced} bytes, cap is ${maxBytes} (${path})`, {
        status: res.status,
        path,
      });
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of body) {
      const b = chunk as Buffer;
      bytes += b.length;
      if (bytes > maxBytes) {
        body.destroy();
        throw new SourceError(sourceId, 'too-large', `reply exceeds the ${maxBytes}-byte cap (${path})`, {
          status: res.status,
          path,
        });
      }
      chunks.push(b);
    }
    if (timedOut) throw fail(new Error('deadline'));
    return { status: res.status, headers, text: Buffer.concat(chunks, bytes).toString('utf8'), bytes };
  } catch (e) {
    body?.destroy();
    throw fail(e);
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** The `code` of a Node system error (ECONNRESET, ETIMEDOUT…), whatever wraps it. */
function errnoCode(x: unknown): string {
  return typeof x === 'object' && x !== null && 'code' in x && typeof x.code === 'string' ? x.code : '';
}
