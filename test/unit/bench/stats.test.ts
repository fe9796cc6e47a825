import { median, percentile, round } from '../../../scripts/bench/stats';
import { mulberry32 } from '../../../src/sim/random';

describe('bench statistics', () => {
  it('median takes the middle value, or the mean of the two middle ones, whatever the input order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]); // input left unsorted
  });
  it('percentile is nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7, 9], 1)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  it('round keeps the asked decimals', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(12.96, 1)).toBe(13);
  });
  it('mulberry32 repeats for a seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });
});
