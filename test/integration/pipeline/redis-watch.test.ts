/**
 * Redis trouble is logged once per incident: a SIGKILLed server gives one "lost" line (with the stack) and
 * one "recovered" line however many reconnect errors come between; a SIGSTOPped server (socket open, no
 * answer) is detected by the PING probe and logged as stalled, then as answering again; the poll slots
 * skipped meanwhile are counted (log, metric). A real redis-server, restarted on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisServerReady } from '../../helpers/redis-server';
import { until, whenEvent } from '../../helpers/wait';
import { createLogger } from '../../../src/util/log';
import { createRedis, watchRedis } from '../../../src/pipeline/connection';
import { Queue } from 'bullmq';
import { startPollTrigger } from '../../../src/pipeline/trigger';
import { createMetrics } from '../../../src/observability/metrics';
import { SourceFreshness } from '../../../src/observability/freshness';

jest.setTimeout(60_000);

let dir: string;
let port: number;
let server: ChildProcess | undefined;
const start = async () => {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await redisServerReady(child, `redis-server on ${port}`);
  server = child;
};
const kill = async (signal: NodeJS.Signals) => {
  const s = server!;
  const gone = new Promise((r) => s.once('exit', r));
  s.kill(signal);
  await gone;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fw-watch-'));
  port = await new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });
  await start();
});
afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGCONT');
    await kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'info',
    env: {},
    destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  });
  return { log, lines };
}

it('a killed Redis: one line when lost (with the stack), one when recovered', async () => {
  const { log, lines } = capture();
  const conn = createRedis(`redis://127.0.0.1:${port}`, 'worker');
  const watch = watchRedis(conn, log, { probeEveryMs: 200, stallAfterMs: 1000 });
  let errors = 0;
  conn.on('error', () => errors++);
  try {
    await conn.ping();
    await kill('SIGKILL');
    await until('several reconnect errors', () => errors >= 6, { timeoutMs: 20_000 });
    await start();
    await whenEvent('recovered', conn, 'ready', () => true, { timeoutMs: 20_000 });
    await until('the recovery line', () => lines.some((l) => l.msg === 'Redis connection recovered'), {
      detail: () => JSON.stringify(lines),
    });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', 'Redis connection lost; reconnecting'],
      ['info', 'Redis connection recovered'],
    ]);
    expect(String(lines[0].stack)).toMatch(/ECONNREFUSED[\s\S]*\n\s+at /);
    expect(lines[1].errors).toBeGreaterThanOrEqual(6);
  } finally {
    watch.stop();
    conn.disconnect();
  }
});

it('a stopped Redis (no answer): detected as stalled, then answering again', async () => {
  const { log, lines } = capture();
  const conn = createRedis(`redis://127.0.0.1:${port}`, 'worker');
  const watch = watchRedis(conn, log, { probeEveryMs: 200, stallAfterMs: 1000 });
  try {
    await conn.ping();
    server!.kill('SIGSTOP');
    await until('the stall line', () => lines.some((l) => /stalled/.test(String(l.msg))), { timeoutMs: 10_000 });
    server!.kill('SIGCONT');
    await until('the answering-again line', () => lines.some((l) => /answers again/.test(String(l.msg))), {
      timeoutMs: 10_000,
    });
    expect(lines.map((l) => l.level)).toEqual(['error', 'info']);
    expect(lines[0].msg).toBe('Redis is not answering (stalled): no reply to PING within 1 s');
  } finally {
    watch.stop();
    conn.disconnect();
  }
});

it('poll slots skipped while Redis does not answer are counted and logged once per incident', async () => {
  const { log, lines } = capture();
  const conn = createRedis(`redis://127.0.0.1:${port}`, 'worker');
  const queue = new Queue('poll', { connection: conn, prefix: 'fwskip' });
  const trigger = startPollTrigger({ schedule: '* * * * * *', queue, log });
  const metrics = createMetrics({
    sources: () => [],
    queues: () => undefined,
    freshness: new SourceFreshness(Date.now()),
    skippedPollSlots: () => trigger.skippedSlots(),
  });
  try {
    await until('a slot enqueued', async () => (await queue.getJobCounts('waiting')).waiting > 0, { timeoutMs: 5000 });
    server!.kill('SIGSTOP');
    await until('three skipped slots', () => trigger.skippedSlots() >= 3, { timeoutMs: 10_000 });
    server!.kill('SIGCONT');
    await until('the slots-resumed line', () => lines.some((l) => /^poll slots: recovered/.test(String(l.msg))), {
      timeoutMs: 10_000,
    });
    const skipped = lines.filter((l) => /skipped/.test(String(l.msg)) && l.level === 'warn');
    expect(skipped).toHaveLength(1); // the incident's start; the rest are counted
    const ended = lines.find((l) => /^poll slots: recovered/.test(String(l.msg)))!;
    expect(ended.failures).toBe(trigger.skippedSlots());
    expect(await metrics.registry.getSingleMetricAsString('flightwatch_poll_slots_skipped_total')).toMatch(
      new RegExp(`^flightwatch_poll_slots_skipped_total ${trigger.skippedSlots()}$`, 'm'),
    );
  } finally {
    await trigger.stop();
    await queue.close();
    conn.disconnect();
  }
});
