/**
 * `<data.dir>/redis/url` names the embedded server by its run_id, and readers (the CLI's redisUrl) check it.
 * Real redis-servers throughout: the embedded one as the worker starts it, SIGKILLed so its file is left
 * behind, then someone else's redis-server on the very same port. The stale file must not lead the CLI there;
 * a valid file must still be used. The shared 127.0.0.1:6379 is never contacted (redisUrl only returns it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { redisServerReady, startRedis, type TestRedis } from '../../helpers/redis-server';
import { until } from '../../helpers/wait';
import { DEFAULT_REDIS_URL, redisUrl } from '../../../src/runtime/redis/cli-redis-url';
import { startEmbeddedRedis } from '../../../src/runtime/redis/embedded-server';
import { freePort } from '../../../src/runtime/redis/free-port';
import { pingRedis, redisRunId } from '../../../src/runtime/redis/probe';
import type { ResolvedRedis } from '../../../src/runtime/redis/resolved-redis';
import { embeddedUrlFile, embeddedUrlFileText, liveEmbeddedRedisUrl } from '../../../src/runtime/redis/url-file';
import { silentLogger } from '../../../src/util/log';

jest.setTimeout(60_000);

let tmp: string;
let embedded: ResolvedRedis | undefined;
const others: ChildProcess[] = [];
const clients: IORedis[] = [];
beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'fw-redis-identity-'))));
afterEach(async () => {
  await embedded?.stop();
  embedded = undefined;
  for (const c of clients.splice(0)) c.disconnect();
  for (const c of others.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

/** Someone else's redis-server on a given port (what may take over the port of a killed embedded one). */
async function foreignRedis(port: number, extra: string[] = []): Promise<ChildProcess> {
  const dir = join(tmp, `foreign-${port}-${others.length}`);
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  others.push(child);
  await redisServerReady(child, `the foreign redis-server on ${port}`);
  return child;
}

/** SIGKILL of the embedded server (as when the worker's process group is killed): the URL file stays. */
async function killEmbedded(url: string): Promise<void> {
  const r = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let pid: number;
  try {
    await r.connect();
    pid = Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]);
  } finally {
    r.disconnect();
  }
  process.kill(pid, 'SIGKILL');
  const port = Number(new URL(url).port);
  // Not our child (startEmbeddedRedis spawned it): no exit event to wait on.
  await until(
    `the killed embedded server on ${port} to stop answering`,
    async () => !(await pingRedis('127.0.0.1', port, 200)),
  );
}

const collect = () => {
  const messages: string[] = [];
  return { messages, report: (m: string) => void messages.push(m) };
};

it('a valid file is used; after a SIGKILL a foreign redis-server on the same port is not, and the message names the file', async () => {
  const dataDir = join(tmp, 'data');
  const file = embeddedUrlFile(dataDir);
  embedded = await startEmbeddedRedis(dataDir, silentLogger);
  const url = embedded.url;
  const port = Number(new URL(url).port);

  // The file holds the URL and the run_id the server itself reports.
  const id = await redisRunId('127.0.0.1', port);
  expect(id.ok).toBe(true);
  const runId = (id as { runId: string }).runId;
  expect(readFileSync(file, 'utf8')).toBe(`${url}\nrun_id=${runId}\n`);
  const valid = collect();
  expect(await liveEmbeddedRedisUrl(dataDir, undefined, valid.report)).toBe(url);
  expect(valid.messages).toEqual([]);
  expect(await redisUrl({ env: {}, dataDir })).toBe(url);

  // The worker dies with SIGKILL: no stop(), the file stays behind.
  await killEmbedded(url);
  embedded = undefined;
  expect(existsSync(file)).toBe(true);
  const gone = collect();
  expect(await liveEmbeddedRedisUrl(dataDir, undefined, gone.report)).toBeUndefined();
  expect(gone.messages).toEqual([expect.stringContaining(`ignoring ${file}: nothing answers PING at ${url}`)]);

  // Someone else's Redis takes the port, with data of its own.
  await foreignRedis(port);
  const foreign = new IORedis(url, { maxRetriesPerRequest: 1 });
  clients.push(foreign);
  await foreign.set('their:key', 'theirs');
  const before = await foreign.dbsize();
  const stale = collect();
  expect(await liveEmbeddedRedisUrl(dataDir, undefined, stale.report)).toBeUndefined();
  expect(stale.messages).toHaveLength(1);
  expect(stale.messages[0]).toContain(`ignoring ${file}: the Redis at ${url} is a different server`);
  expect(stale.messages[0]).toContain(`the file names ${runId.slice(0, 12)}`);
  expect(stale.messages[0]).toMatch(/set REDIS_URL/);

  // The CLI's resolution goes on with its usual order (default URL; only returned, never contacted here) and
  // says why on stderr, naming the file.
  const writes: string[] = [];
  const spy = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => (writes.push(String(chunk)), true));
  try {
    expect(await redisUrl({ env: {}, dataDir })).toBe(DEFAULT_REDIS_URL);
  } finally {
    spy.mockRestore();
  }
  expect(writes.join('')).toMatch(
    new RegExp(
      `^flightwatch: ignoring ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the Redis at ${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is a different server`,
    ),
  );
  // Checking identity reads INFO only: the foreign server's data is as it was.
  expect(await foreign.dbsize()).toBe(before);
  expect(await foreign.get('their:key')).toBe('theirs');

  // A new worker start on the same data dir replaces the file with its own server's identity: used again.
  embedded = await startEmbeddedRedis(dataDir, silentLogger);
  expect(embedded.url).not.toBe(url);
  const again = collect();
  expect(await liveEmbeddedRedisUrl(dataDir, undefined, again.report)).toBe(embedded.url);
  expect(again.messages).toEqual([]);
});

describe('files that cannot be confirmed are ignored, each with its reason', () => {
  let server: TestRedis;
  beforeAll(async () => (server = await startRedis()));
  afterAll(() => server.stop());

  const write = (dataDir: string, text: string) => {
    mkdirSync(join(dataDir, 'redis'), { recursive: true });
    writeFileSync(embeddedUrlFile(dataDir), text);
  };

  it('the right run_id is used; a file without one (older format) or with another one is not', async () => {
    const dataDir = join(tmp, 'data');
    const id = await redisRunId('127.0.0.1', server.port);
    if (!id.ok) throw new Error(id.reason);

    write(dataDir, embeddedUrlFileText(server.url, id.runId));
    const ok = collect();
    expect(await liveEmbeddedRedisUrl(dataDir, undefined, ok.report)).toBe(server.url);
    expect(ok.messages).toEqual([]);

    write(dataDir, `${server.url}\n`);
    const old = collect();
    expect(await liveEmbeddedRedisUrl(dataDir, undefined, old.report)).toBeUndefined();
    expect(old.messages).toEqual([
      expect.stringContaining(`ignoring ${embeddedUrlFile(dataDir)}: it has no run_id line`),
    ]);

    const other = id.runId.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    write(dataDir, embeddedUrlFileText(server.url, other));
    const wrong = collect();
    expect(await liveEmbeddedRedisUrl(dataDir, undefined, wrong.report)).toBeUndefined();
    expect(wrong.messages[0]).toContain('is a different server');
  });

  it('a server that wants a password cannot confirm it, and is not used', async () => {
    // startRedis waits for +PONG, which a password-protected server never gives: started by hand.
    const port = await freePort();
    await foreignRedis(port, ['--requirepass', 'not-ours']);
    const dataDir = join(tmp, 'data');
    write(dataDir, embeddedUrlFileText(`redis://127.0.0.1:${port}`, 'a'.repeat(40)));
    const r = collect();
    expect(await liveEmbeddedRedisUrl(dataDir, undefined, r.report)).toBeUndefined();
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatch(
      /cannot confirm it is the embedded server that wrote the file: it answers INFO with an error: NOAUTH/,
    );
  });

  it('no file is the normal case: nothing reported', async () => {
    const r = collect();
    expect(await liveEmbeddedRedisUrl(join(tmp, 'nothing'), undefined, r.report)).toBeUndefined();
    expect(r.messages).toEqual([]);
  });

  it('stop() removes only its own file, not one another worker wrote since', async () => {
    const dataDir = join(tmp, 'data');
    embedded = await startEmbeddedRedis(dataDir, silentLogger);
    const theirs = embeddedUrlFileText('redis://127.0.0.1:1', 'b'.repeat(40));
    writeFileSync(embeddedUrlFile(dataDir), theirs);
    await embedded.stop();
    embedded = undefined;
    expect(readFileSync(embeddedUrlFile(dataDir), 'utf8')).toBe(theirs);
  });
});
