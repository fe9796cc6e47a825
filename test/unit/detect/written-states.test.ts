/** The Redis track store's memory of the states it wrote: taken while a step runs, bounded by count and age. */
import { newTrack } from '../../../src/detect';
import { WrittenStates } from '../../../src/detect/store/written-states';

const T = 1_700_000_000_000;

describe('WrittenStates', () => {
  it('hands a state out once: a step that fails or loses its race leaves nothing behind', () => {
    const w = new WrittenStates(10, 60_000);
    const st = newTrack('abcdef', T);
    w.put('abcdef', '7', st, T);
    expect(w.take('abcdef', T + 1)).toEqual({ v: '7', state: st, at: T });
    expect(w.take('abcdef', T + 2)).toBeUndefined();
  });

  it('forgets a deleted track, and one written longer ago than its key lives', () => {
    const w = new WrittenStates(10, 60_000);
    w.put('abcdef', '1', newTrack('abcdef', T), T);
    w.put('abcdef', '2', undefined, T);
    expect(w.take('abcdef', T)).toBeUndefined();
    w.put('c0ffee', '1', newTrack('c0ffee', T), T);
    expect(w.take('c0ffee', T + 60_000)).toBeUndefined();
  });

  it('keeps at most maxEntries: when full a new aircraft is not taken in, unless old entries make room', () => {
    const w = new WrittenStates(2, 60_000);
    for (const hex of ['a', 'b', 'c']) w.put(hex, '1', newTrack(hex, T), T);
    expect([w.has('a'), w.has('b'), w.has('c')]).toEqual([true, true, false]);
    // Taken and written again: still room for it.
    expect(w.take('a', T)).toBeDefined();
    w.put('a', '2', newTrack('a', T), T);
    expect(w.size).toBe(2);
    // 'b' is too old by now: it makes room for 'd'.
    w.put('a', '3', newTrack('a', T + 61_000), T + 61_000);
    w.put('d', '1', newTrack('d', T + 61_000), T + 61_000);
    expect([w.has('a'), w.has('b'), w.has('d')]).toEqual([true, false, true]);
    const none = new WrittenStates(0, 60_000);
    none.put('a', '1', newTrack('a', T), T);
    expect(none.size).toBe(0);
  });
});
