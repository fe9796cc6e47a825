/**
 * Builds the ingest stage from a validated config: sources (failover order), the watch plan, the compiled
 * watchlist and the enrichment function. Shared by `poll --once`, the worker and replay.
 */
import type { Config } from '../config/schema';
import { Watchlist } from '../domain/watchlist';
import type { AircraftState } from '../domain/aircraft-state';
import { createSources, type ClosableSource } from '../sources/registry';
import type { HttpSourceOptions } from '../sources/http/http-source';
import type { WatchPlan } from '../sources/source';
import { planFromConfig } from './planner';
import type { Logger } from '../util/log';

export interface IngestStage {
  sources: ClosableSource[];
  plan: WatchPlan;
  watchlist: Watchlist;
  enrich?: (s: AircraftState) => AircraftState;
  close(): void;
}

export function buildIngest(
  config: Config,
  opts: { log: Logger; http?: HttpSourceOptions; enrich?: (s: AircraftState) => AircraftState },
): IngestStage {
  const sources = createSources(config.sources, opts.http);
  return {
    sources,
    plan: planFromConfig(config),
    watchlist: new Watchlist(config.watch),
    enrich: opts.enrich,
    close: () => sources.forEach((s) => s.close()),
  };
}
