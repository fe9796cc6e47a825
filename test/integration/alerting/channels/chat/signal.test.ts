/**
 * Signal channel against a stand-in of signal-cli-rest-api's POST /v2/send
 * (https://bbernhard.github.io/signal-cli-rest-api/ — body {message, number, recipients, base64_attachments},
 * 201 {"timestamp": "…"}; 400 {"error": "…"} for an unregistered number or bad recipient).
 */
import { createSignalChannel, SIGNAL_TEXT_MAX } from '../../../../../src/alerting/channels/signal';
import type { SignalChannelConfig } from '../../../../../src/config/channels-schema';
import { channelSchema } from '../../../../../src/config/channels-schema';
import { landingAlert } from '../../../../unit/alerting/channels/fixture';
import { deliveryError, PNG_MAGIC, startStandIn, type StandIn } from './standin';

describe('signal channel (signal-cli-rest-api stand-in)', () => {
  let api: StandIn;
  let config: SignalChannelConfig;
  beforeEach(async () => {
    api = await startStandIn((r) => {
      const b = r.json as { number?: string; recipients?: string[]; message?: string };
      if (r.method !== 'POST' || r.path !== '/v2/send') return { status: 404, body: { error: 'not found' } };
      if (b.number !== '+15550100001') return { status: 400, body: { error: 'User +1555 is not registered.' } };
      if (!b.recipients?.length || !b.message)
        return { status: 400, body: { error: "Couldn't process request - invalid request" } };
      return { status: 201, body: { timestamp: '1795806123456' } };
    });
    config = channelSchema.parse({
      id: 'signal',
      kind: 'signal',
      apiUrl: api.url,
      number: '+15550100001',
      recipients: ['group.cmVzcG9uc2UtbmV0d29yaw=='],
    }) as SignalChannelConfig;
  });
  afterEach(() => api.close());

  it('sends plain text to the group with the map as a base64 data-URI attachment', async () => {
    expect((await createSignalChannel(config).send(landingAlert())).detail).toBe('HTTP 201; timestamp 1795806123456');
    const b = api.requests[0].json as { message: string; recipients: string[]; base64_attachments: string[] };
    expect(b.recipients).toEqual(['group.cmVzcG9uc2UtbmV0d29yaw==']);
    expect(b.message.length).toBeLessThanOrEqual(SIGNAL_TEXT_MAX);
    expect(b.message.split('\n')[0]).toBe(
      'Boeing 737-800 N917XA landed at Alexandria (KAEX), United States — 13:02 local, 19:02 UTC',
    );
    expect(b.message).not.toMatch(/<[a-z]/);
    const [head, data] = b.base64_attachments[0].split(',');
    expect(head).toBe('data:image/png;filename=map.png;base64');
    expect(Buffer.from(data, 'base64').subarray(0, 4)).toEqual(PNG_MAGIC);
  });

  it('a refused sender is permanent (not retried forever), and the reason is kept', async () => {
    const e = await deliveryError(createSignalChannel({ ...config, number: '+15550100002' }).send(landingAlert()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toContain('is not registered');
  });
});
