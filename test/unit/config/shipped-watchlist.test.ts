/**
 * The shipped watchlist: pattern entries where watchers match number ranges (alert at once), operator-wide
 * entries kept but delivered as a digest, and real callsigns from the recorded captures and the docs landing
 * on the right entries.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfigText, formatProblem } from '../../../src/config/load';
import { Watchlist, deliveryOf, digestEntryIds, OPERATOR_WIDE_TAG } from '../../../src/domain/watchlist';
import type { AircraftState } from '../../../src/domain/aircraft-state';
import { isDigestOnly } from '../../../src/alerting/digest';
import type { FlightEvent } from '../../../src/domain/event';

const r = parseConfigText(readFileSync(resolve(__dirname, '../../../config/flightwatch.yaml'), 'utf8'));
if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
const config = r.config;
const list = new Watchlist(config.watch);

const aircraft = (callsign: string, o: Partial<AircraftState> = {}): AircraftState => ({
  hex: 'a00001',
  callsign,
  onGround: false,
  flags: { military: false, interesting: false, pia: false, ladd: false },
  observedAt: 0,
  sourceId: 's',
  fetchedAt: 0,
  ...o,
});
const ids = (callsign: string) => (list.match(aircraft(callsign))?.ids ?? []).sort();
const digest = digestEntryIds(config.watch);
const digestOnly = (callsign: string) =>
  isDigestOnly({ watch: { ids: ids(callsign), tags: [] } } as unknown as FlightEvent, digest);

it('every operator-wide entry is a digest entry, every other one alerts at once', () => {
  const wide = config.watch.filter((w) => w.tags.includes(OPERATOR_WIDE_TAG)).map((w) => w.id);
  expect(wide.sort()).toEqual(['avelo', 'denver-air-connection', 'globalx', 'omni']);
  for (const w of config.watch) expect(deliveryOf(w)).toBe(wide.includes(w.id) ? 'digest' : 'instant');
});

it.each([
  // callsign, entries, only in the digest
  ['GXA6117', ['globalx', 'globalx-ice-numbers'], false], // OpenSky capture 2025-01-31, over the Gulf
  ['GXA690', ['globalx', 'globalx-ice-numbers'], false], // VRS route KMFE-MHLM
  ['GXA123', ['globalx'], true], // a GlobalX number outside the ICE range: digest
  ['GXA61234', ['globalx'], true],
  ['VXP5412', ['avelo', 'avelo-ice-numbers'], false],
  ['VXP101', ['avelo'], true],
  ['OAE4127', ['omni', 'omni-ice-numbers'], false],
  ['OAE101', ['omni'], true],
  ['LYM300', ['denver-air-connection', 'key-lime-ice-numbers'], false],
  ['LYM5001', ['denver-air-connection', 'key-lime-ice-numbers'], false],
  ['LYM3101', ['denver-air-connection'], true], // scheduled KCEZ-KPHX (VRS routes)
  ['TYSON41', ['tyson-callsigns'], false],
  ['TYSON60', ['tyson-callsigns'], false],
  ['TYSON61', [], false],
  ['TYSON4', [], false],
  ['AWI7001', ['air-wisconsin-ice-numbers'], false],
  ['AWI3001', [], false],
  ['EAL8123', ['eastern-airlines-ice-numbers'], false],
  ['BBQ8368', ['eastern-air-express'], false], // OpenSky capture 2025-01-31
  ['WAL601', ['world-atlantic'], false],
] as const)('%s matches %j (digest only: %s)', (callsign, want, inDigest) => {
  expect(ids(callsign)).toEqual([...want].sort());
  if (want.length) expect(digestOnly(callsign)).toBe(inDigest);
});
