/**
 * ntfy (docs.ntfy.sh/publish): PUT {apiUrl}/{topic} with the map as the body (an attachment, `Filename`
 * header) and the message in headers — Title, Message, Tags, Priority, Click — or, without a map, the text as
 * the body. Header values are RFC 2047 encoded (ntfy decodes =?UTF-8?B?…?=), so any character survives and no
 * CR/LF can start a header. Token auth: Authorization: Bearer tk_…. Messages are capped at 4,096 bytes.
 */
import type { NtfyChannelConfig } from '../../config/channels-schema';
import type { Channel } from '../channel';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { fitLines, plainLines } from './chat/compose';
import { expectOk, joinUrl, request } from './chat/http';

const NTFY_MESSAGE_MAX_BYTES = 4096;
const b = (s: string) => `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;

export function createNtfyChannel(config: NtfyChannelConfig, deps: ChannelDeps = {}): Channel {
  let token: string | undefined;
  return chatChannel({
    config,
    deps,
    secrets: (env, need) => {
      if (config.tokenEnv) token = need(env, config.tokenEnv, 'an ntfy access token (tk_…)');
    },
    async send(alert, { parts, map, http }) {
      const lines = plainLines(parts).slice(1); // the headline is the title
      const message = fitLines(lines.length ? lines : [' '], NTFY_MESSAGE_MAX_BYTES - 200, (s) => Buffer.byteLength(s));
      const level = parts.view.certainty?.level;
      const priority = alert.operational
        ? 4
        : level === 'predicted'
          ? Math.max(1, config.priority - 1)
          : config.priority;
      const headers: Record<string, string> = {
        title: b(parts.headline),
        tags: [...config.tags, ...(level ? [level] : [])].join(','),
        priority: String(priority),
        ...(parts.links[0] ? { click: parts.links[0].href } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      };
      const url = joinUrl(config.apiUrl, `/${config.topic}`);
      const res = map
        ? await request(config.id, () =>
            http.put(url, map.png, {
              headers: { ...headers, message: b(message), filename: 'map.png', 'content-type': 'image/png' },
            }),
          )
        : await request(config.id, () =>
            http.put(url, message, { headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } }),
          );
      const data = expectOk(config.id, res, 'publish') as { id?: string };
      return { detail: `HTTP ${res.status}; message ${data?.id ?? '?'}` };
    },
  });
}
