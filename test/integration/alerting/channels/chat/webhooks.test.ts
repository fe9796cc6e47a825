/**
 * Slack and Discord webhooks against stand-ins:
 * - Slack incoming webhooks (https://api.slack.com/messaging/webhooks; errors
 *   https://api.slack.com/messaging/webhooks#handling_errors): JSON {text, blocks}, reply "ok"; 400
 *   invalid_blocks, 403 invalid_token, 404 no_service, 410 channel_is_archived; 429 with Retry-After.
 *   Block Kit limits (https://api.slack.com/reference/block-kit/blocks): header text ≤ 150, section text ≤ 3000.
 * - Discord execute webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook):
 *   ?wait=true, multipart payload_json + files[0], embed limits
 *   (https://discord.com/developers/docs/resources/message#embed-object-embed-limits), 429 {retry_after}.
 */
import { createDiscordChannel } from '../../../../../src/alerting/channels/discord';
import { createSlackChannel } from '../../../../../src/alerting/channels/slack';
import type { DiscordChannelConfig, SlackChannelConfig } from '../../../../../src/config/channels-schema';
import { channelSchema } from '../../../../../src/config/channels-schema';
import { hostileAlert, landingAlert } from '../../../../unit/alerting/channels/fixture';
import {
  deliveryError,
  field,
  fileBytes,
  PNG_MAGIC,
  startStandIn,
  type Captured,
  type Reply,
  type StandIn,
} from './standin';

interface Block {
  type: string;
  text?: { type: string; text: string };
  elements?: { text: string }[];
}

function slack(r: Captured): Reply {
  if (r.path === '/services/T000/B000/archived') return { status: 410, body: 'channel_is_archived' };
  if (r.path !== '/services/T000/B000/XXXX') return { status: 403, body: 'invalid_token' };
  const b = r.json as { text?: string; blocks?: Block[] };
  if (!b.text || !b.blocks?.length || b.blocks.length > 50) return { status: 400, body: 'invalid_blocks' };
  for (const k of b.blocks) {
    if (k.type === 'header' && (k.text!.type !== 'plain_text' || k.text!.text.length > 150))
      return { status: 400, body: 'invalid_blocks' };
    if (k.type === 'section' && k.text!.text.length > 3000) return { status: 400, body: 'invalid_blocks' };
  }
  return { status: 200, body: 'ok' };
}

function discord(r: Captured): Reply {
  if (!r.path.startsWith('/api/webhooks/123/tok'))
    return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
  if (!r.path.endsWith('?wait=true')) return { status: 204 };
  const payload = JSON.parse(r.form ? field(r.form, 'payload_json') : JSON.stringify(r.json)) as {
    embeds: {
      title: string;
      description: string;
      fields: { name: string; value: string }[];
      footer: { text: string };
    }[];
  };
  const e = payload.embeds[0];
  const total =
    e.title.length +
    e.description.length +
    e.footer.text.length +
    e.fields.reduce((t, f) => t + f.name.length + f.value.length, 0);
  if (e.title.length > 256 || e.description.length > 4096 || e.fields.length > 25 || total > 6000)
    return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
  return { status: 200, body: { id: '1180000000000000001', ...payload } };
}

describe('slack incoming webhook (stand-in)', () => {
  let api: StandIn;
  let config: SlackChannelConfig;
  beforeEach(async () => {
    api = await startStandIn(slack);
    config = channelSchema.parse({ id: 'newsroom', kind: 'slack', webhookUrlEnv: 'SLACK_URL' }) as SlackChannelConfig;
  });
  afterEach(() => api.close());

  it('posts Block Kit within the limits, escaping mrkdwn control characters', async () => {
    const env = { SLACK_URL: `${api.url}/services/T000/B000/XXXX` };
    expect((await createSlackChannel(config, { env }).send(hostileAlert())).detail).toBe('HTTP 200');
    const b = api.requests[0].json as { blocks: Block[] };
    expect(b.blocks[0].type).toBe('header');
    const all = JSON.stringify(b.blocks);
    expect(all).not.toMatch(/<script|<img|<!channel>/);
    expect(all).toContain('&lt;script&gt;');
    expect(all).toMatch(/<https:\/\/globe\.adsbexchange\.com\/\?icao=ab12cd&amp;showTrace=[^|>]+\|ADS-B Exchange>/);
  });

  it('410 channel_is_archived and 403 invalid_token disable; the URL (the secret) is not in the error', async () => {
    const archived = await deliveryError(
      createSlackChannel(config, { env: { SLACK_URL: `${api.url}/services/T000/B000/archived` } }).send(landingAlert()),
    );
    expect(archived.kind).toBe('gone');
    const bad = await deliveryError(
      createSlackChannel(config, { env: { SLACK_URL: `${api.url}/services/T000/B000/revoked` } }).send(landingAlert()),
    );
    expect(bad.kind).toBe('gone');
    expect(bad.message).toContain('invalid_token');
    expect(bad.message).not.toContain('B000');
  });
});

describe('discord webhook (stand-in)', () => {
  let api: StandIn;
  let config: DiscordChannelConfig;
  beforeEach(async () => {
    api = await startStandIn(discord);
    config = channelSchema.parse({
      id: 'discord',
      kind: 'discord',
      webhookUrlEnv: 'DISCORD_URL',
    }) as DiscordChannelConfig;
  });
  afterEach(() => api.close());

  it('sends an embed with the attached map, waits for the message, pings nobody', async () => {
    const env = { DISCORD_URL: `${api.url}/api/webhooks/123/tok` };
    expect((await createDiscordChannel(config, { env }).send(landingAlert())).detail).toBe(
      'HTTP 200; message 1180000000000000001',
    );
    const r = api.requests[0];
    const payload = JSON.parse(field(r.form, 'payload_json')) as {
      embeds: { image: { url: string }; title: string; footer: { text: string } }[];
      attachments: { filename: string; description: string }[];
      allowed_mentions: { parse: string[] };
    };
    expect(payload.embeds[0].image.url).toBe('attachment://map.png');
    expect(payload.embeds[0].title).toMatch(/^Boeing 737-800 N917XA landed/);
    expect(payload.attachments[0].description).toMatch(/^Map: /);
    expect(payload.allowed_mentions.parse).toEqual([]);
    expect(payload.embeds[0].footer.text).toMatch(
      /^Event ab12cd:landing:20261127T1900\. Positions come from public ADS-B/,
    );
    expect((await fileBytes(r.form!.get('files[0]'))).subarray(0, 4)).toEqual(PNG_MAGIC);
  });

  it('429 retry_after (seconds) → rate-limited; 404 Unknown Webhook → gone', async () => {
    const gone = await deliveryError(
      createDiscordChannel(config, { env: { DISCORD_URL: `${api.url}/api/webhooks/999/deleted` } }).send(
        landingAlert(),
      ),
    );
    expect(gone.kind).toBe('gone');
    await api.close();
    api = await startStandIn(() => ({
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 1.5, global: false },
    }));
    const limited = await deliveryError(
      createDiscordChannel({ ...config, map: false }, { env: { DISCORD_URL: `${api.url}/api/webhooks/123/tok` } }).send(
        landingAlert(),
      ),
    );
    expect(limited.kind).toBe('rate-limited');
    expect(limited.retryAfterMs).toBe(1500);
  });
});
