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

// ---- Chat and messaging channels (issue 15). Each takes its secrets by env name; `apiUrl` points at a
// self-hosted instance (or a test's stand-in). docs/channels.md says how to set each up.

const baseUrl = httpUrl;

/** What a public channel publishes: how sure an event must be, how long after it, which fields it leaves out. */
const publishOptions = {
  /** Lowest certainty published: "observed" posts only observed events, "predicted" everything. */
  minConfidence: z.enum(['observed', 'inferred', 'predicted']).default('predicted'),
  /** Minutes after the event before it is posted (a public account need not be real time); max 24 h. */
  publishDelay: z.number().int().min(0).max(1440).default(0),
  /** Fields left out of the message (a public account may not want the operator or the watchlist note). */
  hide: z.array(z.enum(['operator', 'callsign', 'position', 'watch', 'links', 'map'])).default([]),
  /** Attach the map of the recent track where the platform takes images. */
  map: z.boolean().default(true),
  timeoutMs: z.number().int().min(100).max(30_000).default(10_000),
  /** Receive alerts about flightwatch itself (blind, channel disabled); off by default on public accounts. */
  operational: z.boolean().default(true),
  /** The API is on a private, loopback or link-local address on purpose (a self-hosted signal-cli or Apprise). */
  allowPrivate: z.boolean().optional(),
};

export const telegramChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('telegram'),
  apiUrl: baseUrl.default('https://api.telegram.org'),
  /** Env var holding the bot token from @BotFather. */
  tokenEnv: envName,
  /** Chat id (-100… for groups and channels) or @channelusername. */
  chatId: z.union([z.number().int(), z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/)]),
  /** Forum topic (message_thread_id). */
  threadId: z.number().int().positive().optional(),
  ...publishOptions,
});

export const mastodonChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('mastodon'),
  /** The instance, e.g. https://mastodon.social. */
  apiUrl: baseUrl,
  tokenEnv: envName,
  visibility: z.enum(['public', 'unlisted', 'private', 'direct']).default('unlisted'),
  /** Content warning shown before the post (spoiler_text). */
  spoilerText: z.string().max(200).optional(),
  /** The instance's status length limit (500 on mastodon.social). */
  maxChars: z.number().int().min(100).max(100_000).default(500),
  ...publishOptions,
  operational: z.boolean().default(false),
});

export const blueskyChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('bluesky'),
  /** The account's PDS (https://bsky.social for most accounts). */
  apiUrl: baseUrl.default('https://bsky.social'),
  /** Handle or DID of the posting account. */
  identifier: z.string().min(3).max(256),
  /** Env var holding an app password (Settings → App passwords), never the account password. */
  passwordEnv: envName,
  ...publishOptions,
  operational: z.boolean().default(false),
});

export const signalChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('signal'),
  /** The signal-cli-rest-api server, e.g. http://127.0.0.1:8080. */
  apiUrl: baseUrl,
  /** The registered sender number (+…). */
  number: z.string().regex(/^\+[1-9]\d{6,15}$/, { error: () => 'number must be in international format (+…)' }),
  /** Phone numbers or group ids (group.… from GET /v1/groups/{number}). */
  recipients: z.array(z.string().min(3).max(200)).min(1),
  /** Optional bearer token when the server sits behind an authenticating proxy. */
  tokenEnv: envName.optional(),
  ...publishOptions,
});

export const matrixChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('matrix'),
  /** The homeserver's client-server API base, e.g. https://matrix.org. */
  apiUrl: baseUrl,
  /** Room id (!abc:server); the bot account must have joined it. */
  roomId: z.string().regex(/^![^:\s]+:\S+$/, { error: () => 'roomId must look like !opaque:server' }),
  tokenEnv: envName,
  ...publishOptions,
});

export const slackChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('slack'),
  /** Env var holding the incoming-webhook URL (https://hooks.slack.com/services/…): the URL is the secret. */
  webhookUrlEnv: envName,
  ...publishOptions,
});

export const discordChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('discord'),
  /** Env var holding the webhook URL (https://discord.com/api/webhooks/{id}/{token}): the URL is the secret. */
  webhookUrlEnv: envName,
  username: z.string().min(1).max(80).default('flightwatch'),
  ...publishOptions,
});

export const ntfyChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('ntfy'),
  apiUrl: baseUrl.default('https://ntfy.sh'),
  topic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: () => 'topic: letters, digits, "-" or "_", at most 64' }),
  /** Env var holding an access token (tk_…), when the topic is protected. */
  tokenEnv: envName.optional(),
  /** 1 (min) … 5 (max); landings and destinations use this, en route one less. */
  priority: z.number().int().min(1).max(5).default(4),
  tags: z.array(z.string().regex(/^[a-z0-9_+-]{1,40}$/)).default(['airplane']),
  ...publishOptions,
});

export const mqttChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('mqtt'),
  /** Broker URL without credentials: mqtt://host:1883 or mqtts://host:8883. */
  url: z.string().regex(/^mqtts?:\/\/[^@\s/]+(:\d+)?\/?$/, {
    error: (iss) => `${q(iss.input)} is not an mqtt:// or mqtts:// URL without credentials`,
  }),
  usernameEnv: envName.optional(),
  passwordEnv: envName.optional(),
  /** Events go to {topicPrefix}/events/{type}/{hex}; the retained last state to {topicPrefix}/aircraft/{hex}. */
  topicPrefix: z
    .string()
    .regex(/^[^#+\s]{1,100}$/, { error: () => 'topicPrefix must not contain #, + or spaces' })
    .default('flightwatch'),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  ...publishOptions,
});

export const appriseChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('apprise'),
  /** The Apprise API server, e.g. http://127.0.0.1:8000. */
  apiUrl: baseUrl,
  /** A configuration key stored on the server (POST /notify/{key}) … */
  key: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  /** … or an env var holding Apprise URLs (space separated; they carry the services' secrets). */
  urlsEnv: envName.optional(),
  tag: z.string().max(200).optional(),
  ...publishOptions,
});

export const channelSchema = z.discriminatedUnion('kind', [
  webhookChannelSchema,
  emailChannelSchema,
  outboxChannelSchema,
  telegramChannelSchema,
  mastodonChannelSchema,
  blueskyChannelSchema,
  signalChannelSchema,
  matrixChannelSchema,
  slackChannelSchema,
  discordChannelSchema,
  ntfyChannelSchema,
  mqttChannelSchema,
  appriseChannelSchema.refine((c) => !!c.key !== !!c.urlsEnv, {
    message: 'apprise needs exactly one of key or urlsEnv',
  }),
]);

export type WebhookChannelConfig = z.output<typeof webhookChannelSchema>;
export type EmailChannelConfig = z.output<typeof emailChannelSchema>;
export type OutboxChannelConfig = z.output<typeof outboxChannelSchema>;
export type TelegramChannelConfig = z.output<typeof telegramChannelSchema>;
export type MastodonChannelConfig = z.output<typeof mastodonChannelSchema>;
export type BlueskyChannelConfig = z.output<typeof blueskyChannelSchema>;
export type SignalChannelConfig = z.output<typeof signalChannelSchema>;
export type MatrixChannelConfig = z.output<typeof matrixChannelSchema>;
export type SlackChannelConfig = z.output<typeof slackChannelSchema>;
export type DiscordChannelConfig = z.output<typeof discordChannelSchema>;
export type NtfyChannelConfig = z.output<typeof ntfyChannelSchema>;
export type MqttChannelConfig = z.output<typeof mqttChannelSchema>;
export type AppriseChannelConfig = z.output<typeof appriseChannelSchema>;
/** Options every chat channel shares (publish gate, hidden fields, map, timeout). */
export type PublishOptions = Pick<
  TelegramChannelConfig,
  'minConfidence' | 'publishDelay' | 'hide' | 'map' | 'timeoutMs' | 'operational'
>;
export type ChannelConfig = z.output<typeof channelSchema>;
export type ChannelKind = ChannelConfig['kind'];
