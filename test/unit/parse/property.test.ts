/**
 * Property: whatever a server sends, the parsers either return a well-formed FetchResult or throw a
 * SourceError('malformed'); never a TypeError or anything else that would crash a poll cycle.
 */
import fc from 'fast-check';
import type { AircraftState } from '../../../src/domain/aircraft-state';
import { parseOpenSkyReply, parseOpenSkyText } from '../../../src/sources/opensky/parse';
import { parseReadsbReply, parseReadsbText, type ParseContext } from '../../../src/sources/readsb/parse';
import { SourceError, type FetchResult } from '../../../src/sources/source';

const ctx: ParseContext = { sourceId: 'prop', fetchedAt: 1_700_000_000_000 };
const RUNS = 300;

function attempt(fn: () => FetchResult): FetchResult | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof SourceError) || e.kind !== 'malformed') throw e;
    expect(e.message).toMatch(/^source prop: malformed: \S/);
    return undefined;
  }
}

const finiteOrUndef = (v: number | undefined) => v === undefined || Number.isFinite(v);

function checkStates(states: AircraftState[]): void {
  for (const s of states) {
    expect(s.hex).toMatch(/^~?[0-9a-f]{6}$/);
    for (const v of [s.lat, s.lon, s.altFt, s.gsKt, s.trackDeg, s.vrateFpm, s.positionAgeS, s.positionAt])
      expect(finiteOrUndef(v)).toBe(true);
    expect(Number.isFinite(s.observedAt)).toBe(true);
    expect(s.lat === undefined).toBe(s.lon === undefined);
    if (s.lat !== undefined) expect(Math.abs(s.lat) <= 90 && Math.abs(s.lon!) <= 180).toBe(true);
    expect(typeof s.onGround).toBe('boolean');
    for (const k of ['registration', 'type', 'callsign', 'operator', 'squawk', 'sourceType'] as const)
      expect(s[k] === undefined || (typeof s[k] === 'string' && s[k].length > 0)).toBe(true);
  }
}

/** Records built from the keys the parsers read, each holding any JSON value (plus plausible ones). */
const readsbValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom('ground', 'abc123', '~abc123', 'ABCDEF', '  GXA123 '),
  fc.double(),
);
const readsbRecord = fc.dictionary(
  fc.constantFrom(
    'hex',
    'flight',
    'r',
    't',
    'ownOp',
    'alt_baro',
    'gs',
    'track',
    'true_heading',
    'baro_rate',
    'geom_rate',
    'lat',
    'lon',
    'seen',
    'seen_pos',
    'squawk',
    'type',
    'dbFlags',
    'lastPosition',
    'other',
  ),
  fc.oneof(readsbValue, fc.dictionary(fc.constantFrom('lat', 'lon', 'seen_pos'), readsbValue)),
);
const openskyVector = fc.oneof(
  fc.array(fc.oneof(fc.jsonValue(), fc.double(), fc.constantFrom('abc123', 'ABC123')), {
    minLength: 15,
    maxLength: 19,
  }),
  fc.jsonValue(),
);

describe('parsers never throw anything but SourceError', () => {
  it('readsb: arbitrary JSON values (object and text paths)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = attempt(() => parseReadsbReply(v, ctx));
        if (r) checkStates(r.states);
        attempt(() => parseReadsbText(JSON.stringify(v) ?? '', ctx));
      }),
      { numRuns: RUNS },
    );
  });

  it('readsb: arbitrary records inside a valid envelope keep the counts consistent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ac', 'aircraft'),
        fc.array(fc.oneof(readsbRecord, fc.jsonValue()), { maxLength: 30 }),
        fc.jsonValue(),
        (key, list, now) => {
          const r = attempt(() => parseReadsbReply({ [key]: list, now }, ctx));
          expect(r).toBeDefined(); // a valid envelope never fails as a whole
          checkStates(r!.states);
          expect(r!.states.length).toBeLessThanOrEqual(list.length);
          expect(r!.rejected).toBeLessThanOrEqual(list.length);
          expect(r!.states.length + r!.rejected).toBeGreaterThanOrEqual(list.length);
          expect(r!.rejected === 0).toBe((r!.rejectReasons ?? []).filter((x) => !x.startsWith('now:')).length === 0);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('OpenSky: arbitrary JSON values and arbitrary vectors', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(openskyVector, { maxLength: 20 }), fc.jsonValue(), (v, states, time) => {
        const r = attempt(() => parseOpenSkyReply(v, ctx));
        if (r) checkStates(r.states);
        attempt(() => parseOpenSkyText(JSON.stringify(v) ?? '', ctx));
        const r2 = attempt(() => parseOpenSkyReply({ time, states }, ctx));
        expect(r2).toBeDefined();
        checkStates(r2!.states);
        expect(r2!.states.length + r2!.rejected).toBeGreaterThanOrEqual(states.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary text (including cut-off JSON) through both text parsers', () => {
    const cutJson = fc.tuple(fc.jsonValue(), fc.nat()).map(([v, n]) => {
      const t = JSON.stringify({ ac: [v], states: [[v]], time: 1 });
      return t.slice(0, n % (t.length + 1));
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), cutJson), (text) => {
        attempt(() => parseReadsbText(text, ctx));
        attempt(() => parseOpenSkyText(text, ctx));
      }),
      { numRuns: RUNS },
    );
  });
});
