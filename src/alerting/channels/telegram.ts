/**
 * Telegram Bot API (core.telegram.org/bots/api): sendPhoto with the map and an HTML caption (≤ 1,024
 * characters), or sendMessage (≤ 4,096) without a map. One request per alert, so a retry cannot post half a
 * message twice. Plain HTTP: two methods do not need a client library. The token is in the URL path, so no
 * URL ever reaches an error message. Replies `{ok:false, error_code, description, parameters.retry_after}`.
 */
import type { TelegramChannelConfig } from '../../config/channels-schema';
import type { Channel } from '../channel';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { fitLines } from './chat/compose';
import { expectOk, joinUrl, request } from './chat/http';
import { htmlLines } from './chat/markup';

export const TELEGRAM_TEXT_MAX = 4096;
export const TELEGRAM_CAPTION_MAX = 1024;

export function createTelegramChannel(config: TelegramChannelConfig, deps: ChannelDeps = {}): Channel {
  let token = '';
  return chatChannel({
    config,
    deps,
    secrets: (env, need) => {
      token = need(env, config.tokenEnv, 'the bot token from @BotFather');
    },
    async send(alert, { parts, map, http }) {
      const base = joinUrl(config.apiUrl, `/bot${token}`);
      const common = {
        chat_id: config.chatId,
        parse_mode: 'HTML',
        ...(config.threadId ? { message_thread_id: config.threadId } : {}),
      };
      const lines = htmlLines(parts);
      let res;
      if (map) {
        const form = new FormData();
        for (const [k, v] of Object.entries(common)) form.append(k, String(v));
        form.append('caption', fitLines(lines, TELEGRAM_CAPTION_MAX));
        form.append('photo', new Blob([map.png], { type: 'image/png' }), 'map.png');
        res = await request(config.id, () => http.post(`${base}/sendPhoto`, form));
      } else {
        const body = {
          ...common,
          text: fitLines(lines, TELEGRAM_TEXT_MAX),
          link_preview_options: { is_disabled: true },
        };
        res = await request(config.id, () => http.post(`${base}/sendMessage`, body));
      }
      const data = expectOk(config.id, res, map ? 'sendPhoto' : 'sendMessage') as {
        result?: { message_id?: number };
      };
      return { detail: `HTTP ${res.status}; message_id ${data?.result?.message_id ?? '?'}` };
    },
  });
}
