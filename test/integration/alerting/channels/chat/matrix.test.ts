/**
 * Matrix channel against a stand-in homeserver (client-server API v1.11,
 * https://spec.matrix.org/v1.11/client-server-api/): PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}
 * is idempotent per txn id ("Transaction identifiers"), POST /_matrix/media/v3/upload → {content_uri},
 * 429 {errcode: M_LIMIT_EXCEEDED, retry_after_ms}, 401 {errcode: M_UNKNOWN_TOKEN}.
 */
import { createMatrixChannel } from '../../../../../src/alerting/channels/matrix';
import type { MatrixChannelConfig } from '../../../../../src/config/channels-schema';
import { channelSchema } from '../../../../../src/config/channels-schema';
import { landingAlert } from '../../../../unit/alerting/channels/fixture';
import { deliveryError, PNG_MAGIC, startStandIn, type Captured, type Reply, type StandIn } from './standin';

const env = { MATRIX_TOKEN: 'syt_secret' };
const ROOM = '!abcdef:example.org';

describe('matrix channel (homeserver stand-in)', () => {
  let api: StandIn;
  let config: MatrixChannelConfig;
  const events = new Map<string, { type: string; content: Record<string, unknown> }>();
  beforeEach(async () => {
    events.clear();
    api = await startStandIn((r: Captured): Reply => {
      if (r.headers.authorization !== 'Bearer syt_secret')
        return { status: 401, body: { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.' } };
      if (r.method === 'POST' && r.path.startsWith('/_matrix/media/v3/upload'))
        return { status: 200, body: { content_uri: 'mxc://example.org/map123' } };
      const m = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/.exec(r.path);
      if (r.method === 'PUT' && m) {
        if (decodeURIComponent(m[1]) !== ROOM)
          return { status: 403, body: { errcode: 'M_FORBIDDEN', error: 'not in room' } };
        const txn = m[2];
        if (!events.has(txn)) events.set(txn, { type: 'm.room.message', content: r.json as Record<string, unknown> });
        return { status: 200, body: { event_id: `$ev-${txn}` } };
      }
      return { status: 404, body: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' } };
    });
    config = channelSchema.parse({
      id: 'mx',
      kind: 'matrix',
      apiUrl: api.url,
      roomId: ROOM,
      tokenEnv: 'MATRIX_TOKEN',
    }) as MatrixChannelConfig;
  });
  afterEach(() => api.close());

  it('sends HTML text and the uploaded map; a retry reuses the txn ids, so nothing is posted twice', async () => {
    const ch = createMatrixChannel(config, { env });
    await ch.send(landingAlert());
    await ch.send(landingAlert());
    expect(events.size).toBe(2);
    const [text, image] = [...events.values()].map((e) => e.content);
    expect(text).toMatchObject({ msgtype: 'm.text', format: 'org.matrix.custom.html' });
    expect(String(text.formatted_body)).toMatch(/^<b>Boeing 737-800 N917XA landed/);
    expect(String(text.body)).not.toContain('<b>');
    expect(image).toMatchObject({
      msgtype: 'm.image',
      url: 'mxc://example.org/map123',
      info: { mimetype: 'image/png' },
    });
    const upload = api.requests.find((r) => r.path.startsWith('/_matrix/media'))!;
    expect(upload.headers['content-type']).toBe('image/png');
    expect(upload.raw.subarray(0, 4)).toEqual(PNG_MAGIC);
  });

  it('M_LIMIT_EXCEEDED waits retry_after_ms; M_UNKNOWN_TOKEN disables', async () => {
    const gone = await deliveryError(createMatrixChannel(config, { env: { MATRIX_TOKEN: 'x' } }).send(landingAlert()));
    expect(gone.kind).toBe('gone');
    expect(gone.message).toContain('M_UNKNOWN_TOKEN');
    await api.close();
    api = await startStandIn(() => ({
      status: 429,
      body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 2500 },
    }));
    const limited = await deliveryError(
      createMatrixChannel({ ...config, apiUrl: api.url }, { env }).send(landingAlert()),
    );
    expect(limited.kind).toBe('rate-limited');
    expect(limited.retryAfterMs).toBe(2500);
  });
});
