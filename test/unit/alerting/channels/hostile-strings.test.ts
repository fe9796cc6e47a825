/**
 * Hostile strings (markup, mentions, control characters, huge and odd Unicode, as the fuzz tests feed the
 * sources) in every API-sourced field, through every renderer: the e-mail parts and each chat channel's
 * request as it would leave the process (captured by an axios adapter, no network). No markup injection, no
 * broken message, every platform limit respected.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import fc from 'fast-check';
import { createChannel } from '../../../../src/alerting/channels';
import { graphemes } from '../../../../src/alerting/channels/chat/compose';
import { mastodonLength } from '../../../../src/alerting/channels/mastodon';
import { buildMessage } from '../../../../src/alerting/channels/render/message';
import { channelSchema } from '../../../../src/config/channels-schema';
import { silentLogger } from '../../../../src/util/log';
import type { FlightAlert } from '../../../../src/alerting/channel';
import { landingAlert } from './fixture';

const SAMPLES = [
  '<script>alert(1)</script>',
  '<b>bold</b><a href="javascript:x">y</a>',
  '<!channel> <@U123> @everyone @here',
  '*bold* _it_ ~s~ `code` [link](https://evil.example) # h',
  'line1\r\nBcc: x@example.org\u2028next',
  '\u202eRTL override\u202c',
  '👩‍👩‍👧‍👦'.repeat(200),
  'X'.repeat(20_000),
  '&amp; &lt; &#60; ]]> --> <!--',
  '|>|<>',
];
const hostile = fc.oneof(
  fc.constantFrom(...SAMPLES),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ maxLength: 2000 }),
);

const env = {
  T: 'tok',
  P: 'app-pass',
  URL_SLACK: 'https://hooks.slack.test/services/T/B/X',
  URL_DISCORD: 'https://discord.test/api/webhooks/1/t',
};
const CONFIGS = [
  { id: 'tg', kind: 'telegram', tokenEnv: 'T', chatId: 1 },
  { id: 'masto', kind: 'mastodon', apiUrl: 'https://masto.test', tokenEnv: 'T' },
  { id: 'bsky', kind: 'bluesky', identifier: 'fw.test', passwordEnv: 'P' },
  { id: 'signal', kind: 'signal', apiUrl: 'http://signal.test', number: '+15550100001', recipients: ['+15550100002'] },
  { id: 'mx', kind: 'matrix', apiUrl: 'https://mx.test', roomId: '!r:mx.test', tokenEnv: 'T' },
  { id: 'slack', kind: 'slack', webhookUrlEnv: 'URL_SLACK' },
  { id: 'discord', kind: 'discord', webhookUrlEnv: 'URL_DISCORD' },
  { id: 'ntfy', kind: 'ntfy', topic: 'fw' },
  { id: 'apprise', kind: 'apprise', apiUrl: 'http://apprise.test', key: 'fw' },
].map((c) => channelSchema.parse({ ...c, map: false }));

function capture() {
  const sent: AxiosRequestConfig[] = [];
  const http = axios.create({
    adapter: (cfg) => {
      sent.push(cfg);
      const url = String(cfg.url);
      const data = url.includes('createSession')
        ? { accessJwt: 'jwt', did: 'did:plc:x' }
        : { ok: true, result: { message_id: 1 }, id: '1', event_id: '$e' };
      return Promise.resolve({ data, status: 200, statusText: 'OK', headers: {}, config: cfg });
    },
  });
  return { http, sent };
}

const body = (cfg: AxiosRequestConfig): Record<string, unknown> =>
  typeof cfg.data === 'string' && cfg.data.startsWith('{') ? (JSON.parse(cfg.data) as Record<string, unknown>) : {};

/** Our own tags removed, no "<" may remain: anything else came from an API string unescaped. */
function onlyOurTags(html: string, tags: RegExp): void {
  expect(html.replace(tags, '')).not.toMatch(/</);
}
const TG_TAGS = /<\/?(b|i)>|<a href="[^"<>]*">|<\/a>/g;

function hostileAlert(v: string): FlightAlert {
  const a = landingAlert();
  a.event.aircraft = { hex: 'ab12cd', registration: v.slice(0, 40), callsign: v, operator: v, type: v.slice(0, 6) };
  a.event.airport = { ...a.event.airport!, name: v, country: v.slice(0, 4) };
  a.event.watch = { ids: [v.slice(0, 30) || 'x'], tags: [v.slice(0, 10)] };
  return a;
}

describe('hostile strings through every renderer', () => {
  it('e-mail: subject one line, HTML carries no foreign tags', () => {
    fc.assert(
      fc.property(hostile, (v) => {
        const m = buildMessage(hostileAlert(v), {
          from: 'a@b.c',
          to: ['d@e.f'],
          subjectPrefix: '[fw]',
          map: false,
          log: silentLogger,
        });
        expect(String(m.subject)).not.toMatch(/[\r\n\u2028]/);
        const html = (m.html as string).replace(
          /<!doctype html>|<\/?(html|head|meta|title|body|h2|h3|p|table|tr|td|th|span|ul|li|br)\b[^<>]*>/g,
          '',
        );
        onlyOurTags(html, /<a href="[^"<>]*" style="[^"<>]*">|<\/a>/g);
      }),
      { numRuns: 40 },
    );
  });

  it.each(CONFIGS.map((c) => [c.kind, c] as const))(
    '%s: escaped and within the platform limits',
    async (_kind, config) => {
      await fc.assert(
        fc.asyncProperty(hostile, async (v) => {
          const { http, sent } = capture();
          await createChannel(config, { env, http }).send(hostileAlert(v));
          const last = sent.at(-1)!;
          const b = body(last);
          switch (config.kind) {
            case 'telegram': {
              const text = String(b.text);
              expect(text.length).toBeLessThanOrEqual(4096);
              onlyOurTags(text, TG_TAGS);
              break;
            }
            case 'matrix':
              onlyOurTags(String(b.formatted_body).replace(/<br>|<\/?small>/g, ''), TG_TAGS);
              expect(JSON.stringify(b).length).toBeLessThan(65_536);
              break;
            case 'mastodon':
              expect(mastodonLength(String(b.status))).toBeLessThanOrEqual(500);
              break;
            case 'bluesky': {
              const rec = b.record as { text: string; facets?: { index: { byteStart: number; byteEnd: number } }[] };
              expect(graphemes(rec.text)).toBeLessThanOrEqual(300);
              for (const f of rec.facets ?? [])
                expect(f.index.byteEnd).toBeLessThanOrEqual(Buffer.byteLength(rec.text, 'utf8'));
              break;
            }
            case 'signal':
              expect(String(b.message).length).toBeLessThanOrEqual(2000);
              break;
            case 'slack': {
              const blocks = b.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
              for (const k of blocks) {
                if (k.type === 'header') expect(k.text!.text.length).toBeLessThanOrEqual(150);
                const t = k.text?.text ?? k.elements?.map((e) => e.text).join('') ?? '';
                expect(t.length).toBeLessThanOrEqual(3000);
                // Only our links (<url|label>) may use angle brackets: no <!channel>, no <@U…> (the header is plain_text).
                if (k.type !== 'header') expect(t.replace(/<https:\/\/[^<>|]+\|[^<>|]+>/g, '')).not.toMatch(/[<>]/);
              }
              break;
            }
            case 'discord': {
              const e = (
                b.embeds as { title: string; description: string; fields: { name: string; value: string }[] }[]
              )[0];
              expect(e.title.length).toBeLessThanOrEqual(256);
              expect(e.description.length).toBeLessThanOrEqual(4096);
              const total =
                e.title.length +
                e.description.length +
                e.fields.reduce((t, f) => t + f.name.length + f.value.length, 0);
              expect(total).toBeLessThanOrEqual(6000);
              expect(b.allowed_mentions).toEqual({ parse: [] });
              break;
            }
            case 'ntfy':
              for (const h of Object.values(last.headers ?? {})) expect(String(h)).not.toMatch(/[\r\n]/);
              expect(Buffer.byteLength(String(last.data))).toBeLessThanOrEqual(4096);
              break;
            case 'apprise':
              expect(last.data).toBeInstanceOf(FormData);
              break;
          }
        }),
        { numRuns: 25 },
      );
    },
  );
});
