/**
 * Mastodon channel against a stand-in of the REST API: POST /api/v2/media (multipart `file`, `description`
 * = alt text; https://docs.joinmastodon.org/methods/media/#v2) and POST /api/v1/statuses (status,
 * visibility, spoiler_text, media_ids, Idempotency-Key header; https://docs.joinmastodon.org/methods/statuses/#create),
 * Bearer token auth, 401 {"error":"The access token is invalid"}, 429 with Retry-After (rate limits:
 * https://docs.joinmastodon.org/api/rate-limits/).
 */
import { createMastodonChannel, mastodonLength } from '../../../../../src/alerting/channels/mastodon';
import type { MastodonChannelConfig } from '../../../../../src/config/channels-schema';
import { channelSchema } from '../../../../../src/config/channels-schema';
import { landingAlert } from '../../../../unit/alerting/channels/fixture';
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

const env = { MASTO_TOKEN: 'masto-secret' };

function instance(seen: Map<string, unknown>) {
  return (r: Captured): Reply => {
    if (r.headers.authorization !== 'Bearer masto-secret')
      return { status: 401, body: { error: 'The access token is invalid' } };
    if (r.method === 'POST' && r.path === '/api/v2/media') return { status: 200, body: { id: '1101', type: 'image' } };
    if (r.method === 'POST' && r.path === '/api/v1/statuses') {
      // Instances reject over-long statuses, counting each URL as 23 characters.
      const text = String((r.json as { status?: string }).status);
      if (text.replace(/https?:\/\/\S+/g, 'x'.repeat(23)).length > 500)
        return { status: 422, body: { error: 'Validation failed: Text character limit of 500 exceeded' } };
      const key = String(r.headers['idempotency-key']);
      // The server returns the first status for a repeated Idempotency-Key instead of posting again.
      if (!seen.has(key)) seen.set(key, { id: String(9000 + seen.size), ...(r.json as object) });
      return { status: 200, body: seen.get(key) };
    }
    return { status: 404, body: { error: 'Record not found' } };
  };
}

describe('mastodon channel (REST API stand-in)', () => {
  let api: StandIn;
  let config: MastodonChannelConfig;
  const statuses = new Map<string, unknown>();
  beforeEach(async () => {
    statuses.clear();
    api = await startStandIn(instance(statuses));
    config = channelSchema.parse({
      id: 'masto',
      kind: 'mastodon',
      apiUrl: api.url,
      tokenEnv: 'MASTO_TOKEN',
      spoilerText: 'deportation flight',
    }) as MastodonChannelConfig;
  });
  afterEach(() => api.close());

  it('uploads the map with alt text, then posts the status with visibility, content warning and media', async () => {
    const alert = landingAlert();
    const receipt = await createMastodonChannel(config, { env }).send(alert);
    expect(receipt.detail).toBe('HTTP 200; status 9000');
    const [media, status] = api.requests;
    expect((await fileBytes(media.form!.get('file'))).subarray(0, 4)).toEqual(PNG_MAGIC);
    expect(field(media.form, 'description')).toMatch(/^Map: Boeing 737-800 N917XA landed at Alexandria/);
    const body = status.json as Record<string, unknown>;
    expect(body).toMatchObject({ visibility: 'unlisted', spoiler_text: 'deportation flight', media_ids: ['1101'] });
    expect(mastodonLength(String(body.status))).toBeLessThanOrEqual(500);
    expect(String(body.status)).toMatch(/Trip so far|Aircraft:/);
    expect(String(body.status)).toMatch(/ADS-B Exchange: https:\/\/globe\.adsbexchange\.com\/\?icao=ab12cd&showTrace=/);
    expect(status.headers['idempotency-key']).toBe(alert.id);
  });

  it('a retry reuses the Idempotency-Key, so the instance posts once', async () => {
    const ch = createMastodonChannel({ ...config, map: false }, { env });
    const a = await ch.send(landingAlert());
    const b = await ch.send(landingAlert());
    expect(a.detail).toBe(b.detail);
    expect(statuses.size).toBe(1);
  });

  it('422 while the uploaded media is still processing is retried, not dead-lettered', async () => {
    await api.close();
    api = await startStandIn((r) =>
      r.path === '/api/v2/media'
        ? { status: 202, body: { id: '1102', url: null } }
        : {
            status: 422,
            body: { error: 'Cannot attach files that have not finished processing. Try again in a moment!' },
          },
    );
    const e = await deliveryError(createMastodonChannel({ ...config, apiUrl: api.url }, { env }).send(landingAlert()));
    expect(e.kind).toBe('transient');
  });

  it('401 disables the channel; 429 waits for Retry-After', async () => {
    const gone = await deliveryError(
      createMastodonChannel(config, { env: { MASTO_TOKEN: 'revoked' } }).send(landingAlert()),
    );
    expect(gone.kind).toBe('gone');
    expect(gone.message).toContain('The access token is invalid');
    await api.close();
    api = await startStandIn(() => ({
      status: 429,
      body: { error: 'Too many requests' },
      headers: { 'retry-after': '120' },
    }));
    const limited = await deliveryError(
      createMastodonChannel({ ...config, apiUrl: api.url }, { env }).send(landingAlert()),
    );
    expect(limited.kind).toBe('rate-limited');
    expect(limited.retryAfterMs).toBe(120_000);
  });
});
