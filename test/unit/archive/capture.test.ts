import { buildCapture, CaptureThinner, parseCapture, THIN_EVERY_MS } from '../../../src/archive/capture';
import { Redactor } from '../../../src/util/redact';
import { compareStreamIds, streamIdMs } from '../../../src/archive/stream-id';
import { archiveErrorFrom, problemOf } from '../../../src/archive/errors';
import type { MatchedAircraft } from '../../../src/domain/watchlist';

const state = (hex: string, source: string, fetchedAt: number, lat?: number): MatchedAircraft => ({
  hex,
  lat,
  lon: lat === undefined ? undefined : -90,
  altFt: 12000,
  onGround: false,
  flags: { military: false, interesting: false, pia: false, ladd: false },
  observedAt: fetchedAt - 1000,
  positionAt: fetchedAt - 2000,
  sourceId: source,
  fetchedAt,
  watch: { ids: ['w'], tags: [] },
});

describe('buildCapture', () => {
  const secret = 'abcd-SECRET-1234';
  const opts = {
    sourceUrls: new Map([
      ['a', `https://api.example/v2?key=${secret}`],
      ['b', 'https://other.example/data'],
    ]),
    mask: (text: string) => new Redactor().add(secret).mask(text),
    storeBodies: true,
  };

  it('groups states into one reply per source and fetch, positions point at their reply', () => {
    const c = buildCapture(
      [state('aaa111', 'a', 1000, 10), state('bbb222', 'a', 1000, 11), state('ccc333', 'b', 1000, 12)],
      opts,
    );
    expect(c.replies).toHaveLength(2);
    const a = c.replies.find((r) => r.source === 'a')!;
    expect(a.hexes).toEqual(['aaa111', 'bbb222']);
    expect(a.url).toBe('https://api.example/v2?key=[redacted]');
    expect(a.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c.positions.map((p) => [p[0], p[1], p[10]])).toEqual([
      ['aaa111', 0 + 1000 - 2000, a.id],
      ['bbb222', -1000, a.id],
      ['ccc333', -1000, c.replies.find((r) => r.source === 'b')!.id],
    ]);
  });

  it('keeps no position without coordinates, and only the hash when bodies are not stored', () => {
    const c = buildCapture([state('aaa111', 'a', 1000)], { ...opts, storeBodies: false });
    expect(c.positions).toEqual([]);
    expect(c.replies[0].body).toBeNull();
    expect(c.replies[0].bytes).toBeGreaterThan(0);
  });

  it('round-trips through the stream fields and rejects other entries', () => {
    const c = buildCapture([state('aaa111', 'a', 1000, 10)], opts);
    expect(parseCapture(['v', '1', 'capture', JSON.stringify(c)])).toEqual(c);
    expect(parseCapture(['v', '1', 'other', '{}'])).toBeUndefined();
  });
});

describe('CaptureThinner', () => {
  const opts = { sourceUrls: new Map<string, string>(), mask: (x: string) => x, storeBodies: true };
  /** One aircraft polled every 5 s for `seconds`, shaped by `at(t)`. */
  const keptTimes = (seconds: number, at: (s: number) => Partial<MatchedAircraft>) => {
    const thinner = new CaptureThinner();
    const kept: number[] = [];
    for (let s = 0; s < seconds; s += 5) {
      const t = 1_000_000 + s * 1000;
      const c = buildCapture([{ ...state('aaa111', 'a', t + 2000, 10 + s / 1000), ...at(s) }], opts, thinner);
      kept.push(...c.positions.map((p) => (p[1] - 1_000_000) / 1000));
      // A reply holds only the records of the positions kept, and is not kept without one.
      expect(c.replies.map((r) => r.hexes)).toEqual(c.positions.length ? [['aaa111']] : []);
    }
    return kept;
  };

  it('keeps one position a minute in cruise', () => {
    expect(keptTimes(300, () => ({ altFt: 35_000, trackDeg: 90 }))).toEqual([0, 60, 120, 180, 240]);
    expect(THIN_EVERY_MS).toBe(60_000);
  });

  it('keeps every position on or near the ground, without altitude, or squawking an emergency', () => {
    const all = Array.from({ length: 12 }, (_, i) => i * 5);
    expect(keptTimes(60, () => ({ altFt: 9_000 }))).toEqual(all);
    expect(keptTimes(60, () => ({ altFt: undefined, onGround: true }))).toEqual(all);
    expect(keptTimes(60, () => ({ altFt: undefined }))).toEqual(all);
    expect(keptTimes(60, () => ({ altFt: 35_000, squawk: '7700' }))).toEqual(all);
  });

  it('keeps a cruise position as soon as the track turned 15° from the last one kept', () => {
    expect(keptTimes(60, (s) => ({ altFt: 35_000, trackDeg: s < 20 ? 90 : s < 40 ? 100 : 106 }))).toEqual([0, 40]);
    expect(keptTimes(30, (s) => ({ altFt: 35_000, trackDeg: s < 10 ? 355 : 12 }))).toEqual([0, 10]);
  });

  it('keeps climbs and descents below 10,000 ft whole, cruise thinned, in one flight', () => {
    const kept = keptTimes(600, (s) => ({ altFt: s < 120 || s >= 480 ? 5_000 : 35_000, trackDeg: 90 }));
    expect(kept.filter((s) => s < 120)).toHaveLength(24);
    expect(kept.filter((s) => s >= 480)).toHaveLength(24);
    expect(kept.filter((s) => s >= 120 && s < 480)).toEqual([175, 235, 295, 355, 415, 475]);
  });
});

describe('stream ids', () => {
  it('compare as numbers, not strings', () => {
    expect(compareStreamIds('10-0', '9-5')).toBeGreaterThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('7-1', '7-1')).toBe(0);
    expect(streamIdMs('1764000000000-3')).toBe(1764000000000);
  });
});

describe('archive errors', () => {
  it.each([
    [{ code: 'SQLITE_FULL', message: 'database or disk is full' }, 'disk-full'],
    [{ code: '53100', message: 'could not extend file' }, 'disk-full'],
    [{ code: 'SQLITE_NOTADB', message: 'file is not a database' }, 'corrupt'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'unreachable'],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'unreachable'],
    [new Error('Connection terminated unexpectedly'), 'unreachable'],
    [new Error('syntax error'), 'other'],
  ])('%j is %s', (e, problem) => {
    expect(problemOf(e)).toBe(problem);
  });

  it('names the database and the problem', () => {
    const e = archiveErrorFrom(
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      '/d/a.sqlite',
    );
    expect(e.message).toBe('archive /d/a.sqlite has no space left (disk full): database or disk is full');
  });
});
