import fc from 'fast-check';
import { Watchlist, callsignHasPrefix, normReg, type Match, type WatchEntry } from '../../../src/domain/watchlist';
import { NO_FLAGS, type AircraftState } from '../../../src/domain/aircraft-state';

// The watchlist answers most aircraft from lossy lookup tables before asking its Maps. A table may only
// let too many keys through, never too few: these compare it with a plain evaluation over keys chosen to
// collide in the tables (same length, same last characters), lower case, hyphens and non-ASCII characters.

// Straight to the matcher, past the config schema: the tables must hold for any key the matcher is given.
const entry = (e: { id: string; match: Match }): WatchEntry => ({ ...e, tags: [], enabled: true });
const ac = (over: Partial<AircraftState>): AircraftState => ({
  hex: 'abc123',
  onGround: false,
  flags: { ...NO_FLAGS },
  observedAt: 0,
  sourceId: 't',
  fetchedAt: 0,
  ...over,
});

const chars = ['A', 'B', 'Z', '0', '9', 'a', 'z', '-', 'É', 'ß', 'Ā', 'ā', 'ſ', '\u0141'];
const word = (min: number, max: number) =>
  fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));

describe('Watchlist lookup tables', () => {
  it('never hide a type, registration, hex or callsign-prefix entry from an aircraft it matches', () => {
    fc.assert(
      fc.property(
        fc.record({
          types: fc.array(word(1, 4), { minLength: 1, maxLength: 4 }),
          regs: fc.array(word(1, 6), { minLength: 1, maxLength: 4 }),
          hexes: fc.array(fc.stringMatching(/^~?[0-9a-f]{6}$/), { minLength: 1, maxLength: 4 }),
          prefixes: fc.array(word(1, 4), { minLength: 1, maxLength: 4 }),
          type: word(0, 4),
          reg: word(0, 6),
          hex: fc.stringMatching(/^~?[0-9a-f]{6}$/),
          callsign: word(0, 6),
        }),
        (r) => {
          const wl = new Watchlist([
            entry({ id: 't', match: { types: r.types } }),
            entry({ id: 'r', match: { registrations: r.regs } }),
            entry({ id: 'h', match: { hex: r.hexes } }),
            entry({ id: 'p', match: { callsignPrefixes: r.prefixes } }),
          ]);
          const a = ac({
            hex: r.hex,
            type: r.type || undefined,
            registration: r.reg || undefined,
            callsign: r.callsign || undefined,
          });
          const want: string[] = [];
          if (a.type && r.types.includes(a.type)) want.push('t');
          if (a.registration && r.regs.map(normReg).includes(normReg(a.registration))) want.push('r');
          if (r.hexes.includes(a.hex)) want.push('h');
          const cs = a.callsign;
          if (cs && r.prefixes.some((p) => callsignHasPrefix(cs, p))) want.push('p');
          expect((wl.match(a)?.ids ?? []).sort()).toEqual(want.sort());
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('still find keys that share a table slot with other keys', () => {
    // Same length and last three characters as the watched keys: the same slot, so the Map decides.
    const wl = new Watchlist([
      entry({ id: 'type', match: { types: ['GLF5'] } }),
      entry({ id: 'hex', match: { hex: ['a2bd72'] } }),
      entry({ id: 'reg', match: { registrations: ['N917XA'] } }),
      entry({ id: 'pfx', match: { callsignPrefixes: ['Ā1'] } }), // code 256: shares a slot with code 0
    ]);
    expect(wl.match(ac({ type: 'XLF5' }))).toBeUndefined();
    expect(wl.match(ac({ type: 'GLF5' }))?.ids).toEqual(['type']);
    expect(wl.match(ac({ hex: 'ffbd72' }))).toBeUndefined();
    expect(wl.match(ac({ hex: 'a2bd72' }))?.ids).toEqual(['hex']);
    expect(wl.match(ac({ registration: 'N1-7xa' }))).toBeUndefined();
    expect(wl.match(ac({ registration: 'n-917-xa' }))?.ids).toEqual(['reg']);
    expect(wl.match(ac({ callsign: '\u00001X' }))).toBeUndefined();
    expect(wl.match(ac({ callsign: 'Ā1X' }))?.ids).toEqual(['pfx']);
  });
});
