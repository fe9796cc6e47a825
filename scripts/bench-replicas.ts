/**
 * npm run bench:replicas — issue 17: delivery throughput with a slow channel, 1 vs 3 worker replicas. With a
 * receiver that takes SLOW_MS per answer, one worker delivers at most concurrency / SLOW_MS alerts a second;
 * replicas on the same Redis share the notify queue, so the rate should grow with their number.
 *
 * Method: own redis-server on a free loopback port; a local webhook receiver answering after BENCH_SLOW_MS
 * (default 250 ms); real notify worker processes (scripts/fault-worker.ts: the real webhook channel, signed)
 * — one on prefix A, three on prefix B, all started before measuring. Each run appends BENCH_N landing
 * events (default 300) to the history and fans them out in one burst (what the detect step does), then waits
 * until every alert has arrived; throughput = alerts / (last arrival − first enqueue). A warm-up run of each
 * precedes the measured ones, which alternate (1, 3, 1, 3 …, BENCH_ROUNDS each, default 2) so a noisy
 * neighbour hits both alike; the better round of each is kept. The 1-worker figure is the baseline.
 *
 * Options (env): BENCH_N, BENCH_SLOW_MS, BENCH_CONCURRENCY (per worker, default 4), BENCH_ROUNDS.
 * Last stdout line: one JSON object with the figures.
 */
import { createServer } from 'node:http';
import { startRedis } from '../test/helpers/redis-server';
import { startFaultWorker, type WorkerChild } from '../test/faults/support/processes';
import { makeEvents, SECRET } from '../test/faults/support/events';
import { createRedis } from '../src/pipeline/connection';
import { createContext } from '../src/pipeline/context';
import { fanOut } from '../src/pipeline/fan-out';
import { alertsSchema } from '../src/config/alerts-schema';
import { alertId } from '../src/alerting/alert-id';
import { round } from './bench/stats';
import { silentLogger } from '../src/util/log';

const N = Number(process.env.BENCH_N ?? 300);
const SLOW_MS = Number(process.env.BENCH_SLOW_MS ?? 250);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BURST = 50;

/** webhook-id → first arrival (ms, performance.now) */
type Arrivals = Map<string, number>;

async function startSlowReceiver(arrivals: Arrivals, onArrival: () => void) {
  const server = createServer((req, res) => {
    const id = String(req.headers['webhook-id'] ?? '');
    req.resume();
    req.on('end', () => {
      if (!arrivals.has(id)) arrivals.set(id, performance.now());
      onArrival();
      setTimeout(() => res.writeHead(204).end(), SLOW_MS);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function main() {
  const redisServer = await startRedis();
  const conn = createRedis(redisServer.url, 'producer');
  const arrivals: Arrivals = new Map();
  let waiter: (() => void) | undefined;
  const rx = await startSlowReceiver(arrivals, () => waiter?.());
  const alertsInput = {
    concurrency: CONCURRENCY,
    channels: [{ id: 'slow', kind: 'webhook', url: rx.url, secretEnv: 'BENCH_WEBHOOK_SECRET', timeoutMs: 10_000 }],
  };
  const alerts = alertsSchema.parse(alertsInput);
  const workerEnv = (prefix: string) => ({
    REDIS_URL: redisServer.url,
    FW_PREFIX: prefix,
    FW_ALERTS: JSON.stringify(alertsInput),
    BENCH_WEBHOOK_SECRET: SECRET,
  });
  const children: WorkerChild[] = [];
  try {
    const started = await Promise.all([
      startFaultWorker(workerEnv('bench-r1')),
      ...Array.from({ length: 3 }, () => startFaultWorker(workerEnv('bench-r3'))),
    ]);
    children.push(...started);

    let seq = 0;
    /** One burst of n events through fan-out on `prefix`; alerts per second until the last arrives. */
    const run = async (prefix: string, n: number): Promise<number> => {
      const ctx = createContext({ alerts, redis: conn, prefix, channels: new Map(), log: silentLogger });
      const events = makeEvents(n, `bench${++seq}`);
      const ids = events.map((e) => alertId(e.id, 'slow'));
      const first = performance.now();
      for (let i = 0; i < events.length; i += BURST) await fanOut(ctx, events.slice(i, i + BURST));
      await new Promise<void>((done) => {
        const check = () => ids.every((id) => arrivals.has(id)) && (done(), (waiter = undefined));
        waiter = check;
        check();
      });
      const last = Math.max(...ids.map((id) => arrivals.get(id)!));
      await ctx.queues.close();
      return n / ((last - first) / 1000);
    };

    await run('bench-r1', Math.min(40, N));
    await run('bench-r3', Math.min(40, N));
    let one = 0;
    let three = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const a = await run('bench-r1', N);
      const b = await run('bench-r3', N);
      process.stdout.write(`round ${r + 1}: 1 worker ${round(a, 1)}/s | 3 workers ${round(b, 1)}/s\n`);
      one = Math.max(one, a);
      three = Math.max(three, b);
    }
    const ceiling = (CONCURRENCY * 1000) / SLOW_MS;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'replicas',
        alerts: N,
        slowChannelMs: SLOW_MS,
        concurrencyPerWorker: CONCURRENCY,
        perSecond1Worker: round(one, 1),
        perSecond3Workers: round(three, 1),
        scaling: round(three / one, 2),
        ceilingPerWorker: round(ceiling, 1),
        baseline: 'perSecond1Worker (same run, same Redis and receiver)',
      })}\n`,
    );
  } finally {
    for (const c of children) c.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    conn.disconnect();
    await rx.close();
    await redisServer.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
