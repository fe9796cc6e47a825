/**
 * `npm run demo`: offline, in well under a minute, the whole path an alert takes — with a flight the project
 * generates itself (scripts/make-demo-flight.ts: a Gulfstream V KAEX → PANC fuel stop → ZYTX along great
 * circles). The trace is replayed through the worker's watchlist and detector (`flightwatch replay`), and
 * the events go through the same delivery path as the worker (`replay --deliver`): history stream, routes,
 * BullMQ notify jobs on an embedded redis-server, then e-mail to a local SMTP server and signed webhooks to a
 * local receiver. Everything lands in demo-output/ (override with DEMO_OUT).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseConfigText, formatProblem } from '../src/config/load';
import { createReplayContext } from '../src/runtime/replay-setup';
import { runReplay } from '../src/replay/runner';
import { deliverEvents } from '../src/pipeline/deliver-events';
import { buildChannels, closeChannels } from '../src/alerting/build-channels';
import { createRedis } from '../src/pipeline/connection';
import { startEmbeddedRedis } from '../src/runtime/redis/embedded-server';
import { RedisUnavailableError, type ResolvedRedis } from '../src/runtime/redis/resolved-redis';
import { formatEventLine } from '../src/replay/format-event';
import { createLogger } from '../src/util/log';
import type { FlightEvent } from '../src/domain/event';
import { DEMO_HEX, writeDemoFlight } from './make-demo-flight';
import { startDemoSmtpSink } from './demo/smtp-sink';
import { startDemoWebhookReceiver } from './demo/webhook-receiver';

const out = (s = '') => process.stdout.write(s + '\n');

function demoConfig(webhookUrl: string, outDir: string) {
  // The shape a user writes in config/flightwatch.yaml; validated by the same schema.
  const yaml = `
sources:
  - { id: demo, kind: receiver, url: "http://127.0.0.1:9/unused-in-replay" }
watch:
  - id: gulfstream-v
    match: { types: [GLF5] }
    tags: [removal-charter, government-jet]
    note: "demo: Gulfstream V removal flight to Shenyang"
destinations:
  - { id: shenyang, airports: [ZYTX], countries: [CN] }
alerts:
  outboxDir: "${join(outDir, 'outbox')}"
  channels:
    - { id: ops, kind: email, to: ["Rapid response desk <desk@example.org>"], from: "flightwatch demo <flightwatch@example.org>", smtpUrlEnv: DEMO_SMTP_URL }
    - { id: partner, kind: webhook, url: "${webhookUrl}", secretEnv: DEMO_WEBHOOK_SECRET }
  routes:
    - match: { events: [takeoff, landing, destination], tags: [removal-charter] }
      channels: [ops, partner]
    - match: { events: [seen] }
      channels: [ops]
`;
  const r = parseConfigText(yaml);
  if (!r.ok) throw new Error(`demo config is invalid:\n${r.problems.map(formatProblem).join('\n')}`);
  return r.config;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const outDir = resolve(process.env.DEMO_OUT ?? 'demo-output');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', destination: process.stderr });

  const { file: flightFile, trace } = writeDemoFlight(join(outDir, 'flight', `trace_full_${DEMO_HEX}.json`));
  out(
    `flightwatch demo — a fictional Gulfstream V (N0DEMO, GLF5) flies ${trace.legs.map((l) => l.from).join(' → ')} → ${trace.legs.at(-1)!.to}`,
  );
  for (const l of trace.legs) out(`  ${l.from} → ${l.to}: ${Math.round(l.distanceNm)} nm along the great circle`);
  out(`  ${trace.states.length} positions written to ${rel(flightFile)}`);

  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const smtp = await startDemoSmtpSink(join(outDir, 'email'));
  const hook = await startDemoWebhookReceiver(join(outDir, 'webhook'), secret);
  const redisDir = mkdtempSync(join(tmpdir(), 'flightwatch-demo-'));
  let redis: ResolvedRedis | undefined;
  let connection: ReturnType<typeof createRedis> | undefined;
  const config = demoConfig(hook.url, outDir);
  const channels = buildChannels(config.alerts, { env: { DEMO_SMTP_URL: smtp.url, DEMO_WEBHOOK_SECRET: secret }, log });
  try {
    redis = await startEmbeddedRedis(redisDir, log);
    out(`  embedded redis-server on ${redis.url} (AOF in a temporary folder)`);
    connection = createRedis(redis.url, 'worker');

    // Replay: the worker's watchlist and detector over the trace file.
    const ctx = await createReplayContext(config);
    for (const w of ctx.warnings) out(`  note: ${w}`);
    const events: FlightEvent[] = [];
    const stats = await runReplay([flightFile], {
      watchlist: ctx.watchlist,
      detector: ctx.detector,
      onEvents: (e) => void events.push(...e),
    });
    out('');
    out(`Replayed ${stats.positions} positions: ${events.length} events`);
    for (const e of events) out(`  ${formatEventLine(e)}`);
    writeFileSync(join(outDir, 'events.ndjson'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');

    // Delivery: history → routes → BullMQ notify jobs → e-mail and webhook channels.
    const summary = await deliverEvents(events, {
      config,
      redis: connection,
      channels,
      waitUntilSettled: true,
      prefix: 'demo',
      log,
      timeoutMs: 40_000,
    });
    const failed = summary.alerts.filter((a) => a.outcome !== 'delivered');
    out('');
    out(
      `Delivered ${summary.counts.delivered} of ${summary.alerts.length} alerts through BullMQ (${summary.inProcess ? 'in-process notify worker' : 'running worker'}):`,
    );
    out(
      `  ${smtp.files.length} e-mails to the local SMTP server, ${hook.files.length} webhooks to the local receiver (${hook.verified} signatures verified with standardwebhooks)`,
    );
    for (const f of failed) out(`  NOT delivered: ${f.channelId} ${f.eventId}: ${f.outcome} ${f.detail}`);

    out('');
    out('The alerts are here:');
    for (const f of smtp.files) out(`  ${rel(f)}`);
    for (const f of hook.files) out(`  ${rel(f)}`);
    out(`  ${rel(join(outDir, 'events.ndjson'))}   (the event documents)`);
    out('');
    out(`demo finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return failed.length || hook.verified !== hook.files.length ? 1 : 0;
  } catch (e) {
    if (e instanceof RedisUnavailableError) process.stderr.write(`demo: ${e.message}\n`);
    else process.stderr.write(`demo failed: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  } finally {
    await closeChannels(channels);
    await connection?.quit().catch(() => connection?.disconnect());
    await redis?.stop();
    await smtp.close();
    await hook.close();
    rmSync(redisDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`demo failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
