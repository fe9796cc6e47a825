/**
 * The stored form of TrackState (src/detect/store/track-record.ts): a round trip keeps the state, the
 * unversioned shape migrates, anything else is reported with a reason that never quotes the stored text, and
 * a record of a newer version is reported as such instead of being read as this release's shape.
 */
import {
  newTrack,
  pushSlot,
  rememberHistory,
  TRACK_STATE_VERSION,
  windowInOrder,
  type TrackState,
} from '../../../src/detect';
import { readTrackRecord, serializeTrack } from '../../../src/detect/store/track-record';
import { T0 } from './harness';

function airborne(): TrackState {
  const st = newTrack('a1b2c3', T0);
  st.phase = 'airborne';
  st.ident = { callsign: 'GXA123', type: 'GLF5' };
  st.watch = { ids: ['glf5'], tags: ['removal'] };
  for (let i = 0; i < 5; i++)
    Object.assign(pushSlot(st, 3), {
      t: T0 + i * 30_000,
      lat: 31 + i / 100,
      lon: -92,
      alt: 12_000 + i * 500,
      og: false,
      g: false,
      gs: 300,
      src: 'adsbx',
      fat: T0 + i * 30_000 + 400,
    });
  st.leg = { dep: { icao: 'KAEX', name: 'Alexandria', country: 'US', lat: 31.3, lon: -92.5 }, depAt: T0 };
  st.ext = { trips: { hist: [['KAEX', 'MGGT', T0 - 1]] } };
  st.recent = ['ev1'];
  return st;
}

/** The record as version 2 wrote it: the state as it is in memory, window oldest first. */
function v2(st: TrackState): Record<string, unknown> & { window: Record<string, unknown>[] } {
  return JSON.parse(JSON.stringify({ ...st, version: 2, window: windowInOrder(st), head: 0 }));
}

/** The record as an older release wrote it: no `version`, and the fields it could leave out left out. */
function unversioned(st: TrackState): Record<string, unknown> {
  const { version: _v, recent: _r, ident: _i, ...old } = v2(st);
  return old;
}

/** A stored record to spoil: samples are arrays, so a test can put anything in their place. */
type Rec = Record<string, unknown> & { window?: unknown[][] };
const win = (r: Rec): unknown[][] => r.window ?? [];

describe('track records', () => {
  it('round trip: the state comes back with its window oldest first (head 0)', () => {
    const st = airborne();
    expect(st.head).not.toBe(0); // the ring wrapped
    const rec = readTrackRecord(serializeTrack(st));
    expect(rec).toEqual({
      kind: 'state',
      state: {
        ...st,
        window: [st.window[st.head], st.window[(st.head + 1) % 3], st.window[(st.head + 2) % 3]],
        head: 0,
      },
    });
    expect(JSON.parse(serializeTrack(st))).toMatchObject({ version: TRACK_STATE_VERSION });
  });

  it('round trip keeps a landing held while rolling and a watched approach (a restart mid touch-and-go or go-around)', () => {
    const st = airborne();
    const s = { ...st.window[0], g: true, og: true, alt: null, gs: 110 };
    st.pend = { kind: 'landing', s, gapMs: 5_000, n: 2, minGs: 95, last: { ...s, t: s.t + 5_000, gs: 95 } };
    const low = { ...st.window[1], alt: 400 };
    st.appr = { airport: st.leg!.dep!, elev: 89, from: { ...low, alt: 2_000 }, low, lowNm: 1.2 };
    st.apprCheckAt = T0;
    const rec = readTrackRecord(serializeTrack(st));
    expect(rec.kind).toBe('state');
    if (rec.kind !== 'state') return;
    expect(rec.state.pend).toEqual(st.pend);
    expect(rec.state.appr).toEqual(st.appr);
    expect(rec.state.apprCheckAt).toBe(T0);
  });

  it('round trip keeps every field a state can have', () => {
    const st = airborne();
    const s = { ...st.window[0], st: 'adsb_icao', trk: 271.5, vr: -640, age: 0.4 };
    // histLater, windowLater and extLater are how a store holds what it has not decoded yet, not fields of their
    // own; extUnreadable is the store's to report, never written.
    const every: Required<Omit<TrackState, 'histLater' | 'windowLater' | 'extLater' | 'extUnreadable'>> = {
      ...st,
      leg: st.leg!,
      ext: st.ext!,
      ident: { registration: 'N123', type: 'GLF5', callsign: 'GXA123', operator: 'GlobalX' },
      phaseInferred: true,
      lastArr: { airport: st.leg!.dep!, at: T0 - 5, inferred: true, reverted: true },
      squawk: { code: '7700', since: T0, fired: true, first: { ...s } },
      deadline: T0 + 1,
      pend: { kind: 'takeoff', s: { ...s }, before: { ...s, og: true }, gapMs: -1, n: 1, minGs: 3, last: { ...s } },
      appr: { airport: st.leg!.dep!, elev: 89, from: { ...s }, low: { ...s, alt: 300 }, lowNm: 1 },
      apprCheckAt: T0 + 2,
      implausible: 3,
      dropRun: 1,
      hist: [{ ...s, alt: null, og: true, g: true }],
      histHead: 0,
      flips: 2,
      extDeadline: T0 + 3,
      extWake: T0 + 4,
    };
    const rec = readTrackRecord(serializeTrack(every));
    expect(rec).toEqual({ kind: 'state', state: { ...every, window: windowInOrder(every), head: 0 } });
  });

  it('an unversioned (version 1) record migrates: missing fields get their defaults, the rest is kept', () => {
    const st = airborne();
    const rec = readTrackRecord(JSON.stringify(unversioned(st)));
    expect(rec.kind).toBe('state');
    if (rec.kind !== 'state') return;
    expect(rec.migratedFrom).toBe(1);
    expect(rec.state.version).toBe(TRACK_STATE_VERSION);
    expect(rec.state.recent).toEqual([]);
    expect(rec.state.ident).toEqual({});
    expect(rec.state.leg).toEqual(st.leg);
    expect(rec.state.window.map((s) => s.t)).toEqual([T0 + 60_000, T0 + 90_000, T0 + 120_000]);
  });

  it('round trip keeps the history ring oldest first and tells a ground altitude (null) from an unknown one', () => {
    const st = airborne();
    for (let i = 0; i < 40; i++)
      rememberHistory(st, { ...st.window[0], t: T0 + i * 20_000, alt: i % 2 ? null : undefined, st: 'mlat' });
    expect(st.histHead).not.toBe(0); // the ring wrapped
    const rec = readTrackRecord(serializeTrack(st));
    if (rec.kind !== 'state') throw new Error(rec.kind);
    expect(rec.state.histHead).toBe(0);
    const inOrder = st.hist!.map((_, i) => st.hist![(st.histHead! + i) % st.hist!.length]);
    expect(rec.state.hist).toEqual(inOrder);
    expect(rec.state.hist!.map((s) => s.alt)).toEqual(inOrder.map((s) => s.alt));
    expect(rec.state.hist!.some((s) => s.alt === null) && rec.state.hist!.some((s) => s.alt === undefined)).toBe(true);
  });

  it('a version 2 record (samples as objects) migrates to the same state', () => {
    const st = airborne();
    st.hist = [{ ...st.window[0] }];
    st.histHead = 0;
    const rec = readTrackRecord(JSON.stringify(v2(st)));
    expect(rec).toEqual({
      kind: 'state',
      migratedFrom: 2,
      state: { ...st, version: TRACK_STATE_VERSION, window: windowInOrder(st), head: 0 },
    });
  });

  it('a fetch time that is not the position time plus an exact difference comes back exactly', () => {
    const st = airborne();
    Object.assign(st.window[0], { t: T0 + 0.1, fat: T0 + 0.3 }, { t: 0.1, fat: 1e16 + 2 });
    Object.assign(st.window[1], { t: T0 + 1234.5678, fat: T0 + 2000.25 });
    const rec = readTrackRecord(serializeTrack(st));
    if (rec.kind !== 'state') throw new Error(rec.kind);
    expect(rec.state.window.map((s) => [s.t, s.fat])).toEqual(windowInOrder(st).map((s) => [s.t, s.fat]));
  });

  it('the stored form is at most 60 % of version 2 for a state with full rings', () => {
    const st = airborne();
    // Every field set, as the rules fill a sample from a readsb position.
    const full = {
      ...st.window[0],
      lat: 31.123456,
      lon: -92.654321,
      trk: 271.3,
      vr: -640,
      age: 0.4,
      src: 'adsblol',
      st: 'adsb_icao',
    };
    for (let i = 0; i < 40; i++) rememberHistory(st, { ...full, t: T0 + i * 20_000, fat: T0 + i * 20_000 + 612 });
    for (let i = 0; i < 16; i++) Object.assign(pushSlot(st, 16), full, { t: T0 + i * 1000, fat: T0 + i * 1000 + 388 });
    expect(serializeTrack(st).length).toBeLessThanOrEqual(0.6 * JSON.stringify(v2(st)).length);
  });

  it.each([
    ['a sample of the wrong length', (r: Rec) => win(r).push([1, 2]), 'window.3: expected a sample of 12 entries'],
    [
      'a sample not an array',
      (r: Rec) => (win(r)[0] = { t: 1 } as unknown as unknown[]),
      'window.0: expected a sample of 12 entries',
    ],
    ['a source not a string', (r: Rec) => (win(r)[2][9] = 7), 'window.2.9: expected string'],
    ['a speed neither number nor null', (r: Rec) => (win(r)[0][5] = 'x'), 'window.0.5: expected number or null'],
    ['a missing window', (r: Rec) => delete r.window, 'window: expected array'],
    ['an unknown phase', (r: Rec) => (r.phase = 'cruising'), 'phase: expected one of ground, airborne, unknown'],
    ['a bad airport', (r: Rec) => ((r.leg as Rec).dep = { icao: 'KAEX' }), 'leg.dep.name: expected string'],
    ['a watch id not a string', (r: Rec) => ((r.watch as Rec).ids = [1]), 'watch.ids.0: expected string'],
    ['ext a list', (r: Rec) => (r.ext = []), 'ext: expected object'],
  ])('a version 3 record with %s is invalid: the path and what is wrong', (_what, spoil, reason) => {
    const r = JSON.parse(serializeTrack(airborne())) as Rec;
    spoil(r);
    expect(readTrackRecord(JSON.stringify(r))).toEqual({ kind: 'invalid', reason });
  });

  it.each([
    ['{"hex":"a1b2c3", "window": [', 'not JSON'],
    ['[1,2]', 'not a JSON object'],
    ['null', 'not a JSON object'],
    ['{"version":"2","hex":"a1b2c3"}', 'version is not a positive integer'],
    ['{"version":0}', 'version is not a positive integer'],
  ])('%s is invalid: %s', (text, reason) => {
    expect(readTrackRecord(text)).toEqual({ kind: 'invalid', reason });
  });

  it("a wrong field of detect's own is invalid, named by its path, and the reason never quotes the value", () => {
    const st = JSON.parse(serializeTrack(airborne())) as Record<string, unknown> & { window: unknown[][] };
    st.window[1][1] = 'token=s3cr3t';
    const rec = readTrackRecord(JSON.stringify(st));
    expect(rec.kind).toBe('invalid');
    if (rec.kind !== 'invalid') return;
    expect(rec.reason).toBe('window.1.1: expected number');
    expect(rec.reason).not.toContain('s3cr3t');
    // The same in a version 2 record, checked by its schema.
    const old = v2(airborne());
    old.window[1].lat = 'token=s3cr3t';
    const oldRec = readTrackRecord(JSON.stringify(old));
    expect(oldRec).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/^window\.1\.lat: /) });
    expect(JSON.stringify(oldRec)).not.toContain('s3cr3t');

    expect(readTrackRecord(JSON.stringify({ ...st, phase: 'cruising' }))).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/^phase: /),
    });
    const { hex: _h, ...noHex } = st;
    expect(readTrackRecord(JSON.stringify(noHex))).toMatchObject({ reason: expect.stringMatching(/^hex: /) });
  });

  it('ext entries are passed through as they are, even malformed: each extension checks its own', () => {
    const st = airborne();
    st.ext = { trips: 5, other: { anything: [null] } };
    const rec = readTrackRecord(serializeTrack(st));
    expect(rec.kind === 'state' && rec.state.ext).toEqual({ trips: 5, other: { anything: [null] } });
    expect(readTrackRecord(JSON.stringify({ ...JSON.parse(serializeTrack(st)), ext: [] }))).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/^ext: /),
    });
  });

  it('a record of a newer version is reported as newer, not read as the current shape', () => {
    const next = { ...JSON.parse(serializeTrack(airborne())), version: TRACK_STATE_VERSION + 1 };
    expect(readTrackRecord(JSON.stringify(next))).toEqual({ kind: 'newer', version: TRACK_STATE_VERSION + 1 });
    // Even when it would pass for the current shape.
    expect(readTrackRecord(JSON.stringify({ version: 99 }))).toEqual({ kind: 'newer', version: 99 });
  });
});
