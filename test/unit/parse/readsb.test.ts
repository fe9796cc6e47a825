import { parseReadsbReply, parseReadsbText, type ParseContext } from '../../../src/sources/readsb/parse';
import { SourceError } from '../../../src/sources/source';
import { ADSBX, DUMP1090, describeShared, readText } from '../../helpers/shared';

const ctx: ParseContext = { sourceId: 'adsblol', fetchedAt: 1_700_000_000_000 };

/** Runs fn and returns the SourceError it throws (fails the test if it throws anything else or nothing). */
function malformed(fn: () => unknown): SourceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    const se = e as SourceError;
    expect(se.kind).toBe('malformed');
    expect(se.sourceId).toBe(ctx.sourceId);
    return se;
  }
  throw new Error('expected a SourceError, nothing was thrown');
}

describeShared('readsb parser over the real ADS-B Exchange snapshot (8,423 aircraft)', () => {
  const text = readText(ADSBX);
  const raw = JSON.parse(text) as { now: number; aircraft: Record<string, unknown>[] };
  const res = parseReadsbText(text, ctx);
  const byHex = new Map(res.states.map((s) => [s.hex, s]));

  it('normalizes every record and rejects none', () => {
    expect(res.states).toHaveLength(8423);
    expect(res.rejected).toBe(0);
    expect(res.rejectReasons).toBeUndefined();
    expect(res.bytes).toBe(3_809_830);
    // aircraft.json sends `now` in seconds (float): 1651363199.612 s → ms.
    expect(res.serverTime).toBe(1_651_363_199_612);
  });

  it('keeps the documented counts (registration, type, ground, ~ hexes, ADS-C, positions)', () => {
    const count = (f: (s: (typeof res.states)[number]) => boolean) => res.states.filter(f).length;
    expect(count((s) => s.registration !== undefined)).toBe(7563);
    expect(count((s) => s.type !== undefined)).toBe(7518);
    expect(count((s) => s.onGround)).toBe(1485);
    expect(count((s) => s.onGround && s.altFt !== undefined)).toBe(0);
    expect(count((s) => s.hex.startsWith('~'))).toBe(354);
    expect(count((s) => s.sourceType === 'adsc')).toBe(274);
    expect(count((s) => s.type === 'GLF5')).toBe(11);
    expect(count((s) => s.type === 'GLF4')).toBe(13);
    expect(count((s) => s.type === 'B763')).toBe(129);
    // 7,659 current positions plus 321 from `lastPosition`.
    expect(count((s) => s.lat !== undefined)).toBe(7659 + 321);
    expect(count((s) => s.callsign?.startsWith('VXP') ?? false)).toBe(3);
    // Every state has a well-formed hex and a callsign without the 8-char padding.
    expect(res.states.every((s) => /^~?[0-9a-f]{6}$/.test(s.hex))).toBe(true);
    expect(res.states.every((s) => s.callsign === undefined || s.callsign === s.callsign.trim())).toBe(true);
  });

  it('maps dbFlags bits to flags (counted independently from the raw JSON)', () => {
    const rawBits = (bit: number) =>
      raw.aircraft.filter((a) => typeof a.dbFlags === 'number' && (a.dbFlags & bit) !== 0).length;
    const count = (k: 'military' | 'interesting' | 'pia' | 'ladd') => res.states.filter((s) => s.flags[k]).length;
    expect(count('military')).toBe(rawBits(1));
    expect(count('interesting')).toBe(rawBits(2));
    expect(count('pia')).toBe(rawBits(4));
    expect(count('ladd')).toBe(rawBits(8));
    expect(count('military') + count('ladd')).toBeGreaterThan(0);
  });

  it('OAE573: every field of a real record, times from now − seen', () => {
    const s = byHex.get('a5b769');
    expect(s).toEqual({
      hex: 'a5b769',
      registration: 'N468AX',
      type: 'B763',
      callsign: 'OAE573',
      lat: 45.329819,
      lon: -63.679177,
      altFt: 32000,
      onGround: false,
      gsKt: 490,
      trackDeg: 250.2,
      vrateFpm: 0,
      squawk: '0712',
      flags: { military: false, interesting: false, pia: false, ladd: true },
      positionAgeS: 0.303,
      observedAt: 1_651_363_199_612 - 100, // seen 0.1 s
      positionAt: 1_651_363_199_612 - 303, // seen_pos 0.303 s
      sourceType: 'adsb_icao',
      sourceId: 'adsblol',
      fetchedAt: ctx.fetchedAt,
    });
  });

  it('falls back to lastPosition with its own (old) age, and to geom_rate for the vertical rate', () => {
    // 780fa4 (B-8541) has only rr_lat/rr_lon and a lastPosition 40,630.697 s old.
    const s = byHex.get('780fa4')!;
    expect(s.lat).toBe(24.412785);
    expect(s.lon).toBe(114.954512);
    expect(s.positionAgeS).toBe(40630.697);
    expect(s.positionAt).toBe(1_651_363_199_612 - 40_630_697);
    expect(s.vrateFpm).toBe(2304); // no baro_rate
    expect(s.altFt).toBeUndefined();
    expect(s.onGround).toBe(false);
  });

  it('keeps ADS-C positions honestly old', () => {
    const adsc = res.states.filter((s) => s.sourceType === 'adsc' && s.positionAgeS !== undefined);
    expect(adsc.length).toBeGreaterThan(200);
    const ages = adsc.map((s) => s.positionAgeS!).sort((a, b) => a - b);
    expect(ages[ages.length >> 1]).toBeGreaterThan(60); // median ADS-C report is minutes old
    // 845f9f (KZ51, ADS-C) seen_pos 873.399 s.
    expect(byHex.get('845f9f')!.positionAgeS).toBe(873.399);
  });

  it('gives the same states from the parsed object (replay path), with bytes 0', () => {
    const r2 = parseReadsbReply(raw, ctx);
    expect(JSON.stringify(r2.states)).toBe(JSON.stringify(res.states)); // (toEqual on 8k objects is slow)
    expect(r2.bytes).toBe(0);
  });

  it('throws a named malformed error for the snapshot cut at 4,096 bytes', () => {
    const e = malformed(() => parseReadsbText(text.slice(0, 4096), ctx));
    expect(e.message).toMatch(/not JSON: /);
    expect(e.message).toMatch(/position 4096 \(the body ends there: truncated\?\)/);
  });
});

describeShared('readsb parser over a real dump1090-fa receiver file (36 aircraft, no DB fields)', () => {
  const res = parseReadsbText(readText(DUMP1090), ctx);

  it('normalizes all 36 aircraft without registration, type or flags', () => {
    expect(res.states).toHaveLength(36);
    expect(res.rejected).toBe(0);
    expect(res.serverTime).toBe(1_589_902_035_000);
    expect(res.states.some((s) => s.registration !== undefined || s.type !== undefined)).toBe(false);
    expect(res.states.some((s) => s.flags.military || s.flags.ladd || s.flags.pia || s.flags.interesting)).toBe(false);
  });

  it('handles sparse records and "ground" with true_heading as the track fallback', () => {
    const ground = res.states.find((s) => s.hex === 'aa15cc')!;
    expect(ground.onGround).toBe(true);
    expect(ground.altFt).toBeUndefined();
    expect(ground.gsKt).toBe(0);
    expect(ground.trackDeg).toBe(163.1);
    expect(ground.lat).toBeUndefined();
    expect(ground.positionAgeS).toBeUndefined();
    const cruise = res.states.find((s) => s.hex === 'a9bb8b')!;
    expect(cruise).toMatchObject({ callsign: 'N726TM', altFt: 32000, squawk: '2712', vrateFpm: 0, positionAgeS: 1 });
    expect(cruise.observedAt).toBe(1_589_902_035_000 - 100);
  });
});

describe('readsb envelopes', () => {
  const rec = { hex: 'A5B769', flight: 'OAE573  ', alt_baro: 32000, lat: 45.3, lon: -63.6, seen: 1, seen_pos: 2 };

  it('reads `ac` with `now` in milliseconds (v2 APIs)', () => {
    const r = parseReadsbText(JSON.stringify({ ac: [rec], msg: 'No error', now: 1_651_363_199_612, total: 1 }), ctx);
    expect(r.serverTime).toBe(1_651_363_199_612);
    expect(r.states[0].hex).toBe('a5b769'); // lower-cased
    expect(r.states[0].observedAt).toBe(1_651_363_198_612);
    expect(r.states[0].positionAt).toBe(1_651_363_197_612);
  });

  it('uses the fetch time when `now` is missing, and notes a `now` of the wrong type', () => {
    const r = parseReadsbReply({ aircraft: [{ hex: 'abc123' }] }, ctx);
    expect(r.serverTime).toBeUndefined();
    expect(r.states[0].observedAt).toBe(ctx.fetchedAt);
    const r2 = parseReadsbReply({ aircraft: [{ hex: 'abc123' }], now: 'soon' }, ctx);
    expect(r2.states[0].observedAt).toBe(ctx.fetchedAt);
    expect(r2.rejectReasons?.[0]).toMatch(/^now: expected a positive time, got a string/);
  });

  it.each([
    ['{}', {}],
    ['ac: []', { ac: [], now: 1 }],
    ['ac: null', { ac: null, now: 1_700_000_000_000 }],
    ['aircraft: []', { aircraft: [] }],
    ['ac: null, aircraft: [] ', { ac: null, aircraft: [] }],
  ])('%s → zero states, not an error', (_name, body) => {
    const r = parseReadsbText(JSON.stringify(body), ctx);
    expect(r.states).toEqual([]);
    expect(r.rejected).toBe(0);
  });

  it('keeps "~" non-ICAO addresses', () => {
    const r = parseReadsbReply({ ac: [{ hex: '~2d0b3e', type: 'tisb_other' }] }, ctx);
    expect(r.states[0].hex).toBe('~2d0b3e');
    expect(r.states[0].sourceType).toBe('tisb_other');
  });

  it('maps ownOp to operator and trims/drops blank strings', () => {
    const r = parseReadsbReply(
      { ac: [{ hex: 'abc123', ownOp: 'GLOBAL CROSSING AIRLINES ', r: ' N278GX', t: 'A320', flight: '        ' }] },
      ctx,
    );
    expect(r.states[0]).toMatchObject({ operator: 'GLOBAL CROSSING AIRLINES', registration: 'N278GX', type: 'A320' });
    expect(r.states[0].callsign).toBeUndefined();
  });

  it('trims space-padded and other callsigns exactly as String.prototype.trim does', () => {
    // Space padding takes a shortcut in the parser; every other end must still reach trim().
    const flights = [
      'KZ51    ',
      'A ',
      'K Z51  ',
      ' KZ51  ',
      'KZ5\u00a0  ',
      'KZ5\t ',
      'KZ5 \u3000',
      'é1  ',
      'ABCDEFGH  ',
    ];
    const r = parseReadsbReply({ ac: flights.map((flight, i) => ({ hex: `abc12${i}`, flight })) }, ctx);
    expect(r.states.map((s) => s.callsign)).toEqual(flights.map((f) => f.trim()));
    expect(r.rejected).toBe(0);
    const long = parseReadsbReply({ ac: [{ hex: 'abc123', flight: 'ABCDEFGHI   ' }] }, ctx);
    expect(long.states[0].callsign).toBeUndefined();
    expect(long.rejectReasons).toEqual([expect.stringMatching(/^ac\[0\]\.flight: 9 characters, at most 8/)]);
  });
});

describe('readsb malformed bodies → SourceError naming what was wrong', () => {
  it.each([
    [
      'truncated JSON',
      '{"ac":[{"hex":"abc123"',
      /^source adsblol: malformed: not JSON: .* at position 22 \(the body ends there: truncated\?\)$/,
    ],
    ['cut right after a key', '{"ac":', /not JSON: Unexpected end of JSON input at position 6 \(the body ends there/],
    ['garbage', 'ok', /not JSON: /],
    [
      'an HTML error page',
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>',
      /HTML page instead of JSON \(title "502 Bad Gateway"\)/,
    ],
    ['HTML after whitespace', '\n  <html>nope</html>', /HTML page instead of JSON/],
    ['an empty body', '', /empty body/],
    ['a top-level array', '[{"hex":"abc123"}]', /top level is an array, expected an object/],
    ['a top-level string', '"hello"', /top level is a string/],
    ['null', 'null', /top level is null/],
    ['`ac` as a string', '{"ac":"none"}', /`ac` is a string, expected an array/],
    ['`aircraft` as an object', '{"aircraft":{"hex":"abc123"}}', /`aircraft` is an object, expected an array/],
    [
      'a gateway error object',
      '{"message":"You are not subscribed to this API."}',
      /reply says "You are not subscribed/,
    ],
  ])('%s', (_name, body, msg) => {
    expect(malformed(() => parseReadsbText(body, ctx)).message).toMatch(msg);
  });

  it('accepts a UTF-8 BOM before the JSON', () => {
    expect(parseReadsbText('\uFEFF{"ac":[{"hex":"abc123"}]}', ctx).states).toHaveLength(1);
  });
});

describe('readsb records with wrong field types', () => {
  it('drops the field, keeps the record, counts it and names field and index', () => {
    const r = parseReadsbReply(
      {
        now: 1_700_000_000,
        aircraft: [
          { hex: 'aaaaaa', lat: 10, lon: 20, seen_pos: 1 },
          { hex: 'bbbbbb', lat: '45.3', lon: -63.6, alt_baro: 'up', gs: '300', flight: 42, dbFlags: 'x', squawk: 7700 },
        ],
      },
      ctx,
    );
    expect(r.states).toHaveLength(2);
    expect(r.rejected).toBe(1);
    const b = r.states[1];
    expect(b.lat).toBeUndefined();
    expect(b.lon).toBeUndefined(); // a position needs both
    expect(b.altFt).toBeUndefined();
    expect(b.onGround).toBe(false);
    expect(b.gsKt).toBeUndefined();
    expect(b.callsign).toBeUndefined();
    expect(b.squawk).toBeUndefined();
    expect(b.flags.military).toBe(false);
    expect(r.rejectReasons).toEqual(
      expect.arrayContaining([
        'aircraft[1].lat: expected a number, got a string "45.3"',
        'aircraft[1].alt_baro: expected a number or "ground", got a string "up"',
        'aircraft[1].gs: expected a number, got a string "300"',
        'aircraft[1].flight: expected a string, got a number',
        'aircraft[1].dbFlags: expected a number, got a string "x"',
        'aircraft[1].squawk: expected a string, got a number',
      ]),
    );
  });

  it('drops records without a valid hex and non-object records', () => {
    const r = parseReadsbReply(
      { ac: [{ flight: 'X' }, { hex: 'zz1234' }, { hex: 123456 }, 'abc123', null, [1], { hex: 'abc123' }] },
      ctx,
    );
    expect(r.states.map((s) => s.hex)).toEqual(['abc123']);
    expect(r.rejected).toBe(6);
    expect(r.rejectReasons).toEqual([
      'ac[0].hex: missing',
      'ac[1].hex: expected a 6-digit hex string, got "zz1234"',
      'ac[2].hex: expected a 6-digit hex string, got a number',
      'ac[3]: expected an object, got a string',
      'ac[4]: expected an object, got null',
      'ac[5]: expected an object, got an array',
    ]);
  });

  it('rejects out-of-range coordinates and ignores a lastPosition without an age', () => {
    const r = parseReadsbReply(
      {
        ac: [
          { hex: 'abc123', lat: 91, lon: 10, lastPosition: { lat: 1, lon: 2 } },
          { hex: 'abc124', lat: 1, lon: 200 },
        ],
      },
      ctx,
    );
    expect(r.states[0].lat).toBeUndefined();
    expect(r.states[1].lat).toBeUndefined();
    expect(r.rejectReasons).toEqual(['ac[0].lat: 91 is outside -90…90', 'ac[1].lon: 200 is outside -180…180']);
  });

  it('keeps the first 10 reasons and says how many more there were; the count stays exact', () => {
    const ac = Array.from({ length: 25 }, (_, i) => ({ hex: i % 2 ? 'nothex' : 'abc123', gs: 'fast' }));
    const r = parseReadsbReply({ ac }, ctx);
    expect(r.states).toHaveLength(13);
    expect(r.rejected).toBe(25);
    expect(r.rejectReasons).toHaveLength(11);
    expect(r.rejectReasons![10]).toBe('… and 15 more problem(s)');
  });
});
