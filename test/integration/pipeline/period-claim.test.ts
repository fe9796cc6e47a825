/**
 * The send-once claim on a real redis-server: one holder at a time, a lease a dead replica cannot keep, a
 * failure that blocks every replica until its retry time, and claims written by the previous release.
 */
import { claimPeriod, markFailed, markSent, readClaim } from '../../../src/pipeline/period-claim';
import { redisSuite } from '../../helpers/redis-suite';

const suite = redisSuite('fwclaim');
const LEASE = 60_000;
const KEEP = 86_400_000;
const T = Date.parse('2026-12-01T06:00:00Z');

it('lets one replica hold a period, hands it over when the lease runs out, and never past "sent"', async () => {
  const redis = suite.client();
  const key = `${suite.prefix()}claim`;
  const claim = (owner: string, now: number) => claimPeriod(redis, key, { owner, now, leaseMs: LEASE, keepMs: KEEP });

  const [a, b] = await Promise.all([claim('a', T), claim('b', T)]);
  expect([a.claimed, b.claimed].sort()).toEqual([false, true]);
  const [holder, other] = a.claimed ? ['a', 'b'] : ['b', 'a'];
  expect(await claim(other, T + LEASE - 1)).toMatchObject({
    claimed: false,
    current: { state: 'sending', owner: holder },
  });

  // The holder died: once its lease ran out the other takes over, and the late holder cannot mark it sent.
  expect(await claim(other, T + LEASE + 1)).toEqual({ claimed: true, attempts: 0 });
  expect(await markSent(redis, key, { owner: holder, now: T + LEASE + 2, attempts: 1, keepMs: KEEP })).toBe(false);
  expect(await markSent(redis, key, { owner: other, now: T + LEASE + 2, attempts: 1, keepMs: KEEP })).toBe(true);
  expect(await claim(holder, T + 10 * LEASE)).toMatchObject({ claimed: false, current: { state: 'sent' } });
  expect(await redis.pttl(key)).toBeGreaterThan(KEEP - 60_000);
});

it('blocks every replica until the retry time of a failure, then carries the attempts on', async () => {
  const redis = suite.client();
  const key = `${suite.prefix()}claim`;
  const claim = (owner: string, now: number) => claimPeriod(redis, key, { owner, now, leaseMs: LEASE, keepMs: KEEP });
  expect(await claim('a', T)).toEqual({ claimed: true, attempts: 0 });
  expect(await markFailed(redis, key, { owner: 'a', attempts: 1, retryAt: T + 500, error: 'boom', keepMs: KEEP })).toBe(
    true,
  );
  expect(await claim('b', T + 499)).toMatchObject({ claimed: false, current: { state: 'failed', attempts: 1 } });
  expect(await claim('b', T + 500)).toEqual({ claimed: true, attempts: 1 });
});

it('resumes only what a replica started when asked to, and reads a previous release’s claim as sent', async () => {
  const redis = suite.client();
  const p = suite.prefix();
  const resume = (key: string, now: number) =>
    claimPeriod(redis, key, { owner: 'a', now, leaseMs: LEASE, keepMs: KEEP, resumeOnly: true });
  expect(await resume(`${p}fresh`, T)).toMatchObject({ claimed: false });
  expect(await redis.exists(`${p}fresh`)).toBe(0);

  await claimPeriod(redis, `${p}started`, { owner: 'b', now: T, leaseMs: LEASE, keepMs: KEEP });
  expect(await resume(`${p}started`, T + LEASE + 1)).toEqual({ claimed: true, attempts: 0 });

  await redis.set(`${p}old`, '2026-11-01T06:00:00.000Z');
  expect(await claimPeriod(redis, `${p}old`, { owner: 'a', now: T, leaseMs: LEASE, keepMs: KEEP })).toMatchObject({
    claimed: false,
    current: { state: 'sent' },
  });
  expect(await readClaim(redis, `${p}old`)).toMatchObject({ state: 'sent', at: Date.parse('2026-11-01T06:00:00Z') });
});
