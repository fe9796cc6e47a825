/**
 * What the last poll cycles said about each source: when it last returned a valid reply, and whether its
 * latest attempt failed. Feeds /readyz, the data-age metrics and the blind watcher. Keyed by source id, so a
 * reload (new Source objects, same ids) keeps the history.
 */
import type { PollCycleResult } from '../ingest/poll-cycle';
import type { Source } from '../sources/source';

export interface SourceStatus {
  id: string;
  healthy: boolean;
  /** Why not healthy: out of rotation, or the last attempt's error. */
  reason?: string;
  lastOkAt?: number;
}

export class SourceFreshness {
  private readonly lastOk = new Map<string, number>();
  private readonly lastError = new Map<string, string>();

  constructor(private readonly startedAt: number) {}

  record(r: PollCycleResult): void {
    const at = r.startedAt + r.durationMs;
    for (const a of r.attempts) {
      if (a.skipped) continue; // skipped says nothing new; unavailableReason reports it
      if (a.ok) {
        this.lastOk.set(a.sourceId, at);
        this.lastError.delete(a.sourceId);
      } else this.lastError.set(a.sourceId, `${a.error?.kind ?? 'error'}: ${a.error?.message ?? 'failed'}`);
    }
  }

  lastOkBySource(): ReadonlyMap<string, number> {
    return this.lastOk;
  }

  /** Newest valid reply from any source; the start time while none has answered yet (grace period). */
  lastDataAt(): number {
    let newest = this.startedAt;
    for (const t of this.lastOk.values()) newest = Math.max(newest, t);
    return newest;
  }

  /** A source is healthy when it is in rotation and its latest attempt (if any) did not fail. */
  status(sources: readonly Source[], now: number): SourceStatus[] {
    return sources.map((s) => {
      const out = s.unavailableReason(now);
      const err = this.lastError.get(s.id);
      const reason = out ?? err;
      return {
        id: s.id,
        healthy: !reason,
        ...(reason ? { reason } : {}),
        ...(this.lastOk.has(s.id) ? { lastOkAt: this.lastOk.get(s.id) } : {}),
      };
    });
  }
}

/** Newest data as the deployment sees it: any replica's (the shared key) or, when Redis is silent, this one's. */
export const newestDataAt = (own: number, shared: number | undefined): number => Math.max(own, shared ?? 0);
