/**
 * The Health page says what /readyz says about the data. With replicas, the worker that serves the console
 * may not be the one whose poll got the last valid reply: both must read the newest data any replica
 * recorded in Redis (the blind watcher's `last-data`), not this process's own. A real worker (in process)
 * whose only source fails, and a second replica's watcher recording a valid reply on the same Redis.
 */
import { startBlindWatcher } from '../../../src/observability/blind-watcher';
import { silentLogger } from '../../../src/util/log';
import { redisSuite } from '../../helpers/redis-suite';
import { until } from '../../helpers/wait';
import { receiverDown, receiverStandIn, startConsoleWorker, type ConsoleWorker } from '../../helpers/console-worker';

const suite = redisSuite('fwhealth');
// The receiver this worker polls is down: its own process never gets a valid reply.
const receiver = receiverStandIn(receiverDown);
const BLIND_AFTER_MS = 4000;

interface Readiness {
  checks: { data: { ok: boolean; detail: { ageS: number } } };
}

it('reports the newest data of any replica, as /readyz does', async () => {
  const redis = suite.client();
  const prefix = suite.prefix().slice(0, -1);
  let w: ConsoleWorker | undefined;
  try {
    w = await startConsoleWorker({
      sourceUrl: receiver.url(),
      config: { operate: { blindAfter: BLIND_AFTER_MS, readyMaxDataAge: BLIND_AFTER_MS } },
      port: 0,
      env: { REDIS_URL: `redis://${redis.options.host}:${redis.options.port}` },
      prefix,
    });
    const c = w.console;
    const healthUrl = w.worker.health!.url;
    const readyz = async () => (await (await fetch(`${healthUrl}/readyz`)).json()) as Readiness;
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
    await w?.stop();
  }
}, 90_000);
