/**
 * The embedded redis-server: a child of the worker (redis-server from PATH) on a free loopback port, AOF
 * persistence in <dataDir>/redis, its URL in <dataDir>/redis/url while it runs (url-file.ts). One a killed
 * worker left running on the same data dir is adopted instead (adopt-orphan.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../../util/log';
import { adoptOrphan } from './adopt-orphan';
import { freePort } from './free-port';
import { pingRedis, redisRunId } from './probe';
import { RedisUnavailableError, type ResolvedRedis } from './resolved-redis';
import {
  checkEmbeddedUrlFile,
  embeddedUrlFile,
  embeddedUrlFileText,
  removeEmbeddedUrlFile,
  warnUrlFileUnwritten,
  writeEmbeddedUrlFile,
} from './url-file';

/** Loopback only, AOF every second and no RDB snapshots, never evict (a queued job must not vanish), foreground. */
export function embeddedServerArgs(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
}

export async function startEmbeddedRedis(dataDir: string, log: Logger, bin = 'redis-server'): Promise<ResolvedRedis> {
  const dir = resolve(dataDir, 'redis');
  const urlFile = embeddedUrlFile(dataDir);
  mkdirSync(dir, { recursive: true });
  const found = await checkEmbeddedUrlFile(dataDir);
  if (found.kind === 'live') {
    const adopted = await adoptOrphan(found, dir, urlFile, log);
    if (adopted) return adopted;
  } else if (found.kind !== 'none')
    log.info(
      { file: urlFile, reason: found.reason },
      'embedded Redis URL file left by an earlier run is stale; starting a new redis-server',
    );
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn(bin, embeddedServerArgs(port, dir), { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new RedisUnavailableError(`cannot start redis-server: ${(e as Error).message}`);
  }
  await untilAnswering(child, port);
  const url = `redis://127.0.0.1:${port}`;
  const written = await recordUrl(urlFile, url, port, log);
  log.info({ port, dir, urlFile }, 'started embedded redis-server (AOF persistence)');
  return {
    url,
    origin: 'embedded',
    stop: () =>
      new Promise<void>((done) => {
        if (written) removeEmbeddedUrlFile(urlFile, written);
        if (child.exitCode !== null || child.signalCode !== null) return done(); // already gone (killed, crashed)
        child.once('exit', () => done());
        child.kill('SIGTERM'); // redis-server flushes the AOF on SIGTERM
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/**
 * Resolves once the child answers PING on `port` (tried every 100 ms, 5 s in all); a server that cannot be
 * spawned, exits or stays silent is a RedisUnavailableError, and a silent one is killed.
 */
async function untilAnswering(child: ChildProcess, port: number): Promise<void> {
  const spawnError = new Promise<Error>((res) => child.once('error', res));
  for (let i = 0; i < 50; i++) {
    const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
    if (failed) throw new RedisUnavailableError(`redis-server not found on PATH (${failed.message})`);
    if (child.exitCode !== null)
      throw new RedisUnavailableError(`embedded redis-server exited with code ${child.exitCode}`);
    if (await pingRedis('127.0.0.1', port)) return;
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError('embedded redis-server did not answer within 5 s');
}

/**
 * Writes the URL file with the server's run_id, so a reader can tell this server from any later one on the
 * port: the text written, or undefined when it could not be (logged; the worker runs on without it).
 */
async function recordUrl(urlFile: string, url: string, port: number, log: Logger): Promise<string | undefined> {
  const id = await redisRunId('127.0.0.1', port);
  if (!id.ok) {
    warnUrlFileUnwritten(urlFile, `cannot read its run_id: ${id.reason}`, log);
    return undefined;
  }
  const text = embeddedUrlFileText(url, id.runId);
  return writeEmbeddedUrlFile(urlFile, text, log) ? text : undefined;
}
