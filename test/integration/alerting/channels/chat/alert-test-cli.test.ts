/**
 * `flightwatch alert test --channel ID` for every chat kind: the synthetic alert goes through the same
 * channel code the worker uses, to one stand-in that answers each platform's success shape on its path
 * (the per-platform contracts are tested in the files next to this one), and MQTT to the real Mosquitto.
 */
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { register as alert } from '../../../../../src/cli/commands/alert-test';
import { startStandIn, type Captured, type Reply, type StandIn } from './standin';

function platform(r: Captured): Reply {
  const p = r.path;
  if (p.startsWith('/bot')) return { status: 200, body: { ok: true, result: { message_id: 7 } } };
  if (p === '/api/v2/media') return { status: 200, body: { id: 'm1' } };
  if (p === '/api/v1/statuses') return { status: 200, body: { id: 's1' } };
  if (p.endsWith('createSession')) return { status: 200, body: { accessJwt: 'j', did: 'did:plc:t' } };
  if (p.endsWith('uploadBlob')) return { status: 200, body: { blob: { $type: 'blob' } } };
  if (p.endsWith('createRecord')) return { status: 200, body: { uri: 'at://did:plc:t/app.bsky.feed.post/x' } };
  if (p === '/v2/send') return { status: 201, body: { timestamp: '1' } };
  if (p.startsWith('/_matrix/media')) return { status: 200, body: { content_uri: 'mxc://t/1' } };
  if (p.startsWith('/_matrix/client')) return { status: 200, body: { event_id: '$1' } };
  if (p.startsWith('/slack')) return { status: 200, body: 'ok' };
  if (p.startsWith('/discord')) return { status: 200, body: { id: 'd1' } };
  if (p === '/fw-topic') return { status: 200, body: { id: 'n1' } };
  if (p === '/notify/fw') return { status: 200, body: 'OK' };
  return { status: 404, body: { error: `no route ${p}` } };
}

const mosquittoUp = () =>
  new Promise<boolean>((resolve) => {
    const s = netConnect(1883, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command().exitOverride();
  alert(program);
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

const PREFIX = `fwtest/${randomBytes(6).toString('hex')}`;

describe('alert test --channel for every chat kind', () => {
  let api: StandIn;
  let dir: string;
  let file: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    api = await startStandIn(platform);
    dir = mkdtempSync(join(tmpdir(), 'fw-alert-test-'));
    file = join(dir, 'flightwatch.yaml');
    Object.assign(process.env, {
      FW_T: 'token',
      FW_SLACK: `${api.url}/slack/services/T/B/X`,
      FW_DISCORD: `${api.url}/discord/api/webhooks/1/t`,
    });
    const u = api.url;
    writeFileSync(
      file,
      [
        'sources: [{ id: local, kind: receiver, url: "http://127.0.0.1:1/data/aircraft.json" }]',
        'watch: [{ id: gulfstream-v, match: { types: [GLF5] }, note: "why it matters" }]',
        'alerts:',
        '  channels:',
        `    - { id: tg, kind: telegram, apiUrl: "${u}", tokenEnv: FW_T, chatId: -100123 }`,
        `    - { id: masto, kind: mastodon, apiUrl: "${u}", tokenEnv: FW_T }`,
        `    - { id: bsky, kind: bluesky, apiUrl: "${u}", identifier: fw.test, passwordEnv: FW_T }`,
        `    - { id: signal, kind: signal, apiUrl: "${u}", number: "+15550100001", recipients: ["+15550100002"] }`,
        `    - { id: mx, kind: matrix, apiUrl: "${u}", roomId: "!r:t", tokenEnv: FW_T }`,
        '    - { id: slack, kind: slack, webhookUrlEnv: FW_SLACK }',
        '    - { id: discord, kind: discord, webhookUrlEnv: FW_DISCORD }',
        `    - { id: ntfy, kind: ntfy, apiUrl: "${u}", topic: fw-topic }`,
        `    - { id: apprise, kind: apprise, apiUrl: "${u}", key: fw }`,
        `    - { id: mqtt, kind: mqtt, url: "mqtt://127.0.0.1:1883", topicPrefix: "${PREFIX}" }`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  });

  it.each([
    ['tg', /^\/bottoken\/sendPhoto$/],
    ['masto', /^\/api\/v1\/statuses$/],
    ['bsky', /createRecord$/],
    ['signal', /^\/v2\/send$/],
    ['mx', /\/send\/m\.room\.message\//],
    ['slack', /^\/slack\//],
    ['discord', /^\/discord\/.*\?wait=true$/],
    ['ntfy', /^\/fw-topic$/],
    ['apprise', /^\/notify\/fw$/],
  ])('%s: accepted, exit 0', async (id, path) => {
    const before = api.requests.length;
    const r = await run('alert', 'test', '--channel', id, '-c', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${id}: accepted: `));
    expect(api.requests.slice(before).some((q) => path.test(q.path))).toBe(true);
  });

  it('mqtt: accepted by the real broker, exit 0', async () => {
    if (!(await mosquittoUp())) {
      if (process.env.CI === 'true') throw new Error('Mosquitto is not running on 127.0.0.1:1883');
      console.warn('skipped: no MQTT broker on 127.0.0.1:1883');
      return;
    }
    const r = await run('alert', 'test', '--channel', 'mqtt', '-c', file);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^mqtt: accepted: published fwtest\/[0-9a-f]+\/events\/landing\/adfc01/);
    // Leave the shared broker as found: clear the retained state this run wrote.
    const c = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { reconnectPeriod: 0 });
    await c.publishAsync(`${PREFIX}/aircraft/adfc01`, '', { retain: true, qos: 1 });
    await c.endAsync();
  });
});
