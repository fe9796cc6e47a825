/**
 * Standard Webhooks 1.0 signer (symmetric v1): HMAC-SHA256 over `${id}.${timestamp}.${body}` keyed with the
 * base64-decoded `whsec_` secret, sent as `webhook-signature: v1,<base64>`. Several secrets produce several
 * space-separated signatures, which is how the spec rotates keys without downtime.
 */
import { createHmac } from 'node:crypto';

export class WebhookSecretError extends Error {
  override name = 'WebhookSecretError';
}

const PREFIX = 'whsec_';

/** Parses one `whsec_<base64>` secret into its key bytes. `where` names the env var for the message. */
export function parseSecret(secret: string, where: string): Buffer {
  const b64 = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0)
    throw new WebhookSecretError(`${where}: not a whsec_<base64> secret`);
  const key = Buffer.from(b64, 'base64');
  // The spec asks for 24–64 random bytes; shorter keys are refused rather than silently weak.
  if (key.length < 24 || key.length > 64)
    throw new WebhookSecretError(`${where}: secret is ${key.length} bytes, Standard Webhooks requires 24–64`);
  return key;
}

/** Reads the secret(s) from the env var a channel names. Several secrets may be given, separated by spaces. */
export function secretsFromEnv(envVar: string, env: NodeJS.ProcessEnv): Buffer[] {
  const raw = env[envVar]?.trim();
  if (!raw) throw new WebhookSecretError(`env ${envVar} is not set (expected whsec_<base64>)`);
  return raw
    .split(/\s+/)
    .map((s, i, all) => parseSecret(s, all.length > 1 ? `env ${envVar} (secret ${i + 1})` : `env ${envVar}`));
}

export function signature(id: string, timestampSec: number, body: string | Buffer, key: Buffer): string {
  return createHmac('sha256', key).update(`${id}.${timestampSec}.`).update(body).digest('base64');
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signHeaders(
  id: string,
  timestampSec: number,
  body: string | Buffer,
  keys: readonly Buffer[],
): WebhookHeaders {
  if (id.includes('.') || /\s/.test(id))
    throw new Error(`webhook id ${JSON.stringify(id)} must not contain "." or whitespace`);
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0)
    throw new Error(`webhook timestamp ${timestampSec} is not integer seconds`);
  if (keys.length === 0) throw new Error('no webhook secret to sign with');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': keys.map((k) => `v1,${signature(id, timestampSec, body, k)}`).join(' '),
  };
}
