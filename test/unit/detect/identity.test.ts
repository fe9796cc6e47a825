/** Identity continuity rules: which quiet hex a new hex continues, and what rules a link out. */
import type { AircraftState } from '../../../src/domain/aircraft-state';
import { IdentityLinker, continuity, DEFAULT_IDENTITY_RULES, identityHorizonMs } from '../../../src/detect/identity';
import { MemoryIdentityMemory } from '../../../src/detect/identity-memory';

const linker = () => new IdentityLinker(new MemoryIdentityMemory(identityHorizonMs(DEFAULT_IDENTITY_RULES)));

const T0 = Date.UTC(2026, 0, 5, 14, 0, 0);
const MIN = 60_000;

function at(hex: string, t: number, o: Partial<AircraftState> = {}): AircraftState {
  return {
    hex,
    lat: 31,
    lon: -92.5,
    altFt: 33000,
    onGround: false,
    flags: { military: false, interesting: false, pia: false, ladd: false },
    observedAt: t,
    positionAt: t,
    sourceId: 's',
    fetchedAt: t,
    ...o,
  };
}

const sighting = (hex: string, t: number, o: Partial<AircraftState> = {}) => {
  const a = at(hex, t, o);
  return { hex, lat: a.lat!, lon: a.lon!, altFt: a.onGround ? 0 : a.altFt, onGround: a.onGround, at: t };
};

describe('continuity', () => {
  it('bridges an airborne gap the aircraft could have flown, with the evidence', () => {
    // 0.5° of latitude = 30 nm in 5 minutes = 360 kt: plausible for a jet.
    const ev = continuity(sighting('aaaaaa', T0), sighting('bbbbbb', T0 + 5 * MIN, { lat: 31.5 }), 'same-callsign');
    expect(ev).toEqual({
      previousHex: 'aaaaaa',
      reason: 'same-callsign',
      gapSeconds: 300,
      distanceNm: 30,
      altDiffFt: 0,
    });
  });

  it('rules out a position too far for the gap (faster than the speed bound)', () => {
    // 2° = 120 nm in 5 minutes = 1,440 kt.
    expect(continuity(sighting('aaaaaa', T0), sighting('bbbbbb', T0 + 5 * MIN, { lat: 33 }), 'same-callsign')).toBe(
      undefined,
    );
  });

  it('rules out an altitude change no airliner makes in the gap', () => {
    const last = sighting('aaaaaa', T0, { altFt: 35000 });
    expect(continuity(last, sighting('bbbbbb', T0 + 2 * MIN, { altFt: 5000 }), 'same-registration')).toBe(undefined);
    expect(continuity(last, sighting('bbbbbb', T0 + 2 * MIN, { altFt: 33000 }), 'same-registration')).toBeDefined();
  });

  it('rules out overlap (both heard at once) and gaps past the limit', () => {
    expect(continuity(sighting('aaaaaa', T0), sighting('bbbbbb', T0), 'same-callsign')).toBe(undefined);
    const late = T0 + DEFAULT_IDENTITY_RULES.maxAirGapS * 1000 + MIN;
    expect(continuity(sighting('aaaaaa', T0), sighting('bbbbbb', late), 'same-callsign')).toBe(undefined);
  });

  it('bridges a long ground gap only where the aircraft was parked (a PIA address rotated between legs)', () => {
    const parked = sighting('aaaaaa', T0, { onGround: true });
    const sixHours = T0 + 6 * 60 * MIN;
    expect(
      continuity(parked, sighting('bbbbbb', sixHours, { onGround: true, lat: 31.01 }), 'same-registration'),
    ).toMatchObject({ gapSeconds: 6 * 3600, altDiffFt: 0 });
    // Same gap, 60 nm away: another aircraft (it would have had to fly, and we would have heard it).
    expect(continuity(parked, sighting('bbbbbb', sixHours, { onGround: true, lat: 32 }), 'same-registration')).toBe(
      undefined,
    );
  });
});

describe('IdentityLinker', () => {
  it('links a new hex to the quiet one with the same callsign, and keeps the link for its later records', async () => {
    const l = linker();
    await l.observe([at('aaaaaa', T0, { callsign: 'GXA6117' })], T0);
    expect((await l.observe([at('aaaaaa', T0 + MIN, { callsign: 'GXA6117' })], T0 + MIN)).size).toBe(0);
    const made = await l.observe([at('bbbbbb', T0 + 3 * MIN, { callsign: 'GXA6117', lat: 31.2 })], T0 + 3 * MIN);
    expect(made.get('bbbbbb')).toMatchObject({
      previousHex: 'aaaaaa',
      reason: 'same-callsign',
      matched: 'GXA6117',
      gapSeconds: 120,
      distanceNm: 12,
      at: new Date(T0 + 3 * MIN).toISOString(),
    });
    await l.observe([at('bbbbbb', T0 + 4 * MIN, { callsign: 'GXA6117', lat: 31.3 })], T0 + 4 * MIN);
    expect((await l.linksOf(['bbbbbb'])).get('bbbbbb')?.previousHex).toBe('aaaaaa');
    expect((await l.linksOf(['aaaaaa'])).get('aaaaaa')).toBe(undefined);
  });

  it('prefers the registration to the callsign, and normalises registrations', async () => {
    const l = linker();
    await l.observe(
      [at('aaaaaa', T0, { callsign: 'TYSON41' }), at('cccccc', T0, { registration: 'N-917XA', lat: 31.1 })],
      T0,
    );
    const made = await l.observe([at('bbbbbb', T0 + MIN, { registration: 'N917XA', callsign: 'TYSON41' })], T0 + MIN);
    expect(made.get('bbbbbb')).toMatchObject({ previousHex: 'cccccc', reason: 'same-registration', matched: 'N917XA' });
  });

  it('never links two aircraft heard at the same time under one callsign', async () => {
    const l = linker();
    await l.observe([at('aaaaaa', T0, { callsign: 'GXA6108' })], T0);
    const made = await l.observe(
      [at('aaaaaa', T0 + MIN, { callsign: 'GXA6108' }), at('bbbbbb', T0 + MIN, { callsign: 'GXA6108' })],
      T0 + MIN,
    );
    expect(made.size).toBe(0);
  });

  it('takes no evidence from a callsign without a flight number', async () => {
    const l = linker();
    await l.observe([at('aaaaaa', T0, { callsign: 'GXA' })], T0);
    expect((await l.observe([at('bbbbbb', T0 + MIN, { callsign: 'GXA' })], T0 + MIN)).size).toBe(0);
  });

  it('forgets quiet hexes past the longest gap it bridges', async () => {
    const l = linker();
    await l.observe([at('aaaaaa', T0, { registration: 'N276GX', onGround: true })], T0);
    const later = T0 + DEFAULT_IDENTITY_RULES.maxGroundGapS * 1000 + 2 * MIN;
    await l.observe([], later);
    expect(
      (await l.observe([at('bbbbbb', later + MIN, { registration: 'N276GX', onGround: true })], later + MIN)).size,
    ).toBe(0);
  });
});

describe('MemoryIdentityMemory', () => {
  const at = (hex: string, t: number) => ({ hex, registration: 'N123XX', lat: 31, lon: -92, onGround: true, at: t });

  it('keeps every hex heard under one name, and forgets each once it is unheard past the horizon', async () => {
    const memory = new MemoryIdentityMemory(60 * 60_000);
    await memory.save([at('a1b2c3', 0)], new Map(), 0);
    await memory.save([at('a1b2c3', 1_000)], new Map(), 1_000); // the same hex again: still one
    await memory.save([at('c0ffee', 30 * 60_000)], new Map(), 30 * 60_000);
    const hexes = async () => ((await memory.named(['reg:N123XX'])).get('reg:N123XX') ?? []).map((s) => s.hex);
    expect((await hexes()).sort()).toEqual(['a1b2c3', 'c0ffee']);
    await memory.save([], new Map(), 62 * 60_000); // a1b2c3 last heard 62 min ago: pruned
    expect(await hexes()).toEqual(['c0ffee']);
    await memory.save([at('d00d00', 63 * 60_000)], new Map(), 63 * 60_000);
    expect((await hexes()).sort()).toEqual(['c0ffee', 'd00d00']);
    await memory.save([], new Map(), 95 * 60_000);
    expect(await hexes()).toEqual(['d00d00']);
    expect(await memory.knownKeys(['reg:N123XX', 'reg:N999ZZ'])).toEqual(new Set(['reg:N123XX']));
  });
});
