/**
 * E-mail channel: one pooled SMTP transport per channel (nodemailer: "create ONE transporter and reuse it"),
 * timeouts far below nodemailer's defaults (2 min connect, 10 min socket) so a dead server fails the job
 * instead of outliving its lock. SMTP replies decide retry: 4xx is "try later", 5xx is "never".
 */
import nodemailer from 'nodemailer';
import { DeliveryError, type Alert, type Channel, type DeliveryReceipt } from '../channel';
import type { EmailChannelConfig } from '../../config/channels-schema';
import { ChannelConfigError, resolveDeps, type ChannelDeps } from './deps';
import { buildMessage, type MessageOptions } from './render/message';
import { headerText } from './render/sanitize';

export const DEFAULT_FROM = 'flightwatch <flightwatch@localhost>';

const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETLS',
  'EPROXY',
  'ESTREAM',
]);
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'ECONFIG', 'EENVELOPE', 'EMESSAGE', 'EMAXLIMIT']);

/** Maps a nodemailer error to the queue's taxonomy. Unknown errors are retried: the horizon bounds them. */
export function classifySmtpError(channelId: string, err: unknown): DeliveryError {
  const e = err as { code?: string; responseCode?: number; response?: string; command?: string; message?: string };
  const what = headerText(e.response || e.message || String(err), 300);
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (code !== undefined && code >= 400 && code < 500)
    return new DeliveryError(channelId, 'transient', `SMTP ${code}${e.command ? ` after ${e.command}` : ''}: ${what}`);
  if (code !== undefined && code >= 500)
    return new DeliveryError(channelId, 'permanent', `SMTP ${code}${e.command ? ` after ${e.command}` : ''}: ${what}`);
  if (e.code && PERMANENT_CODES.has(e.code)) return new DeliveryError(channelId, 'permanent', `${e.code}: ${what}`);
  return new DeliveryError(
    channelId,
    'transient',
    `${e.code && TRANSIENT_CODES.has(e.code) ? e.code : (e.code ?? 'error')}: ${what}`,
  );
}

export function createEmailChannel(config: EmailChannelConfig, deps: ChannelDeps = {}): Channel {
  const { env, log, smtpTimeouts, watch } = resolveDeps(deps);
  const url = env[config.smtpUrlEnv]?.trim();
  if (!url)
    throw new ChannelConfigError(
      config.id,
      `env ${config.smtpUrlEnv} is not set (expected smtp://user:pass@host:port or smtps://…)`,
    );
  if (!/^smtps?:\/\//i.test(url))
    throw new ChannelConfigError(config.id, `env ${config.smtpUrlEnv} is not an smtp:// or smtps:// URL`);

  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 2,
    maxMessages: 100,
    ...smtpTimeouts,
    logger: false,
    debug: false,
  });
  const msgOpts: MessageOptions = {
    from: config.from ?? env.SMTP_FROM ?? DEFAULT_FROM,
    to: config.to,
    subjectPrefix: config.subjectPrefix,
    map: config.map,
    log,
    watch,
  };

  return {
    id: config.id,
    kind: 'email',
    async send(alert: Alert): Promise<DeliveryReceipt> {
      const message = buildMessage(alert, msgOpts);
      let info: { response?: string; accepted?: unknown[]; rejected?: unknown[] };
      try {
        info = await transport.sendMail(message);
      } catch (err) {
        throw classifySmtpError(config.id, err);
      }
      const rejected = info.rejected?.length ?? 0;
      if (rejected)
        log.warn({ channel: config.id, alertId: alert.id, rejected: info.rejected }, 'some recipients were rejected');
      return {
        detail: `${headerText(info.response ?? 'accepted', 200)}; ${info.accepted?.length ?? 0} accepted, ${rejected} rejected; ${message.messageId}`,
      };
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
