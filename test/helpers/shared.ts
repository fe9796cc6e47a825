/**
 * The recorded real data in ../shared beside the repository (read-only, never copied into it): real API
 * captures in fixtures/, reference tables in data/. Suites over it use `describeShared`, which skips them,
 * naming what is missing, when ../shared is not laid out — except under CI=true, where a missing file fails
 * the run: CI must test against the real data, not skip it silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED = resolve(__dirname, '../../../shared');
export const FIXTURES = join(SHARED, 'fixtures');
export const DATA = join(SHARED, 'data');

/** Captures (fixtures/). */
export const ADSBX = join(FIXTURES, 'adsbx-readsb-hist-20220501T000000Z-aircraft.json');
export const DUMP1090 = join(FIXTURES, 'dump1090fa-aircraft-20200519.json');
export const OPENSKY_CONUS = join(FIXTURES, 'opensky-states-all-conus-20250131.json');
export const OPENSKY_GLOBAL = join(FIXTURES, 'opensky-states-all-global-20211017.json');

/** Reference tables (data/). */
export const VRS_AIRPORTS = join(DATA, 'vrs-airports.csv');
export const VRS_AIRCRAFT = join(DATA, 'vrs-aircraft.csv');
export const OPENFLIGHTS_AIRPORTS = join(DATA, 'openflights-airports.dat');
export const OURAIRPORTS_COUNTRIES = join(DATA, 'ourairports-countries.csv');
export const WISEMAN_AIRCRAFT = join(DATA, 'wiseman-ice-air-aircraft.csv');

export const readText = (file: string) => readFileSync(file, 'utf8');

/**
 * `describe(what, fn)` when ../shared is laid out (its fixtures/ and data/). Otherwise `fn` is not run: the suite
 * is skipped with a warning naming what is missing or, under CI=true, replaced by one failing test naming it.
 * (A file missing from a laid-out ../shared fails the suite that reads it, naming the file.)
 */
export function describeShared(what: string, fn: () => void): void {
  const missing = [FIXTURES, DATA].filter((p) => !existsSync(p));
  if (!missing.length) return describe(what, fn);
  const names = missing.join(' and ');
  if (process.env.CI === 'true')
    return describe(what, () => {
      it('has its recorded data in ../shared', () => {
        throw new Error(`missing ${names}: CI must lay out ../shared (the recorded real data) beside the repository`);
      });
    });
  console.warn(`skipping "${what}": missing ${names}`);
  // Not `describe.skip(what, fn)`: jest would still run `fn` to collect its tests, and `fn` may read the files.
  describe.skip(what, () => it(`needs ${names}`, () => undefined));
}
