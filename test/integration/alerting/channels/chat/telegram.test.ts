/**
 * Telegram channel against a stand-in of the Bot API (https://core.telegram.org/bots/api):
 * POST /bot<token>/sendMessage (JSON) and /sendPhoto (multipart, `photo` file, `caption` ≤ 1024 characters),
 * parse_mode HTML (https://core.telegram.org/bots/api#html-style), replies {ok, result} or
 * {ok:false, error_code, description, parameters: {retry_after}} ("Making requests", "ResponseParameters").
 */
import { createTelegramChannel, TELEGRAM_CAPTION_MAX } from '../../../../../src/alerting/channels/telegram';
import type { TelegramChannelConfig } from '../../../../../src/config/channels-schema';
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

const TOKEN = '123456:ABC-secret-token';
const env = { TG_TOKEN: TOKEN };

function botApi(r: Captured): Reply {
  const m = /^\/bot([^/]+)\/(sendMessage|sendPhoto)$/.exec(r.path);
  if (!m) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
  if (m[1] !== TOKEN) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
  const f = (k: string) => (r.form ? r.form.get(k) : (r.json as Record<string, unknown>)[k]);
  if (m[2] === 'sendPhoto' && String(f('caption')).length > 1024)
    return {
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: message caption is too long' },
    };
  return { status: 200, body: { ok: true, result: { message_id: 42, chat: { id: f('chat_id') } } } };
}

describe('telegram channel (Bot API stand-in)', () => {
  let api: StandIn;
  let config: TelegramChannelConfig;
  beforeEach(async () => {
    api = await startStandIn(botApi);
    config = channelSchema.parse({
      id: 'tg',
      kind: 'telegram',
      apiUrl: api.url,
      tokenEnv: 'TG_TOKEN',
      chatId: -1001234567890,
      timeoutMs: 3000,
    }) as TelegramChannelConfig;
  });
  afterEach(() => api.close());

  it('sends the map with an HTML caption within 1,024 characters', async () => {
    const receipt = await createTelegramChannel(config, { env }).send(landingAlert());
    expect(receipt.detail).toBe('HTTP 200; message_id 42');
    const r = api.requests[0];
    expect(r.path).toBe(`/bot${TOKEN}/sendPhoto`);
    expect(r.form!.get('chat_id')).toBe('-1001234567890');
    expect(r.form!.get('parse_mode')).toBe('HTML');
    const caption = field(r.form, 'caption');
    expect(caption.length).toBeLessThanOrEqual(TELEGRAM_CAPTION_MAX);
    expect(caption).toMatch(/^<b>Boeing 737-800 N917XA landed at Alexandria \(KAEX\), United States/);
    expect(caption).toContain('<i>How sure: observed');
    expect((await fileBytes(r.form!.get('photo'))).subarray(0, 4)).toEqual(PNG_MAGIC);
  });

  it('sends text only with sendMessage when the map is off, and escapes API strings', async () => {
    await createTelegramChannel({ ...config, map: false }, { env }).send(hostileAlert());
    const r = api.requests[0];
    expect(r.path).toBe(`/bot${TOKEN}/sendMessage`);
    const body = r.json as { text: string; parse_mode: string; link_preview_options: unknown };
    expect(body.parse_mode).toBe('HTML');
    expect(body.text).not.toMatch(/<script|<img|<i>Alexandria|<b>X<\/b>/);
    expect(body.text).toContain('&lt;script&gt;');
    // Only the tags Telegram's HTML mode supports, all closed.
    const tags = body.text.match(/<\/?[a-z]+/g) ?? [];
    expect(new Set(tags.map((t) => t.replace('/', '')))).toEqual(new Set(['<b', '<i', '<a']));
  });

  it('maps 429 retry_after to rate-limited and 401 to gone, never echoing the token', async () => {
    await api.close();
    api = await startStandIn(() => ({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
    }));
    const limited = await deliveryError(
      createTelegramChannel({ ...config, apiUrl: api.url }, { env }).send(landingAlert()),
    );
    expect(limited.kind).toBe('rate-limited');
    expect(limited.retryAfterMs).toBe(7000);
    await api.close();
    api = await startStandIn(botApi);
    const gone = await deliveryError(
      createTelegramChannel({ ...config, apiUrl: api.url }, { env: { TG_TOKEN: 'revoked:token' } }).send(
        landingAlert(),
      ),
    );
    expect(gone.kind).toBe('gone');
    expect(gone.message).toContain('HTTP 401');
    expect(gone.message).not.toContain('revoked:token');
  });

  it('names the missing env var at build time', () => {
    expect(() => createTelegramChannel(config, { env: {} })).toThrow(/channel tg: env TG_TOKEN is not set/);
  });
});
