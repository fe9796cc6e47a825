/**
 * Bluesky over the AT Protocol's XRPC (docs.bsky.app/docs/advanced-guides/posts): createSession with an app
 * password (cached; recreated once on ExpiredToken), uploadBlob for the map, createRecord of an
 * app.bsky.feed.post of ≤ 300 graphemes whose link is a richtext facet (UTF-8 byte offsets) and whose image
 * embed carries alt text and aspect ratio. The record key is a TID derived from the event time and the alert
 * id, so a retry writes the same record: a "record already exists" answer means it was posted.
 * Plain HTTP rather than @atproto/api: three calls, and that client pulls in a large dependency tree.
 */
import { createHash } from 'node:crypto';
import type { BlueskyChannelConfig } from '../../config/channels-schema';
import { DeliveryError, type Alert, type Channel } from '../channel';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { fitLines, graphemes, mapAlt, type ChatParts } from './chat/compose';
import { expectOk, joinUrl, request } from './chat/http';
import type { AxiosInstance, AxiosResponse } from 'axios';

export const BLUESKY_GRAPHEMES = 300;
const S32 = '234567abcdefghijklmnopqrstuvwxyz';

/** A record key in TID form (atproto.com/specs/tid): 53 bits of microseconds, 10 bits of clock id. */
export function tidFor(alert: Alert): string {
  const ms = Date.parse(alert.event.time);
  const micros = BigInt(Number.isFinite(ms) ? ms : 0) * 1000n;
  const clock = BigInt(createHash('sha256').update(alert.id).digest().readUInt16BE(0) & 0x3ff);
  let n = (micros << 10n) | clock;
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

/** Text ≤ 300 graphemes ending in a short link label, and the facet that makes the label a link. */
export function postText(parts: ChatParts): { text: string; facets: object[] } {
  const link = parts.links[0];
  const label = link ? `Track on ${link.label}` : undefined;
  const lines = [parts.headline, ...(parts.sure ? [`How sure: ${parts.sure}`] : [])];
  for (const f of parts.facts.slice(0, 3)) lines.push(`${f.label}: ${f.value}`);
  if (label) lines.push(label);
  const text = fitLines(lines, BLUESKY_GRAPHEMES, graphemes);
  if (!link || !label || !text.endsWith(label)) return { text, facets: [] };
  const byteStart = Buffer.byteLength(text.slice(0, text.length - label.length), 'utf8');
  return {
    text,
    facets: [
      {
        index: { byteStart, byteEnd: byteStart + Buffer.byteLength(label, 'utf8') },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: link.href }],
      },
    ],
  };
}

interface Session {
  accessJwt: string;
  did: string;
}

export function createBlueskyChannel(config: BlueskyChannelConfig, deps: ChannelDeps = {}): Channel {
  let password = '';
  let session: Session | undefined;
  const xrpc = (m: string) => joinUrl(config.apiUrl, `/xrpc/${m}`);

  async function login(http: AxiosInstance): Promise<Session> {
    const res = await request(config.id, () =>
      http.post(xrpc('com.atproto.server.createSession'), { identifier: config.identifier, password }),
    );
    const s = expectOk(config.id, res, 'createSession') as Partial<Session>;
    if (!s?.accessJwt || !s.did)
      throw new DeliveryError(config.id, 'transient', 'createSession: reply without accessJwt or did');
    session = { accessJwt: s.accessJwt, did: s.did };
    return session;
  }

  /** Runs a call with the session; an expired token logs in again once. */
  async function authed(http: AxiosInstance, call: (s: Session) => Promise<AxiosResponse>): Promise<AxiosResponse> {
    const res = await call(session ?? (await login(http)));
    const err = (res.data as { error?: string } | undefined)?.error;
    if (res.status === 400 && (err === 'ExpiredToken' || err === 'InvalidToken')) return call(await login(http));
    return res;
  }

  return chatChannel({
    config,
    deps,
    secrets: (env, need) => {
      password = need(env, config.passwordEnv, 'an app password');
    },
    async send(alert, { parts, map, http, now }) {
      let embed: object | undefined;
      if (map) {
        const up = await authed(http, (s) =>
          request(config.id, () =>
            http.post(xrpc('com.atproto.repo.uploadBlob'), map.png, {
              headers: { authorization: `Bearer ${s.accessJwt}`, 'content-type': 'image/png' },
            }),
          ),
        );
        const blob = (expectOk(config.id, up, 'uploadBlob') as { blob?: object })?.blob;
        if (blob)
          embed = {
            $type: 'app.bsky.embed.images',
            images: [{ alt: mapAlt(parts), image: blob, aspectRatio: { width: map.width, height: map.height } }],
          };
      }
      const { text, facets } = postText(parts);
      const rkey = tidFor(alert);
      const res = await authed(http, (s) =>
        request(config.id, () =>
          http.post(
            xrpc('com.atproto.repo.createRecord'),
            {
              repo: s.did,
              collection: 'app.bsky.feed.post',
              rkey,
              record: {
                $type: 'app.bsky.feed.post',
                text,
                createdAt: new Date(now()).toISOString(),
                langs: ['en'],
                ...(facets.length ? { facets } : {}),
                ...(embed ? { embed } : {}),
              },
            },
            { headers: { authorization: `Bearer ${s.accessJwt}` } },
          ),
        ),
      );
      const said = JSON.stringify(res.data ?? '');
      if (res.status === 400 && /already exists/i.test(said)) return { detail: `already posted (rkey ${rkey})` };
      const rec = expectOk(config.id, res, 'createRecord') as { uri?: string };
      return { detail: `HTTP ${res.status}; ${rec?.uri ?? rkey}` };
    },
  });
}
