/** Redis stream entry ids ("ms-seq") compared as numbers: string order is wrong ("9-0" > "10-0"). */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

/** The time part of an entry id (epoch ms). */
export const streamIdMs = (id: string): number => Number(id.split('-')[0]) || 0;

export const STREAM_START = '0-0';
