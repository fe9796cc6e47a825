/**
 * Bluesky channel against a stand-in PDS speaking XRPC (https://docs.bsky.app/docs/advanced-guides/posts,
 * lexicons com.atproto.server.createSession, com.atproto.repo.uploadBlob, com.atproto.repo.createRecord):
 * posts of ≤ 300 graphemes, link facets with UTF-8 byte offsets, an images embed with alt text; 401
 * AuthenticationRequired for a bad app password, 400 ExpiredToken for an old session.
 */
import { BLUESKY_GRAPHEMES, createBlueskyChannel } from '../../../../../src/alerting/channels/bluesky';
import { graphemes } from '../../../../../src/alerting/channels/chat/compose';
import type { BlueskyChannelConfig } from '../../../../../src/config/channels-schema';
import { channelSchema } from '../../../../../src/config/channels-schema';
import { landingAlert } from '../../../../unit/alerting/channels/fixture';
import { deliveryError, PNG_MAGIC, startStandIn, type Captured, type Reply, type StandIn } from './standin';

const env = { BSKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop' };
const DID = 'did:plc:flightwatchtest';

interface Post {
  text: string;
  facets?: { index: { byteStart: number; byteEnd: number }; features: { uri: string }[] }[];
  embed?: { images: { alt: string; image: unknown }[] };
}

describe('bluesky channel (PDS stand-in)', () => {
  let api: StandIn;
  let config: BlueskyChannelConfig;
  const records = new Map<string, Post>();
  let sessions = 0;
  let expireNext = false;
  beforeEach(async () => {
    records.clear();
    sessions = 0;
    api = await startStandIn((r: Captured): Reply => {
      const body = r.json as Record<string, unknown> | undefined;
      if (r.path === '/xrpc/com.atproto.server.createSession') {
        if (body?.password !== env.BSKY_APP_PASSWORD)
          return { status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } };
        sessions++;
        return { status: 200, body: { accessJwt: `jwt-${sessions}`, refreshJwt: 'r', did: DID, handle: 'fw.test' } };
      }
      if (expireNext) {
        expireNext = false;
        return { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } };
      }
      if (r.headers.authorization !== `Bearer jwt-${sessions}`) return { status: 401, body: { error: 'AuthMissing' } };
      if (r.path === '/xrpc/com.atproto.repo.uploadBlob')
        return {
          status: 200,
          body: {
            blob: { $type: 'blob', ref: { $link: 'bafkrei' }, mimeType: r.headers['content-type'], size: r.raw.length },
          },
        };
      if (r.path === '/xrpc/com.atproto.repo.createRecord') {
        const rkey = String(body!.rkey);
        if (records.has(rkey))
          return { status: 400, body: { error: 'InvalidRequest', message: 'Record already exists' } };
        records.set(rkey, body!.record as Post);
        return { status: 200, body: { uri: `at://${DID}/app.bsky.feed.post/${rkey}`, cid: 'bafy' } };
      }
      return { status: 404, body: { error: 'MethodNotImplemented' } };
    });
    config = channelSchema.parse({
      id: 'bsky',
      kind: 'bluesky',
      apiUrl: api.url,
      identifier: 'fw.test',
      passwordEnv: 'BSKY_APP_PASSWORD',
    }) as BlueskyChannelConfig;
  });
  afterEach(() => api.close());

  it('posts ≤ 300 graphemes with a link facet at the right byte offsets and the map with alt text', async () => {
    const receipt = await createBlueskyChannel(config, { env }).send(landingAlert());
    expect(receipt.detail).toMatch(new RegExp(`^HTTP 200; at://${DID}/app.bsky.feed.post/[2-7a-z]{13}$`));
    const upload = api.requests.find((r) => r.path.endsWith('uploadBlob'))!;
    expect(upload.raw.subarray(0, 4)).toEqual(PNG_MAGIC);
    const post = [...records.values()][0];
    expect(graphemes(post.text)).toBeLessThanOrEqual(BLUESKY_GRAPHEMES);
    const f = post.facets![0];
    // The em dash in the headline is 3 bytes: offsets must be bytes, not characters.
    const label = Buffer.from(post.text, 'utf8').subarray(f.index.byteStart, f.index.byteEnd).toString('utf8');
    expect(label).toBe('Track on ADS-B Exchange');
    expect(f.features[0].uri).toMatch(/^https:\/\/globe\.adsbexchange\.com\/\?icao=ab12cd&showTrace=2026-11-27/);
    expect(post.embed!.images[0].alt).toMatch(/^Map: Boeing 737-800 N917XA landed/);
  });

  it('a retry writes the same record key: the second send finds it posted, the feed has one post', async () => {
    const ch = createBlueskyChannel({ ...config, map: false }, { env });
    await ch.send(landingAlert());
    expect((await ch.send(landingAlert())).detail).toMatch(/^already posted/);
    expect(records.size).toBe(1);
    expect(sessions).toBe(1); // the session is reused
  });

  it('logs in again once on ExpiredToken; a wrong app password disables the channel', async () => {
    const ch = createBlueskyChannel({ ...config, map: false }, { env });
    await ch.send(landingAlert());
    expireNext = true;
    const later = landingAlert();
    later.id += ':later';
    await ch.send(later);
    expect(sessions).toBe(2);
    expect(records.size).toBe(2);
    const gone = await deliveryError(
      createBlueskyChannel(config, { env: { BSKY_APP_PASSWORD: 'old' } }).send(landingAlert()),
    );
    expect(gone.kind).toBe('gone');
    expect(gone.message).toContain('Invalid identifier or password');
  });
});
