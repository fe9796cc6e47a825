/**
 * Prometheus metrics (prom-client, own registry). Counters are fed by the worker as things happen (poll
 * cycles, detected events, operational alerts, notify job outcomes in THIS process, so summing over replicas
 * is right; events and operational alerts through `deliveryObserver`, once each across replicas); gauges
 * that describe shared state (queue depths, dead letters) or the current moment (data age, credits) are
 * read at scrape time through the providers given to `createMetrics`.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { PollCycleResult } from '../ingest/poll-cycle';
import type { FlightEvent, OperationalKind } from '../domain/event';
import type { DeliveryObserver } from '../pipeline/context';
import type { Source } from '../sources/source';
import type { Queues } from '../pipeline/queues';
import type { SourceFreshness } from './freshness';

export interface MetricsProviders {
  /** Current sources (they change on reload). */
  sources(): readonly Source[];
  queues(): Pick<Queues, 'poll' | 'detect' | 'notify'> | undefined;
  freshness: SourceFreshness;
  now?: () => number;
  /** Poll slots this process's trigger skipped (Redis slow or down, event loop blocked). */
  skippedPollSlots?: () => number;
}

/** Outcome label of a notify job: NotifyResult outcomes plus the failure paths. */
export type DeliveryOutcome = 'delivered' | 'duplicate' | 'silenced' | 'suppressed' | 'retry' | 'dead_letter';

export interface Metrics {
  registry: Registry;
  recordPollCycle(r: PollCycleResult): void;
  recordEvents(events: readonly FlightEvent[]): void;
  recordDelivery(channel: string, outcome: DeliveryOutcome, operational?: boolean): void;
  recordOperationalAlert(kind: OperationalKind): void;
}

/**
 * What the delivery pipeline reports, into the metrics: an event when it first enters the history (so the
 * events of a failed detect batch, delivered by the outbox drain, count, and no event counts twice), an
 * operational alert of any kind when it is raised (not its idempotent re-raises).
 */
export function deliveryObserver(m: Pick<Metrics, 'recordEvents' | 'recordOperationalAlert'>): DeliveryObserver {
  return {
    eventRecorded: (e) => m.recordEvents([e]),
    operationalRaised: (kind) => m.recordOperationalAlert(kind),
  };
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

interface CreditsLike {
  credits?: { snapshot(now: number): { daily: number; spent: number; remaining: number } };
}

export function createMetrics(p: MetricsProviders): Metrics {
  const now = p.now ?? Date.now;
  const registry = new Registry();
  // prom-client's names already start with process_ or nodejs_: one prefix, not flightwatch_process_process_*.
  collectDefaultMetrics({ register: registry, prefix: 'flightwatch_' });
  const reg = [registry];

  const cycles = new Counter({
    name: 'flightwatch_poll_cycles_total',
    help: 'Poll cycles by outcome (served: some source completed the plan)',
    labelNames: ['outcome'],
    registers: reg,
  });
  const sourcePolls = new Counter({
    name: 'flightwatch_source_polls_total',
    help: 'Poll attempts per source and outcome (ok, skipped, or the error kind: timeout, http, rate-limited, auth, malformed…)',
    labelNames: ['source', 'outcome'],
    registers: reg,
  });
  const requests = new Counter({
    name: 'flightwatch_source_requests_total',
    help: 'HTTP requests made per source',
    labelNames: ['source'],
    registers: reg,
  });
  const bytes = new Counter({
    name: 'flightwatch_source_response_bytes_total',
    help: 'Response bytes received per source',
    labelNames: ['source'],
    registers: reg,
  });
  const rejected = new Counter({
    name: 'flightwatch_records_rejected_total',
    help: 'Aircraft records dropped during normalization',
    registers: reg,
  });
  const matchedNow = new Gauge({
    name: 'flightwatch_matched_aircraft',
    help: 'Watched aircraft seen in the last poll cycle',
    registers: reg,
  });
  const matchedTotal = new Counter({
    name: 'flightwatch_matched_aircraft_total',
    help: 'Watched aircraft observations over all poll cycles',
    registers: reg,
  });
  const states = new Gauge({
    name: 'flightwatch_aircraft_seen',
    help: 'Distinct aircraft in the last poll cycle (watched or not)',
    registers: reg,
  });
  const events = new Counter({
    name: 'flightwatch_events_total',
    help: 'Detected events by type, counted once each when they enter the history (also those an outbox drain delivers after a failed detect batch)',
    labelNames: ['type'],
    registers: reg,
  });
  const deliveries = new Counter({
    name: 'flightwatch_deliveries_total',
    help: 'Notify jobs finished in this process by channel and outcome (delivered, duplicate, silenced, suppressed, retry, dead_letter)',
    labelNames: ['channel', 'outcome', 'operational'],
    registers: reg,
  });
  new Counter({
    name: 'flightwatch_poll_slots_skipped_total',
    help: 'Poll slots the trigger of this process skipped: the previous enqueue still waited for Redis, or node-cron missed the slot',
    registers: reg,
    collect() {
      this.reset();
      this.inc(p.skippedPollSlots?.() ?? 0);
    },
  });
  const operational = new Counter({
    name: 'flightwatch_operational_alerts_total',
    help: 'Operational alerts raised by this process, by kind (blind, recovered, channel-disabled), once per incident',
    labelNames: ['kind'],
    registers: reg,
  });

  new Gauge({
    name: 'flightwatch_source_data_age_seconds',
    help: 'Seconds since the source last returned a valid reply (absent until it has)',
    labelNames: ['source'],
    registers: reg,
    collect() {
      this.reset();
      for (const [source, at] of p.freshness.lastOkBySource()) this.set({ source }, Math.max(0, (now() - at) / 1000));
    },
  });
  new Gauge({
    name: 'flightwatch_data_age_seconds',
    help: 'Seconds since any source last returned a valid reply (since start when none has yet)',
    registers: reg,
    collect() {
      this.set(Math.max(0, (now() - p.freshness.lastDataAt()) / 1000));
    },
  });
  new Gauge({
    name: 'flightwatch_source_available',
    help: '1 when the source is in rotation, 0 when out (auth backoff, 429 window, credits exhausted)',
    labelNames: ['source'],
    registers: reg,
    collect() {
      this.reset();
      for (const s of p.sources()) this.set({ source: s.id }, s.unavailableReason(now()) ? 0 : 1);
    },
  });
  const credit = (
    name: string,
    help: string,
    pick: (c: { daily: number; spent: number; remaining: number }) => number,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['source'],
      registers: reg,
      collect() {
        this.reset();
        for (const s of p.sources()) {
          const c = (s as Source & CreditsLike).credits;
          if (c && typeof c.snapshot === 'function') this.set({ source: s.id }, pick(c.snapshot(now())));
        }
      },
    });
  credit('flightwatch_source_credits_used', 'OpenSky /states credits spent today (UTC day) per source', (c) => c.spent);
  credit('flightwatch_source_credits_remaining', 'OpenSky /states credits left today per source', (c) => c.remaining);
  credit('flightwatch_source_credits_daily', 'OpenSky /states daily credit allowance per source', (c) => c.daily);

  new Gauge({
    name: 'flightwatch_queue_jobs',
    help: 'Jobs per queue and state (shared by every replica on this Redis)',
    labelNames: ['queue', 'state'],
    registers: reg,
    async collect() {
      const q = p.queues();
      if (!q) return;
      this.reset();
      for (const queue of [q.poll, q.detect, q.notify]) {
        const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), 2000).catch(() => undefined);
        if (counts) for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'flightwatch_dead_letters',
    help: 'Failed jobs kept as dead letters (`flightwatch dlq list`)',
    labelNames: ['queue'],
    registers: reg,
    async collect() {
      const q = p.queues();
      if (!q) return;
      this.reset();
      for (const queue of [q.notify, q.detect]) {
        const n = await withTimeout(queue.getFailedCount(), 2000).catch(() => undefined);
        if (n !== undefined) this.set({ queue: queue.name }, n);
      }
    },
  });

  return {
    registry,
    recordPollCycle(r) {
      cycles.inc({ outcome: r.servedBy ? 'served' : 'unserved' });
      for (const a of r.attempts) {
        sourcePolls.inc({
          source: a.sourceId,
          outcome: a.ok ? 'ok' : a.skipped ? 'skipped' : (a.error?.kind ?? 'error'),
        });
        if (a.requests) requests.inc({ source: a.sourceId }, a.requests);
        if (a.bytes) bytes.inc({ source: a.sourceId }, a.bytes);
      }
      if (r.rejected) rejected.inc(r.rejected);
      matchedNow.set(r.matched.length);
      matchedTotal.inc(r.matched.length);
      states.set(r.states);
    },
    recordEvents(list) {
      for (const e of list) events.inc({ type: e.type });
    },
    recordDelivery(channel, outcome, op = false) {
      deliveries.inc({ channel, outcome, operational: op ? 'true' : 'false' });
    },
    recordOperationalAlert(kind) {
      operational.inc({ kind });
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, fail) => (t = setTimeout(() => fail(new Error('timeout')), ms)))]).finally(
    () => clearTimeout(t),
  );
}
