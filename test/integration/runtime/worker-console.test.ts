/**
 * The worker serves the console on web.port: a real worker (in process) polls a receiver stand-in, and its
 * Health page shows what that worker knows — the source healthy with its last reply, the last poll, the queues
 * on its Redis — beside what the archive knows.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { startWorker, type RunningWorker } from '../../../src/runtime/worker';
import { silentLogger } from '../../../src/util/log';
import { redisSuite } from '../../helpers/redis-suite';
import { until } from '../../helpers/wait';
import { ConsoleClient, consoleEnv, USERS } from '../../helpers/console';

const suite = redisSuite('fwweb');

let receiver: Server;
let url = '';
beforeAll(async () => {
  receiver = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ now: Date.now() / 1000, messages: 1, aircraft: [] }));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/data/aircraft.json`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

it('serves the console with the worker’s live health on web.port', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fw-worker-console-'));
  const redis = suite.client();
  await redis.ping();
  let worker: RunningWorker | undefined;
  try {
    const config = configSchema.parse({
      sources: [{ id: 'rx', kind: 'receiver', url }],
      watch: [{ id: 'gv', match: { hex: ['a1b2c3'] } }],
      poll: { schedule: '* * * * * *' },
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
      env: {
        ...(await consoleEnv()),
        REDIS_URL: `redis://${redis.options.host}:${redis.options.port}`,
        DATABASE_URL: '',
      },
      prefix: suite.prefix().slice(0, -1),
    });
    expect(worker.webUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const c = new ConsoleClient(worker.webUrl!);
    expect((await c.login('vera', USERS.vera.password)).status).toBe(303);
    // The page is an HTTP endpoint of the process under test: re-read until the first poll shows on it.
    const page = await until(
      'the Health page showing the first poll',
      async () => {
        const r = await c.get('/health');
        return r.text.includes('healthy') && !r.text.includes('none yet') ? r.text : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(page).not.toContain('Unknown:');
    expect(page).toMatch(/<th scope="row">rx<\/th>\s*<td><span class="badge ok">healthy<\/span><\/td>/);
    expect(page).toContain('Queues (every replica on this Redis)');
    expect(page).toContain('receiving');
  } finally {
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
