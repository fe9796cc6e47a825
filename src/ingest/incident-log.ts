/**
 * Logs a recurring failure once per incident, not once per poll cycle: a line when it starts, a summary
 * while it lasts (count, last reason; at most every `summaryEveryMs`), a line when it ends. A source that
 * fails every 2 s for ten minutes writes three or four lines instead of three hundred.
 *
 * State is keyed by an object that lives as long as the thing failing (a Source, the source list of an
 * ingest stage), so a config reload that builds new sources starts afresh and nothing leaks.
 */
import type { Logger } from '../util/log';

/** Default period of "still failing" summaries. */
export const SUMMARY_EVERY_MS = 5 * 60_000;

interface Incident {
  startedAt: number;
  count: number;
  lastReason: string;
  lastSummaryAt: number;
  /** Failures by kind (timeout, http, auth…) when the caller names one. */
  byKind: Record<string, number>;
}

type Level = 'warn' | 'error';

export class IncidentLog {
  private readonly open = new WeakMap<object, Map<string, Incident>>();

  constructor(
    private readonly summaryEveryMs = SUMMARY_EVERY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * One failure of `what` (on `owner`). `message` is the first line's text; later failures of the same
   * incident are counted and summarized.
   */
  fail(
    log: Logger,
    owner: object,
    what: string,
    o: { level: Level; reason: string; message: string; kind?: string; fields?: Record<string, unknown> },
  ): void {
    const t = this.now();
    let byWhat = this.open.get(owner);
    if (!byWhat) this.open.set(owner, (byWhat = new Map<string, Incident>()));
    const inc = byWhat.get(what);
    if (!inc) {
      byWhat.set(what, {
        startedAt: t,
        count: 1,
        lastReason: o.reason,
        lastSummaryAt: t,
        byKind: o.kind ? { [o.kind]: 1 } : {},
      });
      log[o.level]({ ...o.fields, incident: 'started', reason: o.reason }, o.message);
      return;
    }
    inc.count++;
    inc.lastReason = o.reason;
    if (o.kind) inc.byKind[o.kind] = (inc.byKind[o.kind] ?? 0) + 1;
    if (t - inc.lastSummaryAt < this.summaryEveryMs) return;
    inc.lastSummaryAt = t;
    log[o.level](
      {
        ...o.fields,
        incident: 'ongoing',
        failures: inc.count,
        byKind: inc.byKind,
        since: new Date(inc.startedAt).toISOString(),
        reason: o.reason,
      },
      `${what}: still failing (${inc.count} times since ${new Date(inc.startedAt).toISOString()}); last: ${o.reason}`,
    );
  }

  /** `what` works again: one line if an incident was open. */
  ok(log: Logger, owner: object, what: string, fields: Record<string, unknown> = {}): void {
    const inc = this.open.get(owner)?.get(what);
    if (!inc) return;
    this.open.get(owner)!.delete(what);
    const ms = this.now() - inc.startedAt;
    log.info(
      {
        ...fields,
        incident: 'ended',
        failures: inc.count,
        byKind: inc.byKind,
        durationS: Math.round(ms / 1000),
        lastReason: inc.lastReason,
      },
      `${what}: recovered after ${inc.count} failure(s) over ${Math.round(ms / 1000)} s`,
    );
  }

  isOpen(owner: object, what: string): boolean {
    return !!this.open.get(owner)?.has(what);
  }
}

/** The process-wide incident log of poll cycles (runPollCycle uses it unless given its own). */
export const pollIncidents = new IncidentLog();
