/**
 * Renders the e-mail and one message per chat channel to PNG so a person can look at them:
 * `npm run render:messages [-- OUT_DIR]` (default ./render-output, gitignored). Each channel's request is
 * captured as it would leave the process (axios adapter, no network) and drawn as a simple bubble in the
 * platform's manner (Telegram/Matrix HTML as sent; Slack mrkdwn, Discord embed and plain text approximated),
 * then Chromium (headless) takes the screenshot. Needs `chromium` on PATH (CHROMIUM=/path overrides).
 */
import axios, { type AxiosRequestConfig } from 'axios';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createChannel } from '../src/alerting/channels';
import type { FlightAlert } from '../src/alerting/channel';
import { useMapPlaces } from '../src/alerting/channels/map';
import { buildMessage } from '../src/alerting/channels/render/message';
import { escapeHtml as e } from '../src/alerting/channels/render/sanitize';
import { channelSchema } from '../src/config/channels-schema';
import { loadAirportIndex } from '../src/data/load-airports';
import { silentLogger } from '../src/util/log';
import { sampleAlerts } from './render-samples';

const OUT = path.resolve(process.argv[2] ?? 'render-output');
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
const WATCH = [
  {
    id: 'ice-air',
    note: 'ICE Air removal charter operated by GlobalX for US Immigration and Customs Enforcement',
    source: 'https://example.org/ice-air-fleet',
  },
];

function shoot(name: string, html: string, width = 820, height = 1100): string {
  const file = path.join(OUT, `${name}.html`);
  const png = path.join(OUT, `${name}.png`);
  writeFileSync(file, html);
  execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--hide-scrollbars',
      `--window-size=${width},${height}`,
      `--screenshot=${png}`,
      `file://${file}`,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  return png;
}

function capture() {
  const sent: AxiosRequestConfig[] = [];
  const http = axios.create({
    adapter: (cfg) => {
      sent.push(cfg);
      const data = String(cfg.url).includes('createSession')
        ? { accessJwt: 'jwt', did: 'did:plc:x' }
        : { ok: true, result: { message_id: 1 }, id: '1', event_id: '$e', content_uri: 'mxc://x/y', blob: {} };
      return Promise.resolve({ data, status: 200, statusText: 'OK', headers: {}, config: cfg });
    },
  });
  return { http, sent };
}

const page = (title: string, inner: string, bg = '#e7ebf0') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${e(title)}</title></head>` +
  `<body style="margin:0;padding:20px;background:${bg};font:15px/1.4 Arial,Helvetica,sans-serif">` +
  `<div style="font-size:12px;color:#667;margin-bottom:8px">${e(title)}</div>${inner}</body></html>`;
const bubble = (inner: string, style = '') =>
  `<div style="background:#fff;border-radius:10px;padding:12px 14px;max-width:560px;box-shadow:0 1px 2px #0002;${style}">${inner}</div>`;
const img = (png?: Buffer) =>
  png
    ? `<img src="data:image/png;base64,${png.toString('base64')}" style="max-width:100%;border-radius:6px;margin-bottom:8px">`
    : '';
const nl = (s: string) => s.replace(/\n/g, '<br>');
const linkify = (s: string) => s.replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');

async function formParts(form: FormData) {
  const out: Record<string, string> = {};
  let png: Buffer | undefined;
  for (const [k, v] of form.entries())
    if (typeof v === 'string') out[k] = v;
    else png = Buffer.from(await v.arrayBuffer());
  return { fields: out, png };
}

const mrkdwn = (s: string) =>
  s
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '<a href="$1">$2</a>')
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replace(/(^|\s)_([^_\n]+)_/g, '$1<i>$2</i>')
    .replace(/\n/g, '<br>');

async function renderChannel(kind: string, alert: FlightAlert, over: object = {}): Promise<string> {
  const base: Record<string, object> = {
    telegram: { tokenEnv: 'T', chatId: 1 },
    mastodon: { apiUrl: 'https://m.test', tokenEnv: 'T', spoilerText: 'deportation flight' },
    bluesky: { identifier: 'fw.test', passwordEnv: 'T' },
    signal: { apiUrl: 'http://s.test', number: '+15550100001', recipients: ['+15550100002'] },
    matrix: { apiUrl: 'https://mx.test', roomId: '!r:mx.test', tokenEnv: 'T' },
    slack: { webhookUrlEnv: 'U' },
    discord: { webhookUrlEnv: 'U' },
    ntfy: { topic: 'fw' },
    apprise: { apiUrl: 'http://a.test', key: 'fw' },
  };
  const config = channelSchema.parse({ id: kind, kind, ...base[kind], ...over });
  const { http, sent } = capture();
  await createChannel(config, { env: { T: 't', U: 'https://hooks.test/x' }, http, watch: WATCH }).send(alert);
  const last = sent.at(-1)!;
  const json = (d: unknown) =>
    typeof d === 'string' && d.startsWith('{') ? (JSON.parse(d) as Record<string, unknown>) : {};
  const form = last.data instanceof FormData ? await formParts(last.data) : undefined;
  const b = json(last.data);
  const firstUpload = sent.find((s) => Buffer.isBuffer(s.data))?.data as Buffer | undefined;
  switch (kind) {
    case 'telegram':
      return page(
        'Telegram (sendPhoto, HTML caption)',
        bubble(img(form?.png) + nl(form?.fields.caption ?? String(b.text))),
        '#a7c4a0',
      );
    case 'matrix':
      return page(
        'Matrix (m.text HTML + m.image)',
        bubble(nl(String(json(sent[0]!.data).formatted_body))) + '<br>' + bubble(img(firstUpload)),
      );
    case 'mastodon': {
      const media = sent[0]!.data instanceof FormData ? await formParts(sent[0]!.data) : undefined;
      return page(
        `Mastodon (visibility ${String(b.visibility)}, CW "${String(b.spoiler_text)}")`,
        bubble(
          `<div style="background:#eee;padding:4px 8px;margin-bottom:6px">CW: ${e(String(b.spoiler_text))}</div>${nl(linkify(e(String(b.status))))}<br>${img(media?.png)}<div style="font-size:12px;color:#667">alt: ${e(media?.fields.description)}</div>`,
        ),
        '#282c37',
      );
    }
    case 'bluesky': {
      const r = b.record as {
        text: string;
        facets?: { index: { byteStart: number; byteEnd: number }; features: { uri: string }[] }[];
      };
      const bytes = Buffer.from(r.text, 'utf8');
      const f = r.facets?.[0];
      const text = f
        ? `${e(bytes.subarray(0, f.index.byteStart).toString())}<a href="${e(f.features[0]!.uri)}">${e(bytes.subarray(f.index.byteStart, f.index.byteEnd).toString())}</a>${e(bytes.subarray(f.index.byteEnd).toString())}`
        : e(r.text);
      return page(
        'Bluesky (app.bsky.feed.post, link facet, image with alt)',
        bubble(nl(text) + '<br><br>' + img(firstUpload)),
      );
    }
    case 'signal': {
      const att = (b.base64_attachments as string[] | undefined)?.[0]?.split(',')[1];
      return page(
        'Signal (signal-cli-rest-api /v2/send)',
        bubble(
          img(att ? Buffer.from(att, 'base64') : undefined) + nl(linkify(e(String(b.message)))),
          'background:#dbe7ff',
        ),
      );
    }
    case 'slack': {
      const blocks = b.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
      const html = blocks
        .map((k) =>
          k.type === 'header'
            ? `<div style="font-size:18px;font-weight:bold;margin-bottom:6px">${e(k.text!.text)}</div>`
            : k.type === 'context'
              ? `<div style="font-size:12px;color:#616061">${mrkdwn(k.elements!.map((x) => x.text).join(' '))}</div>`
              : `<div style="margin-bottom:8px">${mrkdwn(k.text!.text)}</div>`,
        )
        .join('');
      return page('Slack (incoming webhook, Block Kit)', bubble(html), '#f8f8f8');
    }
    case 'discord': {
      const p = JSON.parse(form!.fields.payload_json!) as {
        embeds: {
          title: string;
          description: string;
          color: number;
          fields: { name: string; value: string; inline: boolean }[];
          footer: { text: string };
        }[];
      };
      const em = p.embeds[0]!;
      const md = (s: string) =>
        e(s.replace(/\\(.)/g, '$1'))
          .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
          .replace(/\*([^*]+)\*/g, '<i>$1</i>')
          .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>')
          .replace(/\n/g, '<br>');
      const fields = em.fields
        .map(
          (x) =>
            `<div style="display:inline-block;vertical-align:top;width:${x.inline ? '45%' : '95%'};margin:4px 0"><b>${e(x.name)}</b><br>${md(x.value)}</div>`,
        )
        .join('');
      return page(
        'Discord (webhook embed + file)',
        `<div style="background:#2b2d31;color:#dbdee1;border-left:4px solid #${em.color.toString(16).padStart(6, '0')};border-radius:4px;padding:12px;max-width:560px"><div style="font-weight:bold;color:#00a8fc;margin-bottom:6px">${e(em.title)}</div><div>${md(em.description)}</div>${fields}${img(form?.png)}<div style="font-size:12px;color:#949ba4">${e(em.footer.text)}</div></div>`,
        '#313338',
      );
    }
    case 'ntfy': {
      const h = last.headers as Record<string, string>;
      const dec = (v: string) =>
        v.replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, x: string) => Buffer.from(x, 'base64').toString('utf8'));
      return page(
        `ntfy (priority ${h.priority}, tags ${h.tags})`,
        bubble(
          `<b>${e(dec(h.title ?? ''))}</b><br>${nl(linkify(e(dec(h.message ?? ''))))}<br>${img(Buffer.isBuffer(last.data) ? last.data : undefined)}`,
        ),
      );
    }
    case 'apprise':
      return page(
        'Apprise API (/notify/{key})',
        bubble(`<b>${e(form!.fields.title)}</b><br>${nl(linkify(e(form!.fields.body)))}<br>${img(form!.png)}`),
      );
  }
  return '';
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const samples = sampleAlerts();
  // The worker hands its airport table to the map renderer; so does this script (reference places).
  useMapPlaces(await loadAirportIndex({ warn: () => undefined }));
  const written: string[] = [];
  for (const [name, alert] of Object.entries(samples)) {
    const msg = buildMessage(alert, {
      from: 'fw <fw@localhost>',
      to: ['group@example.org'],
      subjectPrefix: '[flightwatch]',
      map: true,
      log: silentLogger,
      watch: WATCH,
    });
    const map = (msg.attachments as { content: Buffer }[])[0]?.content;
    const html = (msg.html as string).replace(
      'cid:map@flightwatch',
      map ? `data:image/png;base64,${map.toString('base64')}` : '',
    );
    const header = `<div style="font:13px Arial;background:#f3f3f3;padding:8px 16px;border-bottom:1px solid #ddd"><b>Subject:</b> ${e(msg.subject)}</div>`;
    written.push(
      shoot(
        `email-${name}`,
        html.replace('<body style="', `<body style="padding-top:0;`).replace(/(<body[^>]*>)/, `$1${header}`),
        820,
        1400,
      ),
    );
  }
  for (const kind of ['telegram', 'mastodon', 'bluesky', 'signal', 'matrix', 'slack', 'discord', 'ntfy', 'apprise'])
    written.push(shoot(`chat-${kind}`, await renderChannel(kind, samples.trip!), 640, 1200));
  written.push(shoot('chat-telegram-en-route', await renderChannel('telegram', samples.enRoute!), 640, 1000));
  written.push(
    shoot('chat-telegram-hostile', await renderChannel('telegram', samples.hostile!, { map: false }), 640, 900),
  );
  process.stdout.write(`${written.join('\n')}\n${JSON.stringify({ written: written.length, dir: OUT })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`render-messages failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
