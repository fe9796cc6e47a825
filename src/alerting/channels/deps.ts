/** What channel factories need from the outside world; everything has a production default. */
import type { Logger } from '../../util/log';
import { silentLogger } from '../../util/log';
import type { AxiosInstance } from 'axios';
import type { WatchInfo } from './render/view';

export interface ChannelDeps {
  /** Where secrets and SMTP_URL are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Clock for webhook-timestamp, epoch ms (tests pin it). */
  now?: () => number;
  /** SMTP timeouts in ms; defaults keep a send well under the 30 s job lock. */
  smtpTimeouts?: Partial<SmtpTimeouts>;
  /** The watchlist (config `watch[]`): alerts say why an aircraft is watched from its entries' note and source. */
  watch?: readonly WatchInfo[];
  /** HTTP client for the chat channels (default: one axios instance per channel, no redirects). Tests inject. */
  http?: AxiosInstance;
}

export interface SmtpTimeouts {
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
  dnsTimeout: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionTimeout: 10_000,
  greetingTimeout: 8_000,
  socketTimeout: 15_000,
  dnsTimeout: 5_000,
};

export function resolveDeps(deps: ChannelDeps = {}) {
  return {
    env: deps.env ?? process.env,
    log: deps.log ?? silentLogger,
    now: deps.now ?? Date.now,
    smtpTimeouts: { ...DEFAULT_SMTP_TIMEOUTS, ...deps.smtpTimeouts },
    watch: deps.watch ?? [],
  };
}

/** A channel that cannot be built from its config (missing env var, bad secret): names the channel and cause. */
export class ChannelConfigError extends Error {
  override name = 'ChannelConfigError';
  constructor(
    readonly channelId: string,
    message: string,
  ) {
    super(`channel ${channelId}: ${message}`);
  }
}
