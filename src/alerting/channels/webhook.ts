/**
 * Webhook channel: POSTs the canonical body signed per Standard Webhooks. The body and webhook-id are pure
 * functions of the alert, so retries are byte-identical and receivers dedupe on webhook-id; only
 * webhook-timestamp and the signature change per attempt. Redirects are never followed (spec: 3xx is a
 * failure) and at most RESPONSE_CAP bytes of the reply are read, for the error message.
 */
import axios, { AxiosError, type AxiosResponse } from 'axios';
import type { Readable } from 'node:stream';
import { DeliveryError, type Alert, type Channel, type DeliveryReceipt } from '../channel';
import { serializeWebhookBody } from '../payload';
import type { WebhookChannelConfig } from '../../config/channels-schema';
import { ChannelConfigError, resolveDeps, type ChannelDeps } from './deps';
import { webhookId } from './ids';
import { headerText } from './render/sanitize';
import { secretsFromEnv, signHeaders, WebhookSecretError } from './sign';

const RESPONSE_CAP = 1024;
const USER_AGENT = 'flightwatch-webhook/1';

export function createWebhookChannel(config: WebhookChannelConfig, deps: ChannelDeps = {}): Channel {
  const { env, log, now } = resolveDeps(deps);
  let keys: Buffer[];
  try {
    keys = secretsFromEnv(config.secretEnv, env);
  } catch (err) {
    if (err instanceof WebhookSecretError) throw new ChannelConfigError(config.id, err.message);
    throw err;
  }
  const http = axios.create({
    timeout: config.timeoutMs,
    maxRedirects: 0,
    responseType: 'stream',
    validateStatus: () => true,
    // A reply is never parsed: the status is the answer.
    transformResponse: [(d: unknown) => d],
  });

  return {
    id: config.id,
    kind: 'webhook',
    async send(alert: Alert): Promise<DeliveryReceipt> {
      const body = serializeWebhookBody(alert);
      const id = webhookId(alert.id);
      const signed = signHeaders(id, Math.floor(now() / 1000), body, keys);
      let res: AxiosResponse<Readable>;
      try {
        res = await http.post<Readable>(config.url, body, {
          headers: { ...config.headers, 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signed },
          // axios' timeout covers the response; the signal also bounds connect and DNS.
          signal: AbortSignal.timeout(config.timeoutMs + 1000),
        });
      } catch (err) {
        throw classifyNetworkError(config.id, err);
      }
      const snippet = await readCapped(res.data, RESPONSE_CAP);
      const status = res.status;
      if (status >= 200 && status < 300) return { detail: `HTTP ${status}; webhook-id ${id}` };
      const error = classifyStatus(config.id, status, res.headers, snippet, now());
      log.debug({ channel: config.id, alertId: alert.id, status, kind: error.kind }, 'webhook not accepted');
      throw error;
    },
  };
}

/** Standard Webhooks status semantics (see docs/webhooks.md "Retries"). */
export function classifyStatus(
  channelId: string,
  status: number,
  headers: Record<string, unknown>,
  snippet: string,
  nowMs: number,
): DeliveryError {
  const reply = snippet ? `: ${headerText(snippet, 200)}` : '';
  const retryAfterMs = parseRetryAfter(headers['retry-after'], nowMs);
  if (status === 410) return new DeliveryError(channelId, 'gone', `HTTP 410 Gone: the receiver asked to stop${reply}`);
  if (status === 429)
    return new DeliveryError(
      channelId,
      'rate-limited',
      `HTTP 429${retryAfterMs !== undefined ? `, retry after ${Math.round(retryAfterMs / 1000)} s` : ''}${reply}`,
      retryAfterMs,
    );
  if (status === 408 || status >= 500)
    return new DeliveryError(channelId, 'transient', `HTTP ${status}${reply}`, retryAfterMs);
  if (status >= 300 && status < 400) {
    const loc = typeof headers.location === 'string' ? ` to ${headerText(headers.location, 200)}` : '';
    return new DeliveryError(
      channelId,
      'permanent',
      `HTTP ${status} redirect${loc} not followed; configure the final URL`,
    );
  }
  return new DeliveryError(channelId, 'permanent', `HTTP ${status}${reply}`);
}

/** Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const PERMANENT_NET = new Set(['ERR_INVALID_URL', 'ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE', 'ERR_NOT_SUPPORT']);

export function classifyNetworkError(channelId: string, err: unknown): DeliveryError {
  const e = err as AxiosError & { cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? 'error';
  const msg = headerText(e.message || String(err), 200);
  if (PERMANENT_NET.has(code)) return new DeliveryError(channelId, 'permanent', `${code}: ${msg}`);
  // Refused, reset, DNS, timeout, abort: the receiver may be back later.
  const timeout =
    code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED' || e.name === 'CanceledError';
  return new DeliveryError(channelId, 'transient', `${timeout ? 'timeout' : code}: ${msg}`);
}

/** Reads at most `cap` bytes of a reply, then drops the connection's remaining body. */
async function readCapped(stream: Readable | undefined, cap: number): Promise<string> {
  if (!stream || typeof stream.on !== 'function') return '';
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(b);
      size += b.length;
      if (size >= cap) break;
    }
  } catch {
    /* a reply cut short tells us nothing more than its status */
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, cap).toString('utf8');
}
