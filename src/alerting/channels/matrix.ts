/**
 * Matrix client-server API (spec.matrix.org/v1.11/client-server-api): the text as an m.room.message with an
 * HTML formatted_body, then the map uploaded (POST /_matrix/media/v3/upload) and sent as m.image. Sends are
 * PUT …/send/m.room.message/{txnId} with txn ids derived from the alert id: the homeserver answers a repeated
 * txn id with the first event id instead of posting again, so retries are idempotent (per access token).
 * Errors: 429 M_LIMIT_EXCEEDED {retry_after_ms}; 401 M_UNKNOWN_TOKEN; 403 M_FORBIDDEN (not in the room).
 */
import type { MatrixChannelConfig } from '../../config/channels-schema';
import type { Channel } from '../channel';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { fitLines, mapAlt, plainLines } from './chat/compose';
import { expectOk, joinUrl, request } from './chat/http';
import { htmlLines } from './chat/markup';
import { fileStem } from './ids';
import { escapeHtml } from './render/sanitize';

/** Matrix events are capped at 65,536 bytes; stay well under with both bodies. */
const MATRIX_TEXT_MAX = 16_000;

export function createMatrixChannel(config: MatrixChannelConfig, deps: ChannelDeps = {}): Channel {
  let token = '';
  return chatChannel({
    config,
    deps,
    secrets: (env, need) => {
      token = need(env, config.tokenEnv, "the bot account's access token");
    },
    async send(alert, { parts, map, http }) {
      const auth = { authorization: `Bearer ${token}` };
      const room = encodeURIComponent(config.roomId);
      const txn = fileStem(alert.id);
      const put = async (suffix: string, content: object) => {
        const url = joinUrl(config.apiUrl, `/_matrix/client/v3/rooms/${room}/send/m.room.message/${txn}${suffix}`);
        const res = await request(config.id, () => http.put(url, content, { headers: auth }));
        return (expectOk(config.id, res, 'send') as { event_id?: string })?.event_id ?? '?';
      };
      const text = await put('', {
        msgtype: 'm.text',
        body: `${fitLines(plainLines(parts), MATRIX_TEXT_MAX)}\n${parts.ref}`,
        format: 'org.matrix.custom.html',
        formatted_body: `${fitLines(htmlLines(parts), MATRIX_TEXT_MAX, undefined, '<br>\n')}<br>\n<small>${escapeHtml(parts.ref)}</small>`,
      });
      if (!map) return { detail: `event ${text}` };
      const up = await request(config.id, () =>
        http.post(joinUrl(config.apiUrl, '/_matrix/media/v3/upload?filename=map.png'), map.png, {
          headers: { ...auth, 'content-type': 'image/png' },
        }),
      );
      const uri = (expectOk(config.id, up, 'media upload') as { content_uri?: string })?.content_uri;
      if (!uri) return { detail: `event ${text}; map not sent (no content_uri)` };
      const image = await put('-map', {
        msgtype: 'm.image',
        body: mapAlt(parts),
        filename: 'map.png',
        url: uri,
        info: { mimetype: 'image/png', w: map.width, h: map.height, size: map.png.length },
      });
      return { detail: `events ${text}, ${image}` };
    },
  });
}
