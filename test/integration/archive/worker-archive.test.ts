/**
 * The worker archives as it runs: a real worker (in process) polls a receiver stand-in serving a watched
 * aircraft; its `seen` event reaches the SQLite archive in the data dir through the history stream, and the
 * positions it polled reach leg_positions and raw_replies through the captures stream, the receiver URL's
 * secret masked.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { startWorker, type RunningWorker } from '../../../src/runtime/worker';
import { openArchive } from '../../../src/archive';
import { silentLogger } from '../../../src/util/log';
import { redisSuite } from '../../helpers/redis-suite';
import { until } from '../../helpers/wait';

const suite = redisSuite('fwwork');
const TOKEN = 'rx-token-5ecret-77';

let server: Server;
let url = '';
let requests = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    const now = Date.now() / 1000;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        now,
        messages: requests,
        aircraft: [
          {
            hex: 'a1b2c3',
            flight: 'N123GV  ',
            // Below 10,000 ft the capture keeps every position (in cruise it keeps one a minute per aircraft).
            alt_baro: 8000,
            gs: 450,
            track: 90,
            lat: 30 + requests / 100,
            lon: -90,
            seen: 0.2,
            seen_pos: 0.3,
            type: 'adsb_icao',
          },
        ],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/data/aircraft.json?token=${TOKEN}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('archives the worker’s events and polled positions into <data.dir>/archive.sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fw-worker-archive-'));
  const redis = suite.client();
  await redis.ping();
  const redisUrl = `redis://${redis.options.host}:${redis.options.port}`;
  let worker: RunningWorker | undefined;
  try {
    const config = configSchema.parse({
      sources: [{ id: 'rx', kind: 'receiver', url }],
      watch: [{ id: 'gv', match: { hex: ['a1b2c3'] } }],
      poll: { schedule: '* * * * * *' },
      data: { dir },
      alerts: { channels: [{ id: 'box', kind: 'outbox', dir: join(dir, 'outbox') }] },
    });
    worker = await startWorker({
      config,
      log: silentLogger,
      env: { REDIS_URL: redisUrl, RX_TOKEN: TOKEN, DATABASE_URL: '' },
      prefix: suite.prefix().slice(0, -1),
    });
    const file = join(dir, 'archive.sqlite');
    await until(
      'the seen event and three positions in the archive',
      async () => {
        const a = await openArchive({ file, migrate: false });
        try {
          const events = await a.db.selectFrom('events').select(['type', 'hex']).execute();
          const positions = await a.db.selectFrom('leg_positions').selectAll().execute();
          return events.some((e) => e.type === 'seen' && e.hex === 'a1b2c3') && positions.length >= 3;
        } finally {
          await a.close();
        }
      },
      { timeoutMs: 20_000, intervalMs: 250, detail: () => `${requests} receiver requests` },
    );
    await worker.stop();
    worker = undefined;
    const a = await openArchive({ file });
    const positions = await a.db.selectFrom('leg_positions').selectAll().orderBy('t').execute();
    const replies = await a.db.selectFrom('raw_replies').selectAll().execute();
    const aircraft = await a.db.selectFrom('aircraft').selectAll().execute();
    await a.close();
    expect(positions[0]).toMatchObject({ hex: 'a1b2c3', alt_ft: 8000, gs_kt: 450, source: 'rx', on_ground: 0 });
    expect(new Set(positions.map((p) => p.lat)).size).toBe(positions.length);
    expect(replies.length).toBeGreaterThanOrEqual(3);
    for (const r of replies) {
      expect(r.url).toBe(url.replace(TOKEN, '[redacted]'));
      expect(r.body).not.toContain(TOKEN);
    }
    expect(aircraft).toMatchObject([{ hex: 'a1b2c3', watch_ids: '["gv"]' }]);
  } finally {
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
