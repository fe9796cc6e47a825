/**
 * Mastodon (docs.joinmastodon.org/methods/media, /methods/statuses): upload the map with its alt text
 * (POST /api/v2/media, `description`), then post the status (POST /api/v1/statuses) with visibility, an
 * optional content warning (spoiler_text) and an Idempotency-Key: the alert id, so a retried post is not
 * duplicated (the server remembers keys for an hour). Plain text: Mastodon renders no markup from the API.
 * Plain HTTP rather than `masto`: two endpoints, and masto ships as ESM only.
 */
import type { MastodonChannelConfig } from '../../config/channels-schema';
import { DeliveryError, type Channel } from '../channel';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { fitLines, mapAlt, plainLines } from './chat/compose';
import { expectOk, joinUrl, request } from './chat/http';
import { webhookId } from './ids';

/** Mastodon counts every URL as 23 characters, whatever its length (docs: "Posting a status"). */
export const mastodonLength = (s: string) => s.replace(/https?:\/\/\S+/g, 'x'.repeat(23)).length;

export function createMastodonChannel(config: MastodonChannelConfig, deps: ChannelDeps = {}): Channel {
  let token = '';
  return chatChannel({
    config,
    deps,
    secrets: (env, need) => {
      token = need(env, config.tokenEnv, 'an access token with write:statuses and write:media');
    },
    async send(alert, { parts, map, http }) {
      const auth = { authorization: `Bearer ${token}` };
      const mediaIds: string[] = [];
      if (map) {
        const form = new FormData();
        form.append('file', new Blob([map.png], { type: 'image/png' }), 'map.png');
        form.append('description', mapAlt(parts).slice(0, 1500));
        const up = await request(config.id, () =>
          http.post(joinUrl(config.apiUrl, '/api/v2/media'), form, { headers: auth }),
        );
        const media = expectOk(config.id, up, 'media upload') as { id?: string };
        if (media?.id) mediaIds.push(String(media.id));
      }
      const body = {
        status: fitLines(plainLines(parts), config.maxChars, mastodonLength),
        visibility: config.visibility,
        language: 'en',
        ...(config.spoilerText ? { spoiler_text: config.spoilerText } : {}),
        ...(mediaIds.length ? { media_ids: mediaIds } : {}),
      };
      const res = await request(config.id, () =>
        http.post(joinUrl(config.apiUrl, '/api/v1/statuses'), body, {
          headers: { ...auth, 'idempotency-key': webhookId(alert.id) },
        }),
      );
      // 422 with media attached: the upload is still processing (202 from /api/v2/media); try again later.
      if (res.status === 422 && mediaIds.length)
        throw new DeliveryError(config.id, 'transient', 'status: HTTP 422, media still processing');
      const status = expectOk(config.id, res, 'status') as { id?: string; url?: string };
      return { detail: `HTTP ${res.status}; status ${status?.id ?? '?'}` };
    },
  });
}
