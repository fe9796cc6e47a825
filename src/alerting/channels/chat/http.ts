/**
 * HTTP for the chat channels (Telegram, Mastodon, Bluesky, Signal, Matrix, Slack, Discord, ntfy, Apprise): one
 * axios instance per channel that never follows redirects and never throws on a status, and one mapping of
 * platform replies onto the queue's DeliveryError kinds:
 *   429 (and Slack/Discord/Telegram/Matrix bodies that carry retry_after) → 'rate-limited' with the wait,
 *   401/403 → 'gone' (the token was revoked or lacks rights: disable with an operational alert, do not
 *   hammer the platform), 408/5xx → 'transient', other 4xx → 'permanent'.
 * Error messages carry the status and the platform's short description, never a URL (Telegram and webhook
 * URLs contain the secret) nor a header.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { DeliveryError } from '../../channel';
import { headerText } from '../render/sanitize';
import { classifyNetworkError, parseRetryAfter } from '../webhook';
import { redact, redactor } from '../../../util/redact';

export const USER_AGENT = 'flightwatch/1 (+https://github.com/flightwatch)';

export function chatHttp(timeoutMs: number): AxiosInstance {
  return axios.create({
    timeout: timeoutMs,
    maxRedirects: 0,
    validateStatus: () => true,
    maxContentLength: 1_000_000,
    headers: { 'user-agent': USER_AGENT },
  });
}

/** Sends; a network failure becomes a 'transient' (or config 'permanent') DeliveryError without the URL. */
export async function request<T = unknown>(
  channelId: string,
  run: () => Promise<AxiosResponse<T>>,
): Promise<AxiosResponse<T>> {
  try {
    return await run();
  } catch (err) {
    const e = classifyNetworkError(channelId, err);
    throw new DeliveryError(channelId, e.kind, stripUrls(e.message.replace(/^channel [^:]+: [a-z-]+: /, '')));
  }
}

const stripUrls = (s: string) => s.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');

/** The platform's own short error text: Telegram `description`, Mastodon `error`, Matrix `errcode: error`, … */
function describe(data: unknown): string {
  // Masked here, not only at the notify step: this text is also stored as the disabled channel's reason.
  if (typeof data === 'string') return headerText(redact(stripUrls(data)), 200);
  if (!data || typeof data !== 'object') return '';
  const d = data as Record<string, unknown>;
  const parts = [d.errcode, d.error, d.description, d.message, d.error_description]
    .filter((x): x is string => typeof x === 'string' && x.length > 0)
    .slice(0, 2);
  return headerText(redact(stripUrls(parts.join(': '))), 200);
}

/** Seconds or milliseconds the platform asks to wait, from the body (Telegram, Discord, Matrix). */
function bodyRetryAfterMs(data: unknown): number | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  const params = d.parameters as Record<string, unknown> | undefined;
  if (typeof params?.retry_after === 'number') return params.retry_after * 1000; // Telegram
  if (typeof d.retry_after_ms === 'number') return d.retry_after_ms; // Matrix
  if (typeof d.retry_after === 'number') return Math.ceil(d.retry_after * 1000); // Discord (seconds, float)
  return undefined;
}

/** 2xx → the response; anything else → the DeliveryError the queue acts on. */
export function expectOk<T>(channelId: string, res: AxiosResponse<T>, what: string, nowMs = Date.now()): T {
  const status = res.status;
  if (status >= 200 && status < 300) return res.data;
  const reason = describe(res.data);
  const said = reason ? `: ${reason}` : '';
  const wait = parseRetryAfter(res.headers['retry-after'], nowMs) ?? bodyRetryAfterMs(res.data);
  if (status === 429)
    return fail(
      channelId,
      'rate-limited',
      `${what}: HTTP 429${wait !== undefined ? `, retry after ${Math.ceil(wait / 1000)} s` : ''}${said}`,
      wait,
    );
  if (status === 401 || status === 403)
    return fail(channelId, 'gone', `${what}: HTTP ${status}, the token or rights were refused${said}`);
  if (status === 404 && /webhook/i.test(what))
    return fail(channelId, 'gone', `${what}: HTTP 404, the webhook was deleted${said}`);
  if (status === 408 || status >= 500) return fail(channelId, 'transient', `${what}: HTTP ${status}${said}`, wait);
  if (status >= 300 && status < 400)
    return fail(channelId, 'permanent', `${what}: HTTP ${status} redirect not followed; configure the final URL`);
  return fail(channelId, 'permanent', `${what}: HTTP ${status}${said}`);
}

function fail(channelId: string, kind: DeliveryError['kind'], message: string, retryAfterMs?: number): never {
  throw new DeliveryError(channelId, kind, message, retryAfterMs);
}

/**
 * An env var that must hold a secret; the error names the variable, never a value. The value is registered
 * with the redactor where it is read: the channel may be built from an env other than process.env, and a
 * platform's error reply can quote the token back (Telegram's path, a bearer header).
 */
export function secretFrom(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const v = env[name]?.trim();
  if (!v) throw new Error(`env ${name} is not set (${what})`);
  redactor.add(v);
  return v;
}

export const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;
