/**
 * LuaScript on a real redis-server: calls go by SHA1, the text is sent only when the server does not hold the
 * script (here after SCRIPT FLUSH, as after a restart), and a script's own errors still reach the caller.
 */
import type Redis from 'ioredis';
import { LuaScript } from '../../../src/util/lua-script';
import { redisSuite } from '../../helpers/redis-suite';

const suite = redisSuite('fwlua');

// Appends ARGV[1] to a list and returns its new length; fails on 'bad' (a script error, not NOSCRIPT).
const PUSH = new LuaScript(
  `if ARGV[1] == 'bad' then return redis.error_reply('ERR refused: bad') end
return redis.call('RPUSH', KEYS[1], ARGV[1])`,
);

/** How often the server ran each of EVAL and EVALSHA since the last CONFIG RESETSTAT. */
async function evalCalls(redis: Redis): Promise<{ eval: number; evalsha: number }> {
  const info = await redis.info('commandstats');
  const calls = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha') };
}

it('runs by SHA1 and sends the text once when the server lost the script', async () => {
  const redis = suite.client();
  const key = `${suite.prefix()}list`;
  await redis.script('FLUSH');
  await redis.config('RESETSTAT');

  expect(await PUSH.run(redis, 1, key, 'a')).toBe(1); // not held yet: EVALSHA, then EVAL
  expect(await PUSH.run(redis, 1, key, 'b')).toBe(2);
  expect(await PUSH.run(redis, 1, key, 'c')).toBe(3);
  expect(await evalCalls(redis)).toEqual({ eval: 1, evalsha: 3 });

  await redis.script('FLUSH');
  expect(await PUSH.run(redis, 1, key, 'd')).toBe(4);
  expect(await redis.lrange(key, 0, -1)).toEqual(['a', 'b', 'c', 'd']);
  expect(await evalCalls(redis)).toEqual({ eval: 2, evalsha: 4 });
});

it("passes a script's own error on, and never resends the text for it", async () => {
  const redis = suite.client();
  const key = `${suite.prefix()}list`;
  await PUSH.run(redis, 1, key, 'warm');
  await redis.config('RESETSTAT');
  await expect(PUSH.run(redis, 1, key, 'bad')).rejects.toThrow('refused: bad');
  expect(await evalCalls(redis)).toEqual({ eval: 0, evalsha: 1 });
});

it('runs many calls in one pipeline, in order, each with its own reply or error, also after a flush', async () => {
  const redis = suite.client();
  const key = `${suite.prefix()}list`;
  const calls = ['a', 'b', 'bad', 'c'].map((v) => [1, key, v] as const);

  await redis.script('FLUSH');
  await redis.config('RESETSTAT');
  const first = await PUSH.runMany(redis, calls);
  expect(first.map(([err, reply]) => err?.message ?? reply)).toEqual([1, 2, expect.stringContaining('refused'), 3]);
  // Every call said NOSCRIPT and was sent again with the text, in its order.
  expect(await evalCalls(redis)).toEqual({ eval: 4, evalsha: 4 });

  await redis.config('RESETSTAT');
  const second = await PUSH.runMany(redis, [[1, key, 'd']]);
  expect(second).toEqual([[null, 4]]);
  expect(await evalCalls(redis)).toEqual({ eval: 0, evalsha: 1 });
  // A single call goes without a pipeline; its error is still returned, not thrown.
  const [[err, reply]] = await PUSH.runMany(redis, [[1, key, 'bad']]);
  expect([err?.message, reply]).toEqual([expect.stringContaining('refused: bad'), null]);
  expect(await redis.lrange(key, 0, -1)).toEqual(['a', 'b', 'c', 'd']);
});
