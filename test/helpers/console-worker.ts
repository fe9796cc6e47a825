/**
 * The set-up of the console tests that need a real worker: a receiver stand-in it polls every second, and the
 * worker (in process) serving the console on a free port with the console's users, one watch entry and an
 * outbox channel, its data dir (and config file, for CLI commands over the same deployment) in a temp dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../src/config/schema';
import { startWorker, type RunningWorker } from '../../src/runtime/worker';
import { silentLogger } from '../../src/util/log';
import { ConsoleClient, consoleEnv, USERS } from './console';
import { reply, startFaultServer, type FaultServer, type Responder } from './fault-server';

export const AIRCRAFT_PATH = '/data/aircraft.json';

/** No aircraft in the sky, stamped now. */
const emptySky: Responder = (q, res, rec) =>
  reply.json({ now: Date.now() / 1000, messages: 1, aircraft: [] })(q, res, rec);

/** The receiver is down: every poll fails. */
export const receiverDown: Responder = reply.text('down', 503);

/** A readsb receiver stand-in for the file's tests, answering with `respond` (default: no aircraft). */
export function receiverStandIn(respond: Responder = emptySky): { url(): string } {
  let server: FaultServer | undefined;
  beforeAll(async () => {
    server = await startFaultServer();
    server.route(AIRCRAFT_PATH, respond);
  });
  afterAll(() => server?.close());
  return {
    url() {
      if (!server) throw new Error('receiverStandIn: url() called outside a test (it starts in beforeAll)');
      return server.url + AIRCRAFT_PATH;
    },
  };
}

export interface ConsoleWorker {
  worker: RunningWorker;
  dir: string;
  /** The config, written as a file (YAML is a superset of JSON). */
  configFile: string;
  /** Signed in as the viewer. */
  console: ConsoleClient;
  stop(): Promise<void>;
}

/**
 * Starts the worker; `config` adds to (or replaces sections of) the test config; `env` adds to the console's
 * env (REDIS_URL, FLIGHTWATCH_REDIS…); DATABASE_URL is empty (the archive is a file in the data dir).
 */
export async function startConsoleWorker(o: {
  sourceUrl: string;
  env: NodeJS.ProcessEnv;
  prefix?: string;
  port?: number;
  config?: Record<string, unknown>;
}): Promise<ConsoleWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-console-worker-'));
  const input = {
    sources: [{ id: 'rx', kind: 'receiver', url: o.sourceUrl }],
    watch: [{ id: 'gv', match: { hex: ['a1b2c3'] } }],
    poll: { schedule: '* * * * * *' },
    data: { dir },
    alerts: { channels: [{ id: 'box', kind: 'outbox', dir: join(dir, 'outbox') }] },
    web: {
      port: 0,
      users: Object.entries(USERS).map(([name, u]) => ({
        name,
        role: u.role,
        passwordHashEnv: `PW_${name.toUpperCase()}`,
      })),
      sessionSecretEnv: 'CONSOLE_SESSION_SECRET',
    },
    ...o.config,
  };
  const configFile = join(dir, 'flightwatch.yaml');
  writeFileSync(configFile, JSON.stringify(input, null, 2));
  let worker: RunningWorker | undefined;
  try {
    worker = await startWorker({
      config: configSchema.parse(input),
      log: silentLogger,
      env: { ...(await consoleEnv()), DATABASE_URL: '', ...o.env },
      ...(o.prefix !== undefined ? { prefix: o.prefix } : {}),
      ...(o.port !== undefined ? { port: o.port } : {}),
    });
    if (!worker.webUrl) throw new Error('the worker started without its console (web.port)');
    const c = new ConsoleClient(worker.webUrl);
    const login = await c.login('vera', USERS.vera.password);
    if (login.status !== 303) throw new Error(`signing in to the worker's console answered ${login.status}`);
    const running = worker;
    return {
      worker: running,
      dir,
      configFile,
      console: c,
      async stop() {
        await running.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
