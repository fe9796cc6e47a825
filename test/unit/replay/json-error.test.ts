import fc from 'fast-check';
import { jsonErrorOffset, lineColumn } from '../../../src/replay/json-error';

describe('jsonErrorOffset', () => {
  it('finds no error in any valid JSON', () => {
    fc.assert(fc.property(fc.json(), (s) => jsonErrorOffset(s) === undefined));
  });

  it('agrees with V8 wherever V8 reports a position', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom(',', '}', ']', 'x', '"', ':', ''), (s, at, junk) => {
        const k = at % (s.length + 1);
        const bad = s.slice(0, k) + junk + s.slice(k + (junk ? 0 : 1));
        let v8: number | undefined;
        let ok = true;
        try {
          JSON.parse(bad);
        } catch (e) {
          ok = false;
          const m = /position (\d+)/.exec((e as Error).message);
          if (m) v8 = Number(m[1]);
        }
        const mine = jsonErrorOffset(bad);
        if (ok) return mine === undefined;
        if (mine === undefined) return false;
        return v8 === undefined || v8 === mine || (v8 === bad.length && mine === bad.length);
      }),
      { numRuns: 500 },
    );
  });

  it('points at the unexpected token', () => {
    expect(jsonErrorOffset('{"a":[1,2,,3]}')).toBe(10);
    expect(jsonErrorOffset('{"a":1} x')).toBe(8);
    expect(jsonErrorOffset('')).toBe(0);
    expect(lineColumn('ab\ncd\nef', 7)).toEqual({ line: 3, column: 2 });
  });
});
