/** Callsign-pattern entries: indexed by their literal start when they have one, and matched the same either way. */
import { Watchlist, patternLiteralPrefix, patternLiteralStart, deliveryOf } from '../../../src/domain/watchlist';
import type { AircraftState } from '../../../src/domain/aircraft-state';

const at = (callsign: string): AircraftState => ({
  hex: 'a00001',
  callsign,
  onGround: false,
  flags: { military: false, interesting: false, pia: false, ladd: false },
  observedAt: 0,
  sourceId: 's',
  fetchedAt: 0,
});

it.each([
  ['^GXA6[0-9]{3}$', 'GXA6'],
  ['^TYSON(4[1-9]|5[0-9])$', undefined], // alternation: no single literal start
  ['^LYM[345]00', 'LYM'],
  ['^GXA6?', 'GXA'], // the 6 is optional
  ['^G?', undefined],
  ['GXA6', undefined], // not anchored: may match anywhere
  ['^AB\\d', 'AB'],
  ['^A', undefined], // too short to index
])('literal start of %s is %s', (pattern, want) => {
  expect(patternLiteralPrefix(pattern)).toBe(want);
});

it.each([
  ['^TYSON(4[1-9]|5[0-9])$', 'TYSON'], // the alternation is inside a group after the literal start
  ['^TYSON4|^TYSON5', undefined], // an alternation outside any group: no single literal start
  ['^AB(C|D)|EF', undefined],
  ['^AB[|]C', 'AB'], // a | in a character class or escaped is a plain character
  ['^AB\\|C', 'AB'],
  ['^A', 'A'],
  ['^A?B', undefined],
  ['AB', undefined],
])('every match of %s starts with %s', (pattern, want) => {
  expect(patternLiteralStart(pattern)).toBe(want);
});

it('indexed and scanned pattern entries match exactly the callsigns their regex matches', () => {
  const patterns = ['^GXA6[0-9]{3}$', '^GXA6?1', '^TYSON(4[1-9]|5[0-9]|60)$', 'X1$', '^AB\\d', '^TY(SON4|X)|^AB1'];
  const list = new Watchlist(
    patterns.map((p, i) => ({ id: `p${i}`, match: { callsignPattern: p }, tags: [], enabled: true })),
  );
  const callsigns = [
    'GXA6117',
    'GXA61',
    'GXA1',
    'GXA6',
    'TYSON41',
    'TYSON60',
    'TYSON61',
    'TYX',
    'BOX1',
    'AB1',
    'ABC',
    'G',
    'GX',
  ];
  for (const cs of callsigns) {
    const want = patterns.flatMap((p, i) => (new RegExp(p).test(cs) ? [`p${i}`] : []));
    expect([cs, list.match(at(cs))?.ids.sort() ?? []]).toEqual([cs, want]);
  }
});

it('delivery: what the entry says, else digest for operator-wide entries', () => {
  expect(deliveryOf({ tags: ['operator-wide'] })).toBe('digest');
  expect(deliveryOf({ tags: ['operator-wide'], delivery: 'instant' })).toBe('instant');
  expect(deliveryOf({ tags: ['ice-air'] })).toBe('instant');
  expect(deliveryOf({ tags: [], delivery: 'digest' })).toBe('digest');
});
