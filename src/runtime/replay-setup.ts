/**
 * Builds what a replay needs from the config, the same way the worker does: the watchlist, the airport
 * index (downloaded table, else the npm fallback), the aircraft-DB enrichment when configured, and a
 * detector over a fresh in-memory track store.
 */
import type { Config } from '../config/schema';
import { readAirportsFile } from '../data/airports-file';
import { loadAirportIndex } from '../data/load-airports';
import { useMapPlaces } from '../alerting/channels/map/places';
import { createDetector, MemoryTrackStore, type FlightDetector } from '../detect';
import type { AircraftState } from '../domain/aircraft-state';
import { Watchlist } from '../domain/watchlist';
import { loadEnrichment } from '../enrich/load';
import type { AirportIndex } from '../places/airport-index';
import { createAirportIndex } from '../places/kd-airport-index';
import { createLogger, type Logger } from '../util/log';
import { detectorOptionsFromConfig } from './detector-setup';

/** A logger whose warnings become operator-facing lines (replay prints to stderr, not JSON logs). */
function collectingLogger(into: string[]): Logger {
  return createLogger({
    level: 'warn',
    name: 'replay',
    destination: {
      write(line: string) {
        const rec = JSON.parse(line) as Record<string, unknown>;
        const msg = String(rec.msg);
        for (const k of ['msg', 'level', 'time', 'name', 'pid', 'hostname']) delete rec[k];
        into.push(Object.keys(rec).length ? `${msg}: ${JSON.stringify(rec)}` : msg);
      },
    },
  });
}

export interface ReplayContext {
  watchlist: Watchlist;
  detector: FlightDetector;
  airports: AirportIndex;
  enrich?: (s: AircraftState) => AircraftState;
  /** Non-fatal notes for the operator (fallback airport table, unknown destination airports…). */
  warnings: string[];
}

export interface ReplaySetupOptions {
  /** An airports.json (flightwatch.airports/v1) to use instead of `data.dir`. */
  airportsFile?: string;
  /** An already-built index (tests, bench). */
  airports?: AirportIndex;
}

export async function createReplayContext(config: Config, opts: ReplaySetupOptions = {}): Promise<ReplayContext> {
  const warnings: string[] = [];
  let airports = opts.airports;
  if (!airports && opts.airportsFile) {
    const t = readAirportsFile(opts.airportsFile);
    airports = createAirportIndex(t.airports, t.countries);
  }
  airports ??= await loadAirportIndex({ dir: config.data.dir, warn: (m) => warnings.push(m) });
  useMapPlaces(airports); // maps of delivered replay alerts, as in the worker
  const detector = createDetector(
    detectorOptionsFromConfig(config, airports, new MemoryTrackStore(), collectingLogger(warnings)),
  );
  // The aircraft DB (data.aircraftDb, or <data.dir>/vrs-aircraft.csv) fills registration/type/operator,
  // which OpenSky and plain receivers never send: without it, type and registration entries cannot match them.
  const enrich = loadEnrichment(config, collectingLogger(warnings));
  return { watchlist: new Watchlist(config.watch), detector, airports, enrich, warnings };
}
