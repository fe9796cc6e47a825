/** silence / dlq / alert CLI commands against a real redis-server and a real signed-webhook receiver. */
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';
import { httpPostChannel } from '../../helpers/http-post-channel';
import { startReceiver, type Receiver } from './support/receiver';
import { makeAlerts, makeEvent, uniquePrefix, webhookEntry } from './support/fixtures';
import { createRedis } from '../../../src/pipeline/connection';
import { deliverEvents } from '../../../src/pipeline/deliver-events';
import { register as silence } from '../../../src/cli/commands/silence';
import { register as dlq } from '../../../src/cli/commands/dlq';
import { register as alert } from '../../../src/cli/commands/alert-test';
import { alertId } from '../../../src/alerting/alert-id';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let server: TestRedis;
let redis: Redis;
let rx: Receiver;
let wh: WebhookReceiver;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  server = await startRedis();
  redis = createRedis(server.url, 'producer');
  rx = await startReceiver();
  wh = await startWebhookReceiver(SECRET);
  dir = mkdtempSync(join(tmpdir(), 'fw-cli-'));
});
beforeEach(() => {
  process.env.REDIS_URL = server.url;
  process.env.FLIGHTWATCH_REDIS_PREFIX = uniquePrefix('cli');
  process.env.TEST_WH_SECRET = SECRET;
  process.exitCode = undefined;
});
afterAll(async () => {
  process.env = saved;
  process.exitCode = undefined;
  await rx.close();
  await wh.close();
  redis.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command().exitOverride();
  for (const r of [silence, dlq, alert]) r(program);
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    await program.parseAsync(['node', 'flightwatch', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, err, code };
}

it('silence add / list / rm', async () => {
  const add = await run(
    'silence',
    'add',
    '--hex',
    'A1B2C3',
    '--event',
    'landing',
    '--for',
    '24h',
    '--comment',
    'known training flight',
  );
  expect(add.code).toBe(0);
  const id = add.out.split(/\s/)[0];
  expect(id).toMatch(/^sil_/);
  const list = await run('silence', 'list');
  expect(list.out).toContain(`${id}  hex=a1b2c3 event=landing  until`);
  expect(list.out).toContain('# known training flight');
  expect((await run('silence', 'rm', id)).out).toBe(`removed ${id}\n`);
  expect((await run('silence', 'list')).out).toBe('no active silences\n');
  const bad = await run('silence', 'add', '--hex', 'a1b2c3', '--for', 'tomorrow');
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('--for "tomorrow" is not a duration');
  expect((await run('silence', 'rm', 'sil_nope')).code).toBe(1);
});

it('dlq list shows a dead letter with its reason; dlq retry --all delivers it', async () => {
  const prefix = process.env.FLIGHTWATCH_REDIS_PREFIX!;
  const alerts = makeAlerts({ channels: [webhookEntry('ops')] });
  const channels = new Map([['ops', httpPostChannel('ops', `${rx.url}/ops`)]]);
  rx.respond = () => ({ status: 422 });
  const e = makeEvent();
  const first = await deliverEvents([e], { config: { alerts }, redis, channels, prefix, waitUntilSettled: true });
  expect(first.counts['dead-lettered']).toBe(1);
  const list = await run('dlq', 'list');
  expect(list.out).toMatch(new RegExp(`^${alertId(e.id, 'ops')}\\s+notify\\s+ops\\s+landing a1b2c3 `, 'm'));
  expect(list.out).toContain('HTTP 422');

  rx.respond = () => ({ status: 200 });
  const retry = await run('dlq', 'retry', '--all');
  expect(retry.out).toBe(`requeued ${alertId(e.id, 'ops')}\n`);
  // Re-delivering the same event drives the in-process worker; the requeued job is delivered.
  const again = await deliverEvents([e], { config: { alerts }, redis, channels, prefix, waitUntilSettled: true });
  expect(again.counts.delivered).toBe(1);
  expect(rx.received.map((r) => r.status)).toEqual([422, 200]);
  expect((await run('dlq', 'list')).out).toBe('no dead letters\n');
  expect((await run('dlq', 'retry')).code).toBe(1);
});

it('alert test sends a signed synthetic alert through the configured webhook: 0 when accepted, 1 with the reason', async () => {
  const file = join(dir, 'flightwatch.yaml');
  writeFileSync(
    file,
    [
      'sources: [{ id: local, kind: receiver, url: "http://127.0.0.1:1/data/aircraft.json" }]',
      'watch: [{ id: gulfstream-v, match: { types: [GLF5] } }]',
      'alerts:',
      '  channels:',
      `    - { id: partner, kind: webhook, url: "${wh.url}", secretEnv: TEST_WH_SECRET }`,
    ].join('\n'),
  );
  const ok = await run('alert', 'test', '--channel', 'partner', '-c', file);
  expect(ok.err).toBe('');
  expect(ok.code).toBe(0);
  expect(ok.out).toMatch(/^partner: accepted: /);
  expect(wh.requests).toHaveLength(1);
  expect(wh.requests[0].verified).toBe(true);

  wh.reply({ status: 410 });
  const gone = await run('alert', 'test', '--channel', 'partner', '-c', file);
  expect(gone.code).toBe(1);
  expect(gone.err).toMatch(/^partner: not delivered: gone: /);

  const unknown = await run('alert', 'test', '--channel', 'nope', '-c', file);
  expect(unknown.code).toBe(1);
  expect(unknown.err).toContain('configured: partner');
});

it('names the unreachable Redis in one line and exits 1', async () => {
  process.env.REDIS_URL = 'redis://user:hunter22@127.0.0.1:1';
  const r = await run('dlq', 'list');
  expect(r.code).toBe(1);
  expect(r.err).toMatch(
    /^flightwatch dlq: cannot reach Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1 \(.*ECONNREFUSED/,
  );
  expect(r.err).not.toContain('hunter22');
});
