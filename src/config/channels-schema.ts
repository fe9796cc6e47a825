/**
 * Channel entries of `alerts.channels` (issue "Deliver"). src/config/alerts-schema.ts imports `channelSchema`.
 * Secrets never live in the file: a webhook names the env var that holds its `whsec_…` secret, email reads the
 * SMTP URL from the env (SMTP_URL unless `smtpUrlEnv` says otherwise).
 */
import { z } from 'zod';

const q = (v: unknown) => JSON.stringify(v);

export const channelId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
  error: (iss) => `${q(iss.input)} is not a channel id (lowercase letters, digits, "-" or "_", at most 64)`,
});

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
  error: (iss) => `${q(iss.input)} is not an environment variable name (e.g. PARTNER_WEBHOOK_SECRET)`,
});

const httpUrl = z.string().superRefine((s, ctx) => {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: `${q(s)} is not a URL` });
    return;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    ctx.addIssue({ code: 'custom', message: `${q(s)} is not an http(s) URL` });
  if (u.username || u.password)
    ctx.addIssue({
      code: 'custom',
      message: `${q(u.origin)}: credentials in a webhook URL would be logged; use headers with a secret instead`,
    });
});

// A bare address or `Name <address>`; nodemailer does the real parsing, this only catches typos early.
const address = z.string().regex(/^(?:[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, {
  error: (iss) => `${q(iss.input)} is not an e-mail address`,
});

/** Headers the signer owns (or HTTP itself): a config header must not override them. */
const RESERVED_HEADERS =
  /^(webhook-(id|timestamp|signature)|content-type|content-length|host|transfer-encoding|connection)$/i;

export const webhookChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('webhook'),
  url: httpUrl,
  /** Env var holding `whsec_<base64>`; several space-separated secrets sign with each (key rotation). */
  secretEnv: envName,
  /**
   * The receiver may be on loopback, link-local or a private network (it runs next to the worker):
   * `check-config` then stays quiet about the URL's address range.
   */
  allowPrivate: z.boolean().optional(),
  /** Whole-request budget (connect + response headers). The spec asks 15–30 s at most; default 10 s. */
  timeoutMs: z.number().int().min(100).max(30_000).default(10_000),
  headers: z
    .record(
      z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: (iss) => `${q(iss.input)} is not an HTTP header name` }),
      z.string().regex(/^[^\r\n]{0,1024}$/, { error: () => 'header values must be one line, at most 1024 characters' }),
    )
    .superRefine((h, ctx) => {
      for (const k of Object.keys(h))
        if (RESERVED_HEADERS.test(k))
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: `header ${q(k)} is set by flightwatch and cannot be overridden`,
          });
    })
    .optional(),
});

export const emailChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('email'),
  to: z.array(address).min(1, { error: 'at least one recipient is required' }),
  from: address.optional(),
  subjectPrefix: z
    .string()
    .regex(/^[^\r\n]{0,64}$/, { error: () => 'subjectPrefix must be one line, at most 64 characters' })
    .default('[flightwatch]'),
  /** Env var holding the SMTP URL (smtp://user:pass@host:587, smtps://…:465). */
  smtpUrlEnv: envName.default('SMTP_URL'),
  /** Inline PNG map of the recent track; off for recipients whose mail client shows attachments badly. */
  map: z.boolean().default(true),
});

export const outboxChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('outbox'),
  dir: z.string().min(1).default('./outbox'),
});

export const channelSchema = z.discriminatedUnion('kind', [
  webhookChannelSchema,
  emailChannelSchema,
  outboxChannelSchema,
]);

export type WebhookChannelConfig = z.output<typeof webhookChannelSchema>;
export type EmailChannelConfig = z.output<typeof emailChannelSchema>;
export type OutboxChannelConfig = z.output<typeof outboxChannelSchema>;
export type ChannelConfig = z.output<typeof channelSchema>;
export type ChannelKind = ChannelConfig['kind'];
