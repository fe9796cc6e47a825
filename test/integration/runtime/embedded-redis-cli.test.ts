/**
 * The worker's embedded redis-server listens on a random port; `<data.dir>/redis/url` is how CLI commands
 * find it. A real embedded server (startEmbeddedRedis, as the worker starts it) holding one dead letter, and
 * `flightwatch dlq list` run as a real CLI child with no REDIS_URL: it must list that dead letter.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker } from 'bullmq';
import { runCli } from '../../helpers/cli';
import { createRedis } from '../../../src/pipeline/connection';
import { createQueues } from '../../../src/pipeline/queues';
import { QUEUE } from '../../../src/pipeline/names';
import { startEmbeddedRedis } from '../../../src/runtime/redis/embedded-server';
import { pingRedis } from '../../../src/runtime/redis/probe';
import type { ResolvedRedis } from '../../../src/runtime/redis/resolved-redis';
import { embeddedUrlFile } from '../../../src/runtime/redis/url-file';
import { configDataDir } from '../../../src/config/data-dir';
import { silentLogger } from '../../../src/util/log';

jest.setTimeout(60_000);

let tmp: string;
let embedded: ResolvedRedis | undefined;
beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'fw-embedded-cli-'))));
afterEach(async () => {
  await embedded?.stop();
  embedded = undefined;
  rmSync(tmp, { recursive: true, force: true });
});

/** One failed notify job under `prefix`, so `dlq list` output proves which server it read. */
async function addDeadLetter(url: string, prefix: string): Promise<string> {
  const redis = createRedis(url, 'worker');
  const q = createQueues(redis, prefix, { horizonMs: 60_000, baseMs: 100, maxMs: 1000 });
  const jobId = 'alrt_embeddedclitest';
  const worker = new Worker(QUEUE.notify, () => Promise.reject(new UnrecoverableError('HTTP 400 from the test')), {
    connection: redis,
    prefix,
  });
  const failed = new Promise<void>((done) => worker.on('failed', () => done()));
  await q.notify.add(
    'notify',
    {
      alertId: jobId,
      channelId: 'partner',
      eventId: 'e1',
      eventType: 'landing',
      hex: 'a1b2c3',
      eventTimeMs: 0,
      repeatIntervalMs: 0,
      route: -1,
    },
    { jobId, attempts: 1 },
  );
  await failed;
  await worker.close();
  await q.close();
  redis.disconnect();
  return jobId;
}

it('dlq list (real CLI child, no REDIS_URL) finds the embedded Redis through <data.dir>/redis/url; the file goes with the server', async () => {
  const dataDir = join(tmp, 'worker-data');
  embedded = await startEmbeddedRedis(dataDir, silentLogger);
  const urlFile = embeddedUrlFile(dataDir);
  expect(readFileSync(urlFile, 'utf8').split('\n')[0]).toBe(embedded.url);
  expect(embedded.url).not.toBe('redis://127.0.0.1:6379');

  const prefix = `fwt-embcli-${process.pid}`;
  const jobId = await addDeadLetter(embedded.url, prefix);

  // The config the worker runs with names the data dir; the CLI reads the same config.
  const config = join(tmp, 'flightwatch.yaml');
  writeFileSync(
    config,
    [
      'sources:',
      '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/data/aircraft.json" }',
      'watch:',
      '  - id: jets',
      '    match: { types: [GLF5] }',
      'data:',
      `  dir: "${dataDir}"`,
      '',
    ].join('\n'),
  );
  expect(configDataDir(config)).toMatchObject({ ok: true, dir: dataDir });
  const r = await runCli(['dlq', 'list', '--json'], {
    env: { REDIS_URL: '', FLIGHTWATCH_CONFIG: config, FLIGHTWATCH_REDIS_PREFIX: prefix },
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const rows = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(rows).toEqual([
    expect.objectContaining({ id: jobId, queue: 'notify', channel: 'partner', reason: 'HTTP 400 from the test' }),
  ]);

  // Stopped with the worker: the URL file goes too, so nothing points at a dead port.
  const port = Number(new URL(embedded.url).port);
  await embedded.stop();
  embedded = undefined;
  expect(existsSync(urlFile)).toBe(false);
  expect(await pingRedis('127.0.0.1', port)).toBe(false);
});
