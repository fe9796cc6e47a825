/**
 * Splits a list for comma-joined URL segments: at most `maxCount` values and `maxChars` characters per
 * batch (readsb accepts 1,000 hexes; airplanes.live documents a 1,000-character list limit).
 */
export function batchValues(values: readonly string[], maxCount: number, maxChars: number): string[][] {
  const batches: string[][] = [];
  let cur: string[] = [];
  let chars = 0;
  for (const v of values) {
    const add = (cur.length ? 1 : 0) + v.length;
    if (cur.length && (cur.length >= maxCount || chars + add > maxChars)) {
      batches.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(v);
    chars += cur.length === 1 ? v.length : add;
  }
  if (cur.length) batches.push(cur);
  return batches;
}
