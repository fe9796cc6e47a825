/**
 * The history's count bound (pipeline.historyMaxEntries) on a real Redis: the oldest entries beyond it go,
 * never one the flight record has not archived, and nothing goes while the archive's cursor is unknown.
 */
import { keys } from '../../../src/alerting/keys';
import { compareStreamIds, trimHistory } from '../../../src/pipeline/history';
import { startHistoryTrim } from '../../../src/runtime/history-trim';
import { silentLogger } from '../../../src/util/log';
import { redisSuite } from '../../helpers/redis-suite';

const suite = redisSuite('fwtrim');

/** `n` entries with ids 1000-0, 1001-0, … (oldest first). */
async function fill(prefix: string, n: number) {
  const redis = suite.client();
  const k = keys(prefix);
  for (let i = 0; i < n; i++) await redis.xadd(k.history, `${1000 + i}-0`, 'id', `e${i}`);
  const ids = async () => ((await redis.xrange(k.history, '-', '+')) as [string, string[]][]).map(([id]) => id);
  return { redis, k, ids };
}

it('removes the oldest entries beyond the bound when there is no archive', async () => {
  const { redis, k, ids } = await fill(suite.prefix(), 25);
  expect(await trimHistory(redis, k, 10, undefined)).toEqual({ removed: 15, heldBack: 0 });
  expect(await ids()).toEqual(Array.from({ length: 10 }, (_, i) => `${1015 + i}-0`));
  expect(await trimHistory(redis, k, 10, undefined)).toEqual({ removed: 0, heldBack: 0 });
});

it('keeps every entry after the archive cursor, and all of them while the cursor is unknown', async () => {
  const { redis, k, ids } = await fill(suite.prefix(), 25);
  expect(await trimHistory(redis, k, 10, null)).toEqual({ removed: 0, heldBack: 15 });
  expect(await ids()).toHaveLength(25);
  // archived up to the 6th entry: only those 6 may go, the 9 others over the bound wait for the archive
  expect(await trimHistory(redis, k, 10, '1005-0')).toEqual({ removed: 6, heldBack: 9 });
  expect((await ids())[0]).toBe('1006-0');
  expect(await trimHistory(redis, k, 10, '9999-0')).toEqual({ removed: 9, heldBack: 0 });
  expect(await ids()).toHaveLength(10);
});

it('takes a lowered bound in steps', async () => {
  const { redis, k, ids } = await fill(suite.prefix(), 30);
  expect((await trimHistory(redis, k, 10, undefined, 8)).removed).toBe(8);
  expect((await trimHistory(redis, k, 10, undefined, 8)).removed).toBe(8);
  expect((await trimHistory(redis, k, 10, undefined, 8)).removed).toBe(4);
  expect(await ids()).toHaveLength(10);
});

it('the worker timer asks the archive for its cursor at each run', async () => {
  const prefix = suite.prefix();
  const { redis, ids } = await fill(prefix, 12);
  let cursor: string | null = null;
  const trim = startHistoryTrim({
    redis,
    prefix,
    maxEntries: () => 10,
    archivedUpTo: () => Promise.resolve(cursor),
    log: silentLogger,
    everyMs: 3_600_000,
  });
  try {
    expect(await trim.runOnce()).toEqual({ removed: 0, heldBack: 2 });
    cursor = '1000-0';
    expect(await trim.runOnce()).toEqual({ removed: 1, heldBack: 1 });
    expect((await ids())[0]).toBe('1001-0');
  } finally {
    trim.stop();
  }
});

it('orders stream ids by time, then sequence', () => {
  expect(['2-0', '10-0', '2-10', '2-2'].sort(compareStreamIds)).toEqual(['2-0', '2-2', '2-10', '10-0']);
});
