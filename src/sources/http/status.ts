/**
 * Turns a finished HTTP exchange into a SourceError when the reply is not usable JSON: non-2xx statuses
 * (429 with its retry window, 401/403 as auth) and 200 replies that are an HTML error page or empty.
 */
import { SourceError } from '../source';
import { parseRetryAfter } from './retry-after';
import type { TextResponse } from './fetch-text';
import { quoteUpstream } from '../../util/redact';

/** Used when a 429 names no retry window: long enough not to hammer, short enough to come back soon. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** The start of an upstream body, tags dropped, known secrets masked (a 403 may quote the key it got). */
const snippet = (text: string) => quoteUpstream(text.slice(0, 4096).replace(/<[^>]*>/g, ' '), 120);

export function statusError(sourceId: string, path: string, res: TextResponse, now: number): SourceError | undefined {
  const { status } = res;
  if (status >= 200 && status < 300) return undefined;
  const body = snippet(res.text);
  const said = body ? `: ${body}` : '';
  if (status === 429) {
    const retryAfterMs =
      parseRetryAfter(res.headers['x-rate-limit-retry-after-seconds'], now) ??
      parseRetryAfter(res.headers['retry-after'], now) ??
      DEFAULT_RETRY_AFTER_MS;
    return new SourceError(
      sourceId,
      'rate-limited',
      `HTTP 429, retry after ${Math.ceil(retryAfterMs / 1000)} s (${path})${said}`,
      {
        status,
        retryAfterMs,
        path,
      },
    );
  }
  if (status === 401 || status === 403)
    return new SourceError(
      sourceId,
      'auth',
      `HTTP ${status} ${status === 401 ? 'unauthorized' : 'forbidden'} (${path})${said}`,
      { status, path },
    );
  return new SourceError(sourceId, 'http', `HTTP ${status} (${path})${said}`, { status, path });
}

/** A 200 that is not JSON at all: the HTML error pages of proxies/CDNs, or nothing. Parsers judge the rest. */
export function nonJsonError(sourceId: string, path: string, res: TextResponse): SourceError | undefined {
  const type = res.headers['content-type'] ?? '';
  const head = res.text.slice(0, 512).trimStart();
  if (head === '')
    return new SourceError(sourceId, 'malformed', `empty body with HTTP ${res.status} (${path})`, {
      status: res.status,
      path,
    });
  if (head.startsWith('<') || /text\/html/i.test(type))
    return new SourceError(
      sourceId,
      'malformed',
      `HTML page instead of JSON with HTTP ${res.status} (${path}): ${snippet(head)}`,
      {
        status: res.status,
        path,
      },
    );
  return undefined;
}
