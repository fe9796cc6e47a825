/**
 * A worker killed alone (SIGKILL of node: OOM killer, `kill -9 <pid>`) leaves its redis-server running,
 * orphaned. The next embedded start adopts that server instead of starting a second one on the same AOF
 * directory, and stops it on shutdown as if it had started it.
 */
import { realpathSync } from 'node:fs';
import type { Logger } from '../../util/log';
import { redisConfigDir, redisRunId, shutdownIfSame } from './probe';
import { procStat, processGone } from './proc';
import type { ResolvedRedis } from './resolved-redis';
import { embeddedUrlFileText, removeEmbeddedUrlFile, writeEmbeddedUrlFile, type UrlFileCheck } from './url-file';

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

const sameDir = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

/**
 * The redis-server named by a live URL file (same run_id: the one an earlier worker on this data dir started)
 * becomes this worker's embedded server, when it is an orphan. Not adopted, and not touched:
 * - a server whose `CONFIG GET dir` is not this data dir's redis dir (a URL file copied along with a data dir,
 *   or a port answered by the server of another data dir): undefined, a new server is started as usual;
 * - a server whose parent process is still a running process like this one (on Linux: /proc), i.e. the
 *   embedded server of a worker that is alive on the same data dir: an error, because a second redis-server
 *   on the same AOF directory is exactly what must not happen.
 */
export async function adoptOrphan(
  found: Extract<UrlFileCheck, { kind: 'live' }>,
  dir: string,
  urlFile: string,
  log: Logger,
): Promise<ResolvedRedis | undefined> {
  const { url, host, port, runId, pid } = found;
  if (!LOOPBACK.includes(host)) {
    log.warn(
      { url, urlFile },
      'not adopting the Redis named in the embedded URL file: not on loopback, so not one this worker started; starting a new redis-server',
    );
    return undefined;
  }
  let theirDir: string;
  try {
    theirDir = await redisConfigDir(host, port);
  } catch (e) {
    log.warn(
      { url, urlFile, err: (e as Error).message },
      'not adopting the Redis named in the embedded URL file: cannot read its dir; starting a new redis-server',
    );
    return undefined;
  }
  if (!sameDir(theirDir, dir)) {
    log.warn(
      { url, urlFile, pid, theirDir, dir },
      'not adopting the Redis named in the embedded URL file: its AOF dir is not this data dir; starting a new redis-server and leaving that one alone',
    );
    return undefined;
  }
  refuseIfStillRun(found, dir);
  const written = embeddedUrlFileText(url, runId);
  writeEmbeddedUrlFile(urlFile, written, log); // already this text; written again so stop() knows the file is ours
  log.info(
    { port, dir, urlFile, pid, runId },
    `adopted the embedded redis-server a killed worker left running (pid ${pid ?? 'unknown'}) instead of starting a second one on the same AOF`,
  );
  return {
    url,
    origin: 'embedded',
    async stop() {
      removeEmbeddedUrlFile(urlFile, written);
      await stopAdopted(found, log);
    },
  };
}

/** Throws when the server's parent is this process or one like it (same name in /proc): a live worker's server. */
function refuseIfStillRun({ url, pid }: Extract<UrlFileCheck, { kind: 'live' }>, dir: string): void {
  const server = pid ? procStat(pid) : undefined;
  const self = procStat('self');
  if (!server || !self) return; // not Linux, or the pid is unknown: nothing to tell a live worker by
  const owner = procStat(server.ppid);
  if (server.ppid === process.pid || owner?.comm === self.comm)
    throw new Error(
      `the embedded redis-server at ${url} (pid ${pid}, AOF in ${dir}) is still run by process ${server.ppid} (${owner?.comm ?? 'this one'}), ` +
        'most likely another worker on the same data.dir; a second redis-server on one AOF directory would corrupt it. ' +
        'Stop that worker, give this one its own data.dir, or set REDIS_URL to that server to share it.',
    );
}

/** As for a started server: SHUTDOWN (it flushes the AOF), else SIGTERM to its pid; SIGKILL after 5 s. */
async function stopAdopted({ url, host, port, runId, pid }: Extract<UrlFileCheck, { kind: 'live' }>, log: Logger) {
  let down: boolean;
  try {
    down = await shutdownIfSame(host, port, runId);
  } catch (e) {
    const still = await redisRunId(host, port);
    down = !(still.ok && still.runId === runId);
    if (!down && pid) {
      log.warn({ url, pid, err: (e as Error).message }, 'adopted redis-server did not take SHUTDOWN; sending SIGTERM');
      process.kill(pid, 'SIGTERM');
      down = true;
    } else if (!down)
      log.warn(
        { url, err: (e as Error).message },
        'adopted redis-server did not take SHUTDOWN and its pid is unknown: it keeps running',
      );
  }
  if (!down || !pid) return;
  const until = Date.now() + 5000;
  while (!processGone(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (!processGone(pid)) process.kill(pid, 'SIGKILL');
}
