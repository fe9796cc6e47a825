/** Paths to the read-only real captures in ../shared (never copied into the repo) and a skip helper. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED = resolve(__dirname, '../../../../shared');
export const FIXTURES = resolve(SHARED, 'fixtures');
export const DATA = resolve(SHARED, 'data');

export const ADSBX = resolve(FIXTURES, 'adsbx-readsb-hist-20220501T000000Z-aircraft.json');
export const DUMP1090 = resolve(FIXTURES, 'dump1090fa-aircraft-20200519.json');
export const OPENSKY_CONUS = resolve(FIXTURES, 'opensky-states-all-conus-20250131.json');
export const OPENSKY_GLOBAL = resolve(FIXTURES, 'opensky-states-all-global-20211017.json');
export const VRS_AIRCRAFT = resolve(DATA, 'vrs-aircraft.csv');
export const WISEMAN_AIRCRAFT = resolve(DATA, 'wiseman-ice-air-aircraft.csv');

export const HAVE_SHARED = existsSync(FIXTURES) && existsSync(DATA);

/** `describe` when ../shared is present, otherwise a skipped describe with a message saying why. */
export const describeShared: jest.Describe = HAVE_SHARED
  ? describe
  : (console.warn(`${SHARED} absent: skipping tests over the real captures`), describe.skip);

export const readText = (file: string) => readFileSync(file, 'utf8');
