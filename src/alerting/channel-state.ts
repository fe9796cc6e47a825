/**
 * Disabled channels, persisted in Redis so every replica and every restart agrees: a receiver that answered
 * 410 Gone stays disabled until an operator re-enables it (`flightwatch alert enable <channel>`).
 */
import type { Redis } from 'ioredis';
import type { Keys } from './keys';

export interface DisabledChannel {
  channelId: string;
  disabledAt: string;
  reason: string;
}

/** true when this call disabled it (false: it already was), so only one operational alert is raised. */
export async function disableChannel(
  redis: Redis,
  k: Keys,
  channelId: string,
  reason: string,
  now = Date.now(),
): Promise<{ newly: boolean; disabledAt: string }> {
  const disabledAt = new Date(now).toISOString();
  const newly = (await redis.hsetnx(k.disabledChannels, channelId, JSON.stringify({ disabledAt, reason }))) === 1;
  if (newly) return { newly, disabledAt };
  const prev = JSON.parse((await redis.hget(k.disabledChannels, channelId)) ?? '{}') as { disabledAt?: string };
  return { newly, disabledAt: prev.disabledAt ?? disabledAt };
}

export async function enableChannel(redis: Redis, k: Keys, channelId: string): Promise<boolean> {
  return (await redis.hdel(k.disabledChannels, channelId)) === 1;
}

export async function listDisabledChannels(redis: Redis, k: Keys): Promise<DisabledChannel[]> {
  const h = await redis.hgetall(k.disabledChannels);
  return Object.entries(h).map(([channelId, v]) => ({
    channelId,
    ...(JSON.parse(v) as { disabledAt: string; reason: string }),
  }));
}
