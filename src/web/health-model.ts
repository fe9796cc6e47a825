/** What the worker knows about itself, as the Health page shows it (filled by src/runtime/web-setup.ts). */
export interface SourceHealth {
  id: string;
  healthy: boolean;
  reason?: string;
  /** Epoch ms of its last valid reply. */
  lastOkAt?: number;
}

export interface WorkerHealth {
  startedAt: number;
  sources: SourceHealth[];
  /** Epoch ms the last poll cycle finished; undefined before the first. */
  lastPollAt?: number;
  /** Newest valid data from any source, and the silence after which the worker reports itself blind. */
  lastDataAt: number;
  blindAfterMs: number;
  /** Jobs per queue and state; undefined when Redis did not answer in time. */
  queues?: Record<string, Record<string, number>>;
  /** Alerts and detect jobs that failed for good (`flightwatch dlq list`); undefined when Redis did not answer. */
  deadLetters?: number;
  archive: {
    enabled: boolean;
    /** Age of the oldest detection not yet archived (0 when caught up). */
    lagMs?: number;
    /** Why the archive cannot be written right now. */
    problem?: string;
    /** Detections archived by this process. */
    archived?: number;
  };
}

/**
 * What a console without a worker in its process (`flightwatch web`) knows: what the workers record in their
 * Redis (filled by src/cli/commands/web-shared-health.ts). Sources, the last poll and archive lag live in a
 * worker's process and are not in it.
 */
export interface SharedHealth {
  /** The Redis read, without its password. */
  redis: string;
  /** Newest valid data any replica recorded; undefined when none has, or Redis did not answer. */
  lastDataAt?: number;
  blindAfterMs: number;
  /** Undefined when Redis did not answer in time. */
  queues?: Record<string, Record<string, number>>;
  deadLetters?: number;
}
