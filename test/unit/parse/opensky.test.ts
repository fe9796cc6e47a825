import {
  FEET_PER_METRE,
  FPM_PER_MPS,
  KNOTS_PER_MPS,
  parseOpenSkyReply,
  parseOpenSkyText,
  type ParseContext,
} from '../../../src/sources/opensky/parse';
import { SourceError } from '../../../src/sources/source';
import { OPENSKY_CONUS, OPENSKY_GLOBAL, describeShared, readText } from '../../helpers/shared';

const ctx: ParseContext = { sourceId: 'opensky', fetchedAt: 1_738_361_590_000 };

function malformed(fn: () => unknown): SourceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    expect((e as SourceError).kind).toBe('malformed');
    return e as SourceError;
  }
  throw new Error('expected a SourceError, nothing was thrown');
}

describe('unit conversions', () => {
  it('uses the exact definitions (1 ft = 0.3048 m, 1 kt = 1852 m/h)', () => {
    expect(10363.2 * FEET_PER_METRE).toBeCloseTo(34000, 6);
    expect((1852 / 3600) * KNOTS_PER_MPS).toBeCloseTo(1, 12);
    expect((0.3048 / 60) * FPM_PER_MPS).toBeCloseTo(1, 12);
  });
});

describeShared('OpenSky parser over the real CONUS capture (6,109 vectors)', () => {
  const text = readText(OPENSKY_CONUS);
  const res = parseOpenSkyText(text, ctx);
  const find = (cs: string) => res.states.find((s) => s.callsign === cs);

  it('normalizes every vector, with the reply time as server time', () => {
    expect(res.states).toHaveLength(6109);
    expect(res.rejected).toBe(0);
    expect(res.serverTime).toBe(1_738_361_582_000);
    expect(res.bytes).toBe(819_415);
    expect(res.states.filter((s) => s.onGround)).toHaveLength(461);
    expect(
      res.states.every((s) => s.registration === undefined && s.type === undefined && s.operator === undefined),
    ).toBe(true);
    expect(res.states.every((s) => !s.flags.military && !s.flags.ladd && !s.flags.pia && !s.flags.interesting)).toBe(
      true,
    );
    expect(res.states.every((s) => s.sourceType?.startsWith('opensky:'))).toBe(true);
    expect(res.states.filter((s) => s.onGround && s.altFt !== undefined)).toHaveLength(0);
  });

  it('GXA6117 (ab7437) over the Gulf: hand-computed conversions', () => {
    // ["ab7437","GXA6117 ","United States",1738361581,1738361582,-95.0635,29.1768,10355.58,false,180.42,239.12,0,null,10736.58,"0411",false,0]
    expect(find('GXA6117')).toEqual({
      hex: 'ab7437',
      callsign: 'GXA6117',
      lat: 29.1768,
      lon: -95.0635,
      altFt: 33975, // 10355.58 m / 0.3048 = 33974.99…
      onGround: false,
      gsKt: 350.7, // 180.42 m/s × 3600 / 1852 = 350.708…
      trackDeg: 239.12,
      vrateFpm: 0,
      squawk: '0411',
      flags: { military: false, interesting: false, pia: false, ladd: false },
      positionAgeS: 1, // time 1738361582 − time_position 1738361581
      observedAt: 1_738_361_582_000, // last_contact
      positionAt: 1_738_361_581_000,
      sourceType: 'opensky:0',
      sourceId: 'opensky',
      fetchedAt: ctx.fetchedAt,
    });
    // South-west of Houston, heading south-west.
    const s = find('GXA6117')!;
    expect(s.lat! < 29.8 && s.lon! < -94.5).toBe(true);
  });

  it('BBQ8368 (acb2ba, N917XA): climbing 0.33 m/s → 65 ft/min, 11277.6 m → 37,000 ft', () => {
    const s = find('BBQ8368')!;
    expect(s.hex).toBe('acb2ba');
    expect(s.altFt).toBe(37000);
    expect(s.vrateFpm).toBe(65); // 0.33 × 60 / 0.3048 = 64.96
    expect(s.gsKt).toBe(588.6); // 302.78 × 1.943844 = 588.557
    expect(s.squawk).toBeUndefined(); // null in the capture
    expect(s.positionAgeS).toBe(1);
  });

  it('finds the charter callsigns the matcher tests rely on', () => {
    const prefixes = (p: string) => res.states.filter((s) => s.callsign?.startsWith(p)).length;
    expect(prefixes('GXA')).toBe(2);
    expect(prefixes('BBQ')).toBe(3);
    expect(prefixes('VXP')).toBe(7);
    expect(prefixes('LYM')).toBe(3);
    expect(find('WAL290')?.hex).toBe('452166');
  });

  it('the parsed-object path gives the same states', () => {
    expect(JSON.stringify(parseOpenSkyReply(JSON.parse(text), ctx).states)).toBe(JSON.stringify(res.states));
  });
});

describeShared('OpenSky parser over the real global capture (5,485 vectors)', () => {
  const res = parseOpenSkyText(readText(OPENSKY_GLOBAL), ctx);

  it('keeps vectors without a position (101) as states without lat/lon', () => {
    expect(res.states).toHaveLength(5485);
    expect(res.rejected).toBe(0);
    const noPos = res.states.filter((s) => s.lat === undefined);
    expect(noPos).toHaveLength(101);
    expect(noPos.every((s) => s.lon === undefined && s.positionAt === undefined && s.positionAgeS === undefined)).toBe(
      true,
    );
    expect(res.states.filter((s) => s.onGround)).toHaveLength(379);
    expect(res.states.find((s) => s.callsign === 'SWQ1914')?.hex).toBe('a8db0b');
    expect(res.states.find((s) => s.callsign === 'OAE8408')?.hex).toBe('a3e89a');
  });

  it('measures position age against the reply time (1634471390)', () => {
    // LPE2181 (e8027e): time_position 1634471112 → 278 s old.
    const s = res.states.find((x) => x.hex === 'e8027e')!;
    expect(s.positionAgeS).toBe(278);
    expect(s.positionAt).toBe(1_634_471_112_000);
    expect(res.states.every((x) => x.positionAgeS === undefined || x.positionAgeS >= 0)).toBe(true);
  });
});

describe('OpenSky envelopes and bad input', () => {
  const vec = ['A1B2C3', 'TEST1   ', 'X', 100, 101, 10, 20, 1000, false, 100, 90, -5, null, 1100, '7700', false, 2, 4];

  it('reads 18-field (extended) vectors and null states', () => {
    const r = parseOpenSkyReply({ time: 102, states: [vec] }, ctx);
    expect(r.states[0]).toMatchObject({
      hex: 'a1b2c3',
      callsign: 'TEST1',
      altFt: 3281,
      sourceType: 'opensky:2',
      positionAgeS: 2,
      squawk: '7700',
    });
    expect(r.states[0].vrateFpm).toBe(-984); // −5 m/s
    expect(parseOpenSkyReply({ time: 1, states: null }, ctx).states).toEqual([]);
    expect(parseOpenSkyText('{"time":1,"states":[]}', ctx).states).toEqual([]);
  });

  it('bounds the age by last_contact when time_position is null', () => {
    const v = [...vec];
    v[3] = null;
    const s = parseOpenSkyReply({ time: 131, states: [v] }, ctx).states[0];
    expect(s.positionAgeS).toBe(30);
    expect(s.positionAt).toBe(101_000);
  });

  it.each([
    ['truncated', '{"time":1,"states":[["abc123"', /not JSON: .*\(the body ends there: truncated\?\)/],
    [
      'HTML',
      '<html><title>Service Unavailable</title></html>',
      /HTML page instead of JSON \(title "Service Unavailable"\)/,
    ],
    ['top-level array', '[["abc123"]]', /top level is an array, expected an object with `time` and `states`/],
    ['states as object', '{"time":1,"states":{}}', /`states` is an object, expected an array or null/],
    ['neither key', '{"error":"Too many requests"}', /no `time`\/`states`; reply says "Too many requests"/],
  ])('%s → malformed', (_n, body, msg) => {
    expect(malformed(() => parseOpenSkyText(body, ctx)).message).toMatch(msg);
  });

  it('rejects bad vectors and bad fields with index and field name', () => {
    const badLat = [...vec];
    badLat[6] = '20';
    const badGround = [...vec];
    badGround[8] = 'no';
    const r = parseOpenSkyReply(
      {
        time: 102,
        states: [vec, ['abc123', 'X'], 'abc123', [...vec.slice(0, 0), 'xyz', ...vec.slice(1)], badLat, badGround],
      },
      ctx,
    );
    expect(r.states.map((s) => s.hex)).toEqual(['a1b2c3', 'a1b2c3', 'a1b2c3']);
    expect(r.rejected).toBe(5);
    expect(r.states[1].lat).toBeUndefined();
    expect(r.states[2].onGround).toBe(false);
    expect(r.rejectReasons).toEqual([
      'states[1]: expected 17 or 18 fields, got 2',
      'states[2]: expected an array (state vector), got a string',
      'states[3][0] (icao24): expected a 6-digit hex string, got "xyz"',
      'states[4][6] (latitude): expected a number or null, got a string',
      'states[5][8] (on_ground): expected a boolean, got a string',
    ]);
  });
});
