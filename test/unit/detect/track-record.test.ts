/**
 * The stored form of TrackState (src/detect/store/track-record.ts): a round trip keeps the state, the
 * unversioned shape migrates, anything else is reported with a reason that never quotes the stored text, and
 * a record of a newer version is reported as such instead of being read as this release's shape.
 */
import { newTrack, pushSlot, TRACK_STATE_VERSION, type TrackState } from '../../../src/detect';
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

/** The record as an older release wrote it: no `version`, and the fields it could leave out left out. */
function unversioned(st: TrackState): Record<string, unknown> {
  const { version: _v, recent: _r, ident: _i, ...old } = JSON.parse(serializeTrack(st)) as TrackState;
  return old;
}

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
    const st = JSON.parse(serializeTrack(airborne())) as Record<string, unknown> & {
      window: Record<string, unknown>[];
    };
    st.window[1].lat = 'token=s3cr3t';
    const rec = readTrackRecord(JSON.stringify(st));
    expect(rec.kind).toBe('invalid');
    if (rec.kind !== 'invalid') return;
    expect(rec.reason).toMatch(/^window\.1\.lat: /);
    expect(rec.reason).not.toContain('s3cr3t');

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
