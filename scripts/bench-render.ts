/**
 * What reading-friendly rendering costs per alert: the view model, each chat channel's request (captured by
 * an axios adapter, no network, no map) and the e-mail with and without its map. Baseline, same run: the
 * e-mail without map (text + HTML from the view), which is what every alert already paid before the chat
 * kinds. `npm run bench:render`; the last line is JSON.
 */
import axios from 'axios';
import { performance } from 'node:perf_hooks';
import { createChannel } from '../src/alerting/channels';
import { alertView } from '../src/alerting/channels/render/view';
import { buildMessage } from '../src/alerting/channels/render/message';
import { channelSchema } from '../src/config/channels-schema';
import { silentLogger } from '../src/util/log';
import { sampleAlerts } from './render-samples';

const KINDS: Record<string, object> = {
  telegram: { tokenEnv: 'T', chatId: 1 },
  mastodon: { apiUrl: 'https://m.test', tokenEnv: 'T' },
  bluesky: { identifier: 'fw.test', passwordEnv: 'T' },
  signal: { apiUrl: 'http://s.test', number: '+15550100001', recipients: ['+15550100002'] },
  matrix: { apiUrl: 'https://mx.test', roomId: '!r:mx.test', tokenEnv: 'T' },
  slack: { webhookUrlEnv: 'U' },
  discord: { webhookUrlEnv: 'U' },
  ntfy: { topic: 'fw' },
  apprise: { apiUrl: 'http://a.test', key: 'fw' },
};

const http = axios.create({
  adapter: (cfg) =>
    Promise.resolve({
      data: { accessJwt: 'j', did: 'did:plc:x', ok: true, result: { message_id: 1 }, id: '1', event_id: '$e' },
      status: 200,
      statusText: 'OK',
      headers: {},
      config: cfg,
    }),
});

async function perAlertUs(n: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(50, n); i++) await fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return Math.round(((performance.now() - t0) / n) * 1000);
}

async function main() {
  const alerts = Object.values(sampleAlerts());
  let k = 0;
  const next = () => alerts[k++ % alerts.length]!;
  const mail = (map: boolean) => () =>
    buildMessage(next(), { from: 'a@b.c', to: ['d@e.f'], subjectPrefix: '[fw]', map, log: silentLogger });

  const emailNoMapUs = await perAlertUs(2000, mail(false));
  const viewUs = await perAlertUs(5000, () => alertView(next()));
  const chatUs: Record<string, number> = {};
  for (const [kind, over] of Object.entries(KINDS)) {
    const ch = createChannel(channelSchema.parse({ id: kind, kind, map: false, ...over }), {
      env: { T: 't', U: 'https://hooks.test/x' },
      http,
    });
    chatUs[kind] = await perAlertUs(1000, () => ch.send(next()));
  }
  const emailWithMapUs = await perAlertUs(40, mail(true));
  const allChatUs = Object.values(chatUs).reduce((a, b) => a + b, 0);
  process.stdout.write(
    JSON.stringify({
      bench: 'render',
      samples: alerts.length,
      viewUs,
      chatUs,
      allNineChatKindsUs: allChatUs,
      emailWithMapUs,
      baseline: { emailNoMapUs, what: 'e-mail text + HTML without map, same run' },
      allChatVsBaseline: +(allChatUs / emailNoMapUs).toFixed(2),
    }) + '\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-render: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
