import fc from 'fast-check';
import { Watchlist, callsignHasPrefix } from '../../../src/domain/watchlist';
import { watchEntrySchema, type WatchEntry } from '../../../src/config/schema';
import { NO_FLAGS, type AircraftState } from '../../../src/domain/aircraft-state';

const entry = (raw: unknown): WatchEntry => watchEntrySchema.parse(raw);
const ac = (over: Partial<AircraftState>): AircraftState => ({
  hex: 'abc123',
  onGround: false,
  flags: { ...NO_FLAGS },
  observedAt: 0,
  sourceId: 't',
  fetchedAt: 0,
  ...over,
});

describe('Watchlist', () => {
  const wl = new Watchlist([
    entry({ id: 'gulfstream-v', match: { types: ['GLF5'] }, tags: ['removal-charter'] }),
    entry({
      id: 'ice-air',
      match: { callsignPrefixes: ['GXA', 'BBQ'] },
      exclude: { types: ['C172'] },
      tags: ['ice-air'],
    }),
    entry({ id: 'tails', match: { hex: ['acb2ba'], registrations: ['N917XA'] }, tags: ['known-airframe', 'ice-air'] }),
    entry({ id: 'regs', match: { registrations: ['B-1234'] } }),
    entry({ id: 'op', match: { operators: ['global crossing'] } }),
    entry({ id: 'sq', match: { squawks: ['7500', '76x0'] } }),
    entry({ id: 'mil', match: { flags: ['military'], callsignPattern: '^RCH\\d+$' } }),
    entry({ id: 'off', match: { types: ['B738'] }, enabled: false }),
  ]);

  it('matches by type and reports the entry ids and tags', () => {
    expect(wl.match(ac({ type: 'GLF5' }))).toEqual({ ids: ['gulfstream-v'], tags: ['removal-charter'] });
  });

  it('ANDs keys within one entry: hex alone is not enough when a registration is also required', () => {
    expect(wl.match(ac({ hex: 'acb2ba' }))).toBeUndefined();
    expect(wl.match(ac({ hex: 'acb2ba', registration: 'N917XA' }))?.ids).toEqual(['tails']);
    expect(wl.match(ac({ hex: 'acb2ba', registration: 'N999XX' }))).toBeUndefined();
  });

  it('ORs values within a key, and unions tags across matching entries', () => {
    expect(wl.match(ac({ callsign: 'BBQ8368' }))?.ids).toEqual(['ice-air']);
    const hit = wl.match(ac({ hex: 'acb2ba', registration: 'N917XA', callsign: 'BBQ8368' }));
    expect(hit?.ids.sort()).toEqual(['ice-air', 'tails']);
    expect(hit?.tags.sort()).toEqual(['ice-air', 'known-airframe']);
  });

  it('applies exclude after match', () => {
    expect(wl.match(ac({ callsign: 'GXA6117', type: 'A320' }))?.ids).toEqual(['ice-air']);
    expect(wl.match(ac({ callsign: 'GXA6117', type: 'C172' }))).toBeUndefined();
  });

  it('treats a 3-letter prefix as an airline designator followed by digits', () => {
    expect(callsignHasPrefix('GXA6117', 'GXA')).toBe(true);
    expect(callsignHasPrefix('GXA', 'GXA')).toBe(true);
    expect(callsignHasPrefix('GXABC1', 'GXA')).toBe(false);
    expect(callsignHasPrefix('N917XA', 'N9')).toBe(true);
  });

  it('compares registrations without case or hyphens', () => {
    expect(wl.match(ac({ registration: 'b1234' }))?.ids).toEqual(['regs']);
  });

  it('matches operators as case-insensitive substrings, squawks with x wildcards, flags and patterns', () => {
    expect(wl.match(ac({ operator: 'GLOBAL CROSSING AIRLINES INC' }))?.ids).toEqual(['op']);
    expect(wl.match(ac({ squawk: '7500' }))?.ids).toEqual(['sq']);
    expect(wl.match(ac({ squawk: '7640' }))?.ids).toEqual(['sq']);
    expect(wl.match(ac({ squawk: '7700' }))).toBeUndefined();
    expect(wl.match(ac({ callsign: 'RCH123', flags: { ...NO_FLAGS, military: true } }))?.ids).toEqual(['mil']);
    expect(wl.match(ac({ callsign: 'RCH123' }))).toBeUndefined();
  });

  it('ignores disabled entries', () => {
    expect(wl.match(ac({ type: 'B738' }))).toBeUndefined();
  });

  it('never matches an aircraft lacking the tested field', () => {
    expect(wl.match(ac({}))).toBeUndefined();
  });

  it('agrees with a naive evaluation of every entry (property)', () => {
    const hexes = ['acb2ba', 'a2bd72', 'abc123'];
    const regs = ['N917XA', 'N276GX', 'B-1234'];
    const types = ['GLF5', 'B738', 'A320', 'C172'];
    const calls = ['GXA6117', 'BBQ8368', 'GXABC', 'DAL1', 'RCH12'];
    const arb = fc.record({
      hex: fc.constantFrom(...hexes),
      registration: fc.option(fc.constantFrom(...regs), { nil: undefined }),
      type: fc.option(fc.constantFrom(...types), { nil: undefined }),
      callsign: fc.option(fc.constantFrom(...calls), { nil: undefined }),
      military: fc.boolean(),
    });
    const naive = (a: AircraftState): string[] => {
      const ids: string[] = [];
      if (a.type === 'GLF5') ids.push('gulfstream-v');
      if (a.callsign && /^(GXA|BBQ)(\d|$)/.test(a.callsign) && a.type !== 'C172') ids.push('ice-air');
      if (a.hex === 'acb2ba' && a.registration === 'N917XA') ids.push('tails');
      if (a.registration === 'B-1234') ids.push('regs');
      if (a.flags.military && a.callsign && /^RCH\d+$/.test(a.callsign)) ids.push('mil');
      return ids.sort();
    };
    fc.assert(
      fc.property(arb, (r) => {
        const a = ac({
          hex: r.hex,
          registration: r.registration,
          type: r.type,
          callsign: r.callsign,
          flags: { ...NO_FLAGS, military: r.military },
        });
        expect((wl.match(a)?.ids ?? []).sort()).toEqual(naive(a));
      }),
      { numRuns: 2000 },
    );
  });
});
