/**
 * The CLI's Redis resolution: REDIS_URL, else the worker's embedded Redis found through <data.dir>/redis/url
 * when its server answers, else 127.0.0.1:6379. Temp dirs and a real redis-server of our own; the shared
 * 127.0.0.1:6379 is never contacted (a stale URL points at a closed port).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { DEFAULT_REDIS_URL, redisUrl } from '../../../src/runtime/redis/cli-redis-url';
import { freePort } from '../../../src/runtime/redis/free-port';
import { redisRunId } from '../../../src/runtime/redis/probe';
import { embeddedUrlFile, embeddedUrlFileText } from '../../../src/runtime/redis/url-file';

let server: TestRedis;
/** What the worker writes for `server`: its URL and its run_id. */
let serverFile: string;
let dir: string;
beforeAll(async () => {
  server = await startRedis();
  const id = await redisRunId('127.0.0.1', server.port);
  if (!id.ok) throw new Error(id.reason);
  serverFile = embeddedUrlFileText(server.url, id.runId);
});
afterAll(() => server.stop());
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fw-redis-url-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writeUrl = (dataDir: string, text: string) => {
  mkdirSync(join(dataDir, 'redis'), { recursive: true });
  writeFileSync(embeddedUrlFile(dataDir), text);
};

describe('redisUrl (CLI commands)', () => {
  it('REDIS_URL wins, even over a live embedded server', async () => {
    writeUrl(dir, serverFile);
    expect(await redisUrl({ env: { REDIS_URL: 'redis://example.invalid:7000' }, dataDir: dir })).toBe(
      'redis://example.invalid:7000',
    );
  });

  it('else the URL in <data.dir>/redis/url when its server answers with the run_id written there', async () => {
    writeUrl(dir, serverFile);
    expect(embeddedUrlFile(dir)).toBe(join(dir, 'redis', 'url'));
    expect(await redisUrl({ env: {}, dataDir: dir })).toBe(server.url);
  });

  it('else 127.0.0.1:6379: no file, a stale file (server gone), or a file that is not a redis URL', async () => {
    expect(await redisUrl({ env: {}, dataDir: dir })).toBe(DEFAULT_REDIS_URL);
    writeUrl(dir, `redis://127.0.0.1:${await freePort()}\n`);
    expect(await redisUrl({ env: {}, dataDir: dir })).toBe(DEFAULT_REDIS_URL);
    for (const junk of ['', 'not a url', `http://127.0.0.1:${server.port}`, 'redis://127.0.0.1']) {
      writeUrl(dir, junk);
      const pinged: string[] = [];
      const url = await redisUrl({
        env: {},
        dataDir: dir,
        ping: (h, p) => (pinged.push(`${h}:${p}`), Promise.resolve(true)),
      });
      expect(url).toBe(DEFAULT_REDIS_URL);
      expect(pinged).toEqual([]);
    }
  });

  it('finds the data dir through the config the worker reads ($FLIGHTWATCH_CONFIG data.dir), else ./data', async () => {
    const dataDir = join(dir, 'worker-data');
    writeUrl(dataDir, serverFile);
    const config = join(dir, 'flightwatch.yaml');
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
    expect(await redisUrl({ env: { FLIGHTWATCH_CONFIG: config } })).toBe(server.url);
    // An invalid config is not trusted: the default data dir (./data, relative to cwd) is used instead.
    writeFileSync(config, 'sources: 12\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await redisUrl({ env: { FLIGHTWATCH_CONFIG: config } })).toBe(DEFAULT_REDIS_URL);
      writeUrl(join(dir, 'data'), serverFile);
      expect(await redisUrl({ env: { FLIGHTWATCH_CONFIG: config } })).toBe(server.url);
    } finally {
      process.chdir(cwd);
    }
  });
});
