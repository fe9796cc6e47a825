/**
 * Channels for the configured alerts, keyed by id: the worker, `alert test` and `replay --deliver` build
 * them here so all send with the same code. No channel configured → the implicit outbox in alerts.outboxDir.
 */
import type { AlertsConfig } from '../config/alerts-schema';
import { DEFAULT_OUTBOX_CHANNEL } from '../config/alerts-schema';
import type { Channel } from './channel';
import { createChannels, defaultOutbox, type ChannelDeps } from './channels';

export function buildChannels(
  alerts: Pick<AlertsConfig, 'channels' | 'outboxDir'>,
  deps: ChannelDeps = {},
): Map<string, Channel> {
  if (alerts.channels.length) return createChannels(alerts.channels, deps);
  return new Map([[DEFAULT_OUTBOX_CHANNEL, defaultOutbox(deps, alerts.outboxDir)]]);
}

export async function closeChannels(channels: ReadonlyMap<string, Channel>): Promise<void> {
  await Promise.all(
    [...channels.values()].map(async (c) => {
      try {
        await c.close?.();
      } catch {
        // Best effort: a channel that fails to close must not keep the others open.
      }
    }),
  );
}
