/**
 * The worker's startup lines against real redis-servers: whether a Redis keeps anything on disk (AOF, RDB save
 * points, CONFIG refused), and one spawned worker with LOG_FORMAT=pretty that says which Redis (no password),
 * where alerts and the archive go, and warns that its Redis persists nothing, in readable lines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { spawnWorker } from '../../helpers/worker-process';
import { redisPersistence } from '../../../src/runtime/startup-lines';
import { writeConfig } from '../operate/support';

jest.setTimeout(60_000);

async function persistenceOf(args: string[]) {
  const server: TestRedis = await startRedis(args);
  const conn = new Redis(server.url, { maxRetriesPerRequest: 1 });
  try {
    return await redisPersistence(conn);
  } finally {
    conn.disconnect();
    await server.stop();
  }
}

describe('redisPersistence', () => {
  it('says a Redis with neither AOF nor save points keeps nothing', async () => {
    expect(await persistenceOf([])).toEqual({ checked: true, appendonly: false, save: '', persists: false });
  });

  it('counts AOF or RDB save points as persistence', async () => {
    expect(await persistenceOf(['--appendonly', 'yes'])).toMatchObject({ checked: true, persists: true });
    expect(await persistenceOf(['--save', '900 1'])).toMatchObject({ checked: true, save: '900 1', persists: true });
  });

  it('reports "not checked" with the reason when CONFIG is refused', async () => {
    const p = await persistenceOf(['--rename-command', 'CONFIG', '']);
    expect(p.checked).toBe(false);
    expect(p).toMatchObject({ reason: expect.stringMatching(/unknown command/i) });
  });
});

describe('worker startup lines (spawned, LOG_FORMAT=pretty)', () => {
  it('names Redis without its password, the alert destinations and the archive; warns of no persistence', async () => {
    const password = `rp-${randomBytes(8).toString('hex')}`;
    const redis = await startRedis(['--requirepass', password]);
    const tmp = mkdtempSync(join(tmpdir(), 'fw-startup-'));
    const file = join(tmp, 'flightwatch.yaml');
    const outboxDir = join(tmp, 'outbox');
    const dataDir = join(tmp, 'data');
    // A receiver nobody listens on: startup does not need data.
    writeConfig(file, { receiverUrl: 'http://127.0.0.1:9/data/aircraft.json', types: ['GLF5'], dataDir, outboxDir });
    const authed = redis.url.replace('redis://', `redis://:${password}@`);
    const w = spawnWorker(file, {
      ...process.env,
      REDIS_URL: authed,
      FLIGHTWATCH_REDIS_PREFIX: `su${randomBytes(3).toString('hex')}`,
      LOG_FORMAT: 'pretty',
      LOG_LEVEL: 'info',
      PORT: '0',
    });
    try {
      await w.waitForLog('worker started', (l) => String(l.msg).includes('worker started'));
      const out = w.output();
      const lines = out.split('\n').filter((l) => /^\d{4}-\d\d-\d\d /.test(l));
      expect(lines.length).toBeGreaterThan(4);
      // Readable, not JSON: every log line starts with the time and the level.
      for (const l of lines)
        expect(l).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) \S/);
      expect(out).not.toMatch(/^\{"level"/m);
      expect(out).not.toContain(password);
      expect(out).toContain(`INFO  Redis: ${redis.url} (external, from REDIS_URL)`);
      expect(out).toMatch(/WARN {2}Redis keeps nothing on disk \(appendonly no, save ""\)/);
      expect(out).toContain(`INFO  alerts go to outbox (outbox → ${outboxDir})`);
      expect(out).toContain(`INFO  archive: SQLite ${dataDir}/archive.sqlite`);
    } finally {
      w.child.kill('SIGTERM');
      await w.exited;
      await redis.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
