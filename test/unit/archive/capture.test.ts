import { buildCapture, parseCapture } from '../../../src/archive/capture';
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
    secrets: [secret],
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
