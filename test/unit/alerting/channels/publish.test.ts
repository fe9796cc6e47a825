/** Public-channel options: minConfidence, publishDelay (via the queue's delayed set), hidden fields. */
import axios, { type AxiosRequestConfig } from 'axios';
import { createChannel } from '../../../../src/alerting/channels';
import { DeliveryError } from '../../../../src/alerting/channel';
import { channelSchema } from '../../../../src/config/channels-schema';
import { channelDisabledAlert, landingAlert } from './fixture';

function capture() {
  const sent: AxiosRequestConfig[] = [];
  const http = axios.create({
    adapter: (cfg) => {
      sent.push(cfg);
      return Promise.resolve({ data: { id: '1' }, status: 200, statusText: 'OK', headers: {}, config: cfg });
    },
  });
  return { http, sent };
}

const masto = (over: object) =>
  channelSchema.parse({
    id: 'public',
    kind: 'mastodon',
    apiUrl: 'https://masto.test',
    tokenEnv: 'T',
    map: false,
    ...over,
  });
const env = { T: 'tok' };
const EVENT_MS = Date.parse(landingAlert().event.time);

function inferred() {
  const a = landingAlert();
  a.event.details = { inferred: true, reason: 'signal-lost-low-slow', departure: null };
  return a;
}

describe('public channel options', () => {
  it('minConfidence "observed" posts observed landings and skips inferred ones (receipt says why)', async () => {
    const { http, sent } = capture();
    const ch = createChannel(masto({ minConfidence: 'observed' }), { env, http, now: () => EVENT_MS });
    expect((await ch.send(inferred())).detail).toMatch(/not published: inferred is below .*minConfidence \(observed\)/);
    expect(sent).toHaveLength(0);
    await ch.send(landingAlert());
    expect(sent).toHaveLength(1);
  });

  it('publishDelay answers rate-limited with the time left, then posts when due; operational alerts never wait', async () => {
    const { http, sent } = capture();
    let now = EVENT_MS + 10 * 60_000;
    const ch = createChannel(masto({ publishDelay: 30, operational: true }), { env, http, now: () => now });
    const early = await ch.send(landingAlert()).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(DeliveryError);
    expect((early as DeliveryError).kind).toBe('rate-limited');
    expect((early as DeliveryError).retryAfterMs).toBe(20 * 60_000);
    expect(sent).toHaveLength(0);
    now = EVENT_MS + 30 * 60_000;
    await ch.send(landingAlert());
    await ch.send(channelDisabledAlert('public'));
    expect(sent).toHaveLength(2);
  });

  it('public accounts (Mastodon, Bluesky) do not post operational alerts unless asked to', async () => {
    const { http, sent } = capture();
    const quiet = createChannel(masto({}), { env, http });
    expect((await quiet.send(channelDisabledAlert('public'))).detail).toMatch(/operational alerts are off/);
    expect(sent).toHaveLength(0);
    await createChannel(masto({ operational: true }), { env, http }).send(channelDisabledAlert('public'));
    expect(sent).toHaveLength(1);
    const tg = channelSchema.parse({ id: 'tg', kind: 'telegram', tokenEnv: 'T', chatId: 1 });
    expect('operational' in tg && tg.operational).toBe(true);
  });

  it('hide leaves out operator, callsign and the watch note', async () => {
    const { http, sent } = capture();
    const ch = createChannel(masto({ hide: ['operator', 'callsign', 'watch'] }), {
      env,
      http,
      watch: [{ id: 'ice-air', note: 'secret tip from a source' }],
    });
    await ch.send(landingAlert());
    const status = String((JSON.parse(String(sent[0].data)) as { status: string }).status);
    expect(status).toContain('N917XA');
    for (const hidden of ['GlobalX', 'GXA917', 'secret tip', 'ice-air']) expect(status).not.toContain(hidden);
  });

  it('an identity link shows on a phone, except one made on a hidden callsign', async () => {
    const linkedOn = (reason: 'same-registration' | 'same-callsign', matched: string) => {
      const a = landingAlert();
      a.event.details = {
        inferred: false,
        reason: 'air-to-ground',
        departure: null,
        linked: { previousHex: 'a1b2c3', reason, matched, gapSeconds: 300, distanceNm: 9, at: a.event.time },
      };
      return a;
    };
    const statusOf = async (hide: string[], alert: ReturnType<typeof landingAlert>) => {
      const { http, sent } = capture();
      await createChannel(masto({ hide }), { env, http }).send(alert);
      return String((JSON.parse(String(sent[0].data)) as { status: string }).status);
    };
    expect(await statusOf([], linkedOn('same-callsign', 'GXA917'))).toContain(
      'Continues: hex A1B2C3: same callsign GXA917, unheard 5 min, 9.0 nm away',
    );
    expect(await statusOf(['callsign'], linkedOn('same-registration', 'N917XA'))).toContain(
      'Continues: hex A1B2C3: same registration N917XA',
    );
    const hidden = await statusOf(['callsign'], linkedOn('same-callsign', 'GXA917'));
    expect(hidden).not.toContain('GXA917');
    expect(hidden).not.toContain('Continues');
  });
});
