/**
 * The Health page says what /readyz says about the data. With replicas, the worker that serves the console
 * may not be the one whose poll got the last valid reply: both must read the newest data any replica
 * recorded in Redis (the blind watcher's `last-data`), not this process's own. A real worker (in process)
 * whose only source fails, and a second replica's watcher recording a valid reply on the same Redis.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { startBlindWatcher } from '../../../src/observability/blind-watcher';
import { startWorker, type RunningWorker } from '../../../src/runtime/worker';
import { silentLogger } from '../../../src/util/log';
import { redisSuite } from '../../helpers/redis-suite';
import { until } from '../../helpers/wait';
import { ConsoleClient, consoleEnv, USERS } from '../../helpers/console';

const suite = redisSuite('fwhealth');
const BLIND_AFTER_MS = 4000;

let receiver: Server;
let url = '';
beforeAll(async () => {
  // The receiver this worker polls is down: its own process never gets a valid reply.
  receiver = createServer((_req, res) => {
    res.statusCode = 503;
    res.end('down');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/data/aircraft.json`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

interface Readiness {
  checks: { data: { ok: boolean; detail: { ageS: number } } };
}

it('reports the newest data of any replica, as /readyz does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fw-health-'));
  const redis = suite.client();
  const prefix = suite.prefix().slice(0, -1);
  let worker: RunningWorker | undefined;
  try {
    const config = configSchema.parse({
      sources: [{ id: 'rx', kind: 'receiver', url }],
      watch: [{ id: 'gv', match: { hex: ['a1b2c3'] } }],
      poll: { schedule: '* * * * * *' },
      operate: { blindAfter: BLIND_AFTER_MS, readyMaxDataAge: BLIND_AFTER_MS },
      data: { dir },
      alerts: { channels: [{ id: 'box', kind: 'outbox', dir: join(dir, 'outbox') }] },
      web: {
        port: 0,
        users: [{ name: 'vera', role: 'viewer', passwordHashEnv: 'PW_VERA' }],
        sessionSecretEnv: 'CONSOLE_SESSION_SECRET',
      },
    });
    worker = await startWorker({
      config,
      log: silentLogger,
      port: 0,
      env: {
        ...(await consoleEnv()),
        REDIS_URL: `redis://${redis.options.host}:${redis.options.port}`,
        DATABASE_URL: '',
      },
      prefix,
    });
    const c = new ConsoleClient(worker.webUrl!);
    expect((await c.login('vera', USERS.vera.password)).status).toBe(303);
    const readyz = async () => (await (await fetch(`${worker!.health!.url}/readyz`)).json()) as Readiness;
    const dataOf = (page: string) => /(receiving|blind)<\/span> newest valid data (\d+) s ago/.exec(page);

    // Nothing anywhere for longer than blindAfter: both say so.
    const blindPage = await until(
      'the Health page saying blind',
      async () => ((await c.get('/health')).text.includes('badge bad">blind') ? true : undefined),
      { timeoutMs: 30_000 },
    );
    expect(blindPage).toBe(true);
    expect((await readyz()).checks.data.ok).toBe(false);

    // Another replica's poll gets a valid reply: its watcher records it in Redis.
    const other = startBlindWatcher({
      redis,
      prefix,
      blindAfterMs: () => BLIND_AFTER_MS,
      ctx: () => undefined,
      sources: () => [],
      log: silentLogger,
    });
    await other.afterCycle(true, Date.now());
    other.stop();

    const [page, ready] = await Promise.all([c.get('/health'), readyz()]);
    expect(ready.checks.data.ok).toBe(true);
    const shown = dataOf(page.text);
    expect(shown?.[1]).toBe('receiving');
    expect(Math.abs(Number(shown?.[2]) - ready.checks.data.detail.ageS)).toBeLessThanOrEqual(1);
  } finally {
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
