/**
 * Picks and loads the aircraft database the config points to and returns the enrichment step for the
 * pipeline. A missing or broken database is logged and the worker runs without enrichment: states still
 * flow (matching by hex, callsign, or the source's own `r`/`t` keeps working), nothing crashes.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema';
import type { AircraftState } from '../domain/aircraft-state';
import type { Logger } from '../util/log';
import { AircraftDbError, loadAircraftDb, type AircraftDb } from './aircraft-db';

/** File name `flightwatch data update` installs the VRS aircraft table under, inside `data.dir`. */
export const DEFAULT_AIRCRAFT_DB_FILE = 'vrs-aircraft.csv';

/** The database file to use: `data.aircraftDb` if set, else `<data.dir>/vrs-aircraft.csv` when present. */
export function aircraftDbPath(config: Pick<Config, 'data'>): string | undefined {
  if (config.data.aircraftDb) return resolve(config.data.aircraftDb);
  const fallback = resolve(join(config.data.dir, DEFAULT_AIRCRAFT_DB_FILE));
  return existsSync(fallback) ? fallback : undefined;
}

/** Loads the DB or returns undefined (logged). Synchronous: runs once at startup, before the first poll. */
export function loadConfiguredAircraftDb(config: Pick<Config, 'data'>, log: Logger): AircraftDb | undefined {
  const file = aircraftDbPath(config);
  if (!file) {
    log.info('no aircraft database configured (data.aircraftDb); OpenSky/receiver states keep no registration/type');
    return undefined;
  }
  try {
    const db = loadAircraftDb(file);
    log.info({ file, aircraft: db.size, skippedRows: db.skipped }, 'aircraft database loaded');
    if (db.skipped)
      log.warn({ file, skippedRows: db.skipped, examples: db.problems.slice(0, 5) }, 'aircraft database rows skipped');
    return db;
  } catch (e) {
    const reason = e instanceof AircraftDbError ? e.message : `${file}: ${(e as Error).message}`;
    log.error({ file, reason }, 'aircraft database unusable; continuing without enrichment');
    return undefined;
  }
}

/** The enrichment function for poll cycles / replay, or undefined when there is no database. */
export function loadEnrichment(
  config: Pick<Config, 'data'>,
  log: Logger,
): ((s: AircraftState) => AircraftState) | undefined {
  const db = loadConfiguredAircraftDb(config, log);
  return db ? (s) => db.enrich(s) : undefined;
}
