/**
 * `flightwatch web` beside a running worker, without REDIS_URL: the worker runs on its embedded Redis (the
 * `npm start` default), which it names in `<data.dir>/redis/url`; the console command, started on the same
 * config, finds that Redis the way the other CLI commands do and its Health page reads what the worker
 * records there — the newest data (receiving, then blind once the receiver goes down) and the queues — instead
 * of calling them unknown. When that Redis does not answer, the page says so and names it (without password).
 */
import { openWorkersRedis } from '../../../src/cli/commands/web-shared-health';
import { configSchema } from '../../../src/config/schema';
import { sharedLastDataAt } from '../../../src/observability/blind-watcher';
import { freePort } from '../../../src/runtime/redis/free-port';
import { silentLogger } from '../../../src/util/log';
import { REPO } from '../../helpers/cli';
import { ConsoleClient, consoleEnv, seedArchive, startTestConsole, USERS } from '../../helpers/console';
import { receiverDown, receiverStandIn, startConsoleWorker, type ConsoleWorker } from '../../helpers/console-worker';
import { reply } from '../../helpers/fault-server';
import { until } from '../../helpers/wait';
import { spawnWorkerCommand, type WorkerProcess } from '../../helpers/worker-process';

const PREFIX = `fwwebcmd${process.pid}`;
const BLIND_AFTER_MS = 3000;
let receiverUp = true;
const emptySky = reply.json({ now: Date.now() / 1000, messages: 1, aircraft: [] });
const receiver = receiverStandIn((q, res, rec) => (receiverUp ? emptySky : receiverDown)(q, res, rec));

it('reads blindness and queues from the worker’s embedded Redis when REDIS_URL is not set', async () => {
  let w: ConsoleWorker | undefined;
  let web: WorkerProcess | undefined;
  try {
    w = await startConsoleWorker({
      sourceUrl: receiver.url(),
      config: { operate: { blindAfter: BLIND_AFTER_MS, readyMaxDataAge: BLIND_AFTER_MS } },
      env: { FLIGHTWATCH_REDIS: 'embedded', REDIS_URL: '', REDIS_CLUSTER_NODES: '' },
      prefix: PREFIX,
    });
    expect(w.worker.redisOrigin).toBe('embedded');
    const conn = w.worker.connection;
    await until('the worker recording its first valid reply', () => sharedLastDataAt(conn, PREFIX), {
      timeoutMs: 20_000,
    });

    const env: NodeJS.ProcessEnv = { ...process.env, ...(await consoleEnv()), FLIGHTWATCH_REDIS_PREFIX: PREFIX };
    for (const k of ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'DATABASE_URL', 'FLIGHTWATCH_REDIS', 'FLIGHTWATCH_CONFIG'])
      delete env[k];
    web = spawnWorkerCommand(
      [
        process.execPath,
        '--require',
        'tsx/cjs',
        `${REPO}/src/cli/index.ts`,
        'web',
        '--config',
        w.configFile,
        '--port',
        '0',
      ],
      { cwd: REPO, env },
    );
    const line = await web.waitForLog('the console started', (l) => /^console on /.test(l.msg ?? ''), {
      timeoutMs: 60_000,
    });
    const [, url] = /^console on (http:\/\/127\.0\.0\.1:\d+) /.exec(line.msg!)!;
    const c = new ConsoleClient(url);
    expect((await c.login('vera', USERS.vera.password)).status).toBe(303);

    const page = (await c.get('/health')).text;
    expect(page).not.toContain('Unknown:');
    expect(page).toContain('No worker runs in this process');
    expect(page).toMatch(/badge ok">receiving<\/span> newest valid data \d+ s ago/);
    expect(page).toContain('Queues (every replica on this Redis)');
    expect(page).toMatch(/<th scope="row">poll<\/th>/);
    // It says where it read that: the worker's embedded Redis, found through <data.dir>/redis/url.
    expect(page).toContain(`<code>${w.worker.redisUrl}</code>`);
    expect(line.msg).toContain(`the workers' Redis at ${w.worker.redisUrl}`);

    // The receiver goes down: no replica records data any more, and the console says blind after blindAfter.
    receiverUp = false;
    await until(
      'the console saying blind',
      async () => ((await c.get('/health')).text.includes('badge bad">blind') ? true : undefined),
      { timeoutMs: 30_000, detail: () => web?.output().slice(-1500) ?? '' },
    );
    // Stopped like a service: it closes the console and its Redis connection and exits cleanly.
    web.child.kill('SIGTERM');
    expect((await web.exited).code).toBe(0);
  } finally {
    if (web && web.child.exitCode === null && web.child.signalCode === null) web.child.kill('SIGKILL');
    await w?.stop();
  }
}, 120_000);

it('says the workers’ Redis did not answer, naming it without its password, when nothing listens there', async () => {
  const seeded = await seedArchive();
  const port = await freePort();
  const config = configSchema.parse({
    sources: [{ id: 'rx', kind: 'receiver', url: 'http://127.0.0.1:9/data/aircraft.json' }],
    watch: [{ id: 'gv', match: { hex: ['a1b2c3'] } }],
    data: { dir: seeded.dataDir },
  });
  const workers = await openWorkersRedis(config, { REDIS_URL: `redis://:s3cret-pw@127.0.0.1:${port}` }, silentLogger);
  const server = await startTestConsole(seeded, { shared: () => workers.health() });
  try {
    const c = new ConsoleClient(server.url);
    expect((await c.login('vera', USERS.vera.password)).status).toBe(303);
    const page = (await c.get('/health')).text;
    expect(page).toContain(`<code>redis://:***@127.0.0.1:${port}</code>`);
    expect(page).not.toContain('s3cret-pw');
    expect(page).toMatch(/<dt>Data<\/dt>\s*<dd>unknown \(Redis did not answer\)<\/dd>/);
    expect(page).toContain('Queues: unknown (Redis did not answer in time).');
    expect(page).toMatch(/Legs<\/dt>\s*<dd>6<\/dd>/); // the archive's own view still follows
  } finally {
    await server.close();
    await workers.close();
    await seeded.close();
  }
}, 60_000);
