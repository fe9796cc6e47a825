/**
 * ntfy and Apprise API against stand-ins:
 * - ntfy publish (https://docs.ntfy.sh/publish/): PUT /{topic} with the file as body and Filename, Title,
 *   Message, Tags, Priority, Click headers ("Attach local file"), RFC 2047 encoded header values, Bearer
 *   access tokens ("Access tokens"); errors {"code":40101,"http":401,"error":"unauthorized"}, 429 limits.
 * - Apprise API (https://github.com/caronc/apprise-api#stateful-solution / #stateless-solution): POST
 *   /notify/{key} or /notify with urls; multipart title, body, type, format, attach; 424 when a service failed.
 */
import { createAppriseChannel } from '../../../../../src/alerting/channels/apprise';
import { createNtfyChannel } from '../../../../../src/alerting/channels/ntfy';
import type { AppriseChannelConfig, NtfyChannelConfig } from '../../../../../src/config/channels-schema';
import { channelSchema } from '../../../../../src/config/channels-schema';
import { channelDisabledAlert, landingAlert } from '../../../../unit/alerting/channels/fixture';
import { deliveryError, fileBytes, PNG_MAGIC, startStandIn, type Captured, type Reply, type StandIn } from './standin';

const decode2047 = (v: unknown) =>
  String(v).replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

describe('ntfy channel (server stand-in)', () => {
  let api: StandIn;
  let config: NtfyChannelConfig;
  beforeEach(async () => {
    api = await startStandIn((r: Captured): Reply => {
      if (r.headers.authorization !== 'Bearer tk_secret')
        return { status: 401, body: { code: 40101, http: 401, error: 'unauthorized' } };
      if (r.method !== 'PUT' || r.path !== '/fw-alerts')
        return { status: 404, body: { code: 40401, http: 404, error: 'page not found' } };
      return { status: 200, body: { id: 'hwQ2YpKdmg', time: 1795806123, event: 'message', topic: 'fw-alerts' } };
    });
    config = channelSchema.parse({
      id: 'ntfy',
      kind: 'ntfy',
      apiUrl: api.url,
      topic: 'fw-alerts',
      tokenEnv: 'NTFY_TOKEN',
    }) as NtfyChannelConfig;
  });
  afterEach(() => api.close());

  it('publishes the map as attachment with title, message, tags, priority and click in headers', async () => {
    const receipt = await createNtfyChannel(config, { env: { NTFY_TOKEN: 'tk_secret' } }).send(landingAlert());
    expect(receipt.detail).toBe('HTTP 200; message hwQ2YpKdmg');
    const r = api.requests[0];
    expect(r.headers.filename).toBe('map.png');
    expect(r.raw.subarray(0, 4)).toEqual(PNG_MAGIC);
    expect(decode2047(r.headers.title)).toBe(
      'Boeing 737-800 N917XA landed at Alexandria (KAEX), United States — 13:02 local, 19:02 UTC',
    );
    expect(decode2047(r.headers.message)).toMatch(/^How sure: observed/);
    expect(r.headers.tags).toBe('airplane,observed');
    expect(r.headers.priority).toBe('4');
    expect(r.headers.click).toMatch(/^https:\/\/globe\.adsbexchange\.com\//);
  });

  it('a rejected token disables the channel', async () => {
    const e = await deliveryError(createNtfyChannel(config, { env: { NTFY_TOKEN: 'tk_old' } }).send(landingAlert()));
    expect(e.kind).toBe('gone');
    expect(e.message).toContain('unauthorized');
  });
});

describe('apprise channel (Apprise API stand-in)', () => {
  let api: StandIn;
  let failing = false;
  beforeEach(async () => {
    failing = false;
    api = await startStandIn((r: Captured): Reply => {
      if (r.method !== 'POST' || !r.form) return { status: 400, body: 'Bad request' };
      if (r.path === '/notify/fw')
        return failing ? { status: 424, body: 'One or more notifications failed' } : { status: 200, body: 'OK' };
      if (r.path === '/notify' && r.form.get('urls')) return { status: 200, body: 'OK' };
      return { status: 204 };
    });
  });
  afterEach(() => api.close());

  const cfg = (over: object) =>
    channelSchema.parse({ id: 'apprise', kind: 'apprise', apiUrl: api.url, ...over }) as AppriseChannelConfig;

  it('notifies a stored key with title, body, type and the map attached; stateless URLs come from the env', async () => {
    await createAppriseChannel(cfg({ key: 'fw' })).send(landingAlert());
    const f = api.requests[0].form!;
    expect(f.get('title')).toMatch(/^Boeing 737-800 N917XA landed/);
    expect(f.get('type')).toBe('info');
    expect(f.get('format')).toBe('text');
    expect((await fileBytes(f.get('attach'))).subarray(0, 4)).toEqual(PNG_MAGIC);
    await createAppriseChannel(cfg({ urlsEnv: 'APPRISE_URLS' }), { env: { APPRISE_URLS: 'tgram://x/y' } }).send(
      channelDisabledAlert(),
    );
    const g = api.requests[1].form!;
    expect(g.get('urls')).toBe('tgram://x/y');
    expect(g.get('type')).toBe('warning');
  });

  it('424 (a service failed) is retried; config needs exactly one of key and urlsEnv', async () => {
    failing = true;
    expect((await deliveryError(createAppriseChannel(cfg({ key: 'fw' })).send(landingAlert()))).kind).toBe('transient');
    expect(channelSchema.safeParse({ id: 'a', kind: 'apprise', apiUrl: api.url }).success).toBe(false);
  });
});
