/**
 * The detection outbox (transactional outbox): a Redis stream `<prefix>detected` of events whose track step
 * has committed but which delivery has not yet taken over. The Redis track store appends a step's events in
 * the same Lua call that saves the step's state, so state and events commit together or not at all; the
 * detect job drains the stream into the history and the notify queue and only then deletes the entries.
 * A crash anywhere in between leaves the entries for the next drain (any replica, any later detect job), and
 * re-draining is harmless: the history append is idempotent per event id and notify job ids are alert ids.
 *
 * Plain XRANGE + XDEL rather than a consumer group: every drainer may see every entry (detect runs one job at
 * a time across replicas; an overlap after a stall only repeats idempotent work), and an entry stays until a
 * drain confirmed it, so there is no "pending on a dead consumer" state to reclaim.
 */
import type { Redis } from 'ioredis';
import type { FlightEvent } from '../../domain/event';

export interface PendingDetection {
  /** Stream entry id. */
  entryId: string;
  eventId: string;
  /** undefined when the stored JSON cannot be read (`raw` has it). */
  event?: FlightEvent;
  raw: string;
}

/** The consumer side of the outbox, what the detect job needs. */
export interface DetectionOutbox {
  readonly key: string;
  /** Oldest pending detections first, at most `count`, after entry `afterId` (exclusive) when given. */
  pending(count: number, afterId?: string): Promise<PendingDetection[]>;
  /** Deletes entries whose events are safely in the history and routed. */
  ack(entryIds: readonly string[]): Promise<number>;
  /** Number of pending entries (metrics, tests). */
  size(): Promise<number>;
}

export const outboxKey = (prefix: string) => `${prefix}detected`;

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

export class RedisDetectionOutbox implements DetectionOutbox {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
  ) {}

  async pending(count: number, afterId?: string): Promise<PendingDetection[]> {
    const rows = (await this.redis.xrange(this.key, afterId ? `(${afterId}` : '-', '+', 'COUNT', count)) as [
      string,
      string[],
    ][];
    return rows.map(([entryId, fields]) => {
      const raw = field(fields, 'event') ?? '';
      let event: FlightEvent | undefined;
      try {
        event = JSON.parse(raw) as FlightEvent;
      } catch {
        event = undefined;
      }
      return { entryId, eventId: field(fields, 'id') ?? '', event, raw };
    });
  }

  async ack(entryIds: readonly string[]): Promise<number> {
    return entryIds.length ? this.redis.xdel(this.key, ...entryIds) : 0;
  }

  async size(): Promise<number> {
    return this.redis.xlen(this.key);
  }
}
