import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { freePort } from '../../../src/runtime/redis/free-port';
import { pingRedis } from '../../../src/runtime/redis/probe';
import { resolveRedis } from '../../../src/runtime/redis/resolve-redis';
import { RedisUnavailableError } from '../../../src/runtime/redis/resolved-redis';
import { silentLogger } from '../../../src/util/log';

describe('resolveRedis', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fw-redis-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses REDIS_URL when set, without probing anything', async () => {
    const r = await resolveRedis({ env: { REDIS_URL: 'redis://example.invalid:1' }, dataDir: dir, log: silentLogger });
    expect(r).toMatchObject({ url: 'redis://example.invalid:1', origin: 'env' });
  });

  it('PING probe is false on a port where nothing listens', async () => {
    expect(await pingRedis('127.0.0.1', await freePort())).toBe(false);
  });

  it('starts an embedded redis-server with AOF persistence and noeviction, and stops it', async () => {
    const r = await resolveRedis({ env: {}, dataDir: dir, log: silentLogger, skipLocal: true });
    expect(r.origin).toBe('embedded');
    const client = new IORedis(r.url);
    try {
      await client.set('k', 'v');
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      client.disconnect();
    }
    const port = Number(new URL(r.url).port);
    await r.stop();
    expect(existsSync(join(dir, 'redis'))).toBe(true);
    expect(await pingRedis('127.0.0.1', port)).toBe(false);
  });

  it('explains how to get Redis when redis-server cannot be started', async () => {
    const p = resolveRedis({
      env: {},
      dataDir: dir,
      log: silentLogger,
      skipLocal: true,
      redisServerBin: '/nonexistent/redis-server',
    });
    await expect(p).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(p).rejects.toThrow(/apt-get install redis-server[\s\S]*REDIS_URL[\s\S]*docker compose/);
  });
});
