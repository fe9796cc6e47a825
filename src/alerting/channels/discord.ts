/**
 * Discord webhook (discord.com/developers/docs/resources/webhook#execute-webhook): POST {url}?wait=true as
 * multipart — payload_json with one embed (title ≤ 256, description ≤ 4,096, ≤ 25 fields of ≤ 1,024, all
 * embeds ≤ 6,000 characters) whose image is the attached map (attachment://map.png, with its alt text as the
 * attachment description). allowed_mentions is empty, so an @everyone in an API string pings nobody.
 * wait=true makes Discord answer with the message (so a 2xx means it was posted). 429 carries retry_after
 * (seconds) in the body; 401/403 and 404 Unknown Webhook disable the channel.
 */
import type { DiscordChannelConfig } from '../../config/channels-schema';
import type { Channel } from '../channel';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { fitLines, mapAlt } from './chat/compose';
import { expectOk, request } from './chat/http';
import { discordEscape as esc } from './chat/markup';
import { oneLine } from './render/sanitize';

const COLOURS: Record<string, number> = { observed: 0x1e6b34, inferred: 0x8a5a00, predicted: 0x1b4965, test: 0x6b6b6b };

export function createDiscordChannel(config: DiscordChannelConfig, deps: ChannelDeps = {}): Channel {
  let url = '';
  return chatChannel({
    config,
    deps,
    secrets: (env, need) => {
      url = need(env, config.webhookUrlEnv, 'the webhook URL');
    },
    async send(alert, { parts, map, http }) {
      const description = fitLines(
        [
          ...(parts.view.summary ? [esc(parts.view.summary)] : []),
          ...(parts.sure ? [`*How sure: ${esc(parts.sure)}*`] : []),
          ...(parts.legs.length ? ['**Trip so far**', ...parts.legs.map(esc)] : []),
          ...(parts.why.length ? [`**Watched:** ${esc(parts.why.join('; '))}`] : []),
          ...parts.links.map((l) => `[${esc(l.label)}](${l.href.replace(/[()\s]/g, encodeURIComponent)})`),
        ],
        3000,
      );
      const embed = {
        title: oneLine(parts.headline, 256),
        description,
        ...(parts.links[0] ? { url: parts.links[0].href } : {}),
        color: COLOURS[parts.view.certainty?.level ?? ''] ?? 0x5b6770,
        fields: parts.facts.slice(0, 10).map((f) => ({
          name: oneLine(f.label, 256),
          value: esc(oneLine(f.value, 1000)),
          inline: f.value.length < 40,
        })),
        footer: { text: oneLine(`${parts.ref}. ${parts.footer}`, 500) },
        ...(alert.operational ? {} : { timestamp: alert.event.time }),
        ...(map ? { image: { url: 'attachment://map.png' } } : {}),
      };
      const payload = {
        username: config.username,
        embeds: [embed],
        allowed_mentions: { parse: [] },
        ...(map ? { attachments: [{ id: 0, filename: 'map.png', description: mapAlt(parts).slice(0, 1024) }] } : {}),
      };
      const target = `${url}${url.includes('?') ? '&' : '?'}wait=true`;
      let res;
      if (map) {
        const form = new FormData();
        form.append('payload_json', JSON.stringify(payload));
        form.append('files[0]', new Blob([map.png], { type: 'image/png' }), 'map.png');
        res = await request(config.id, () => http.post(target, form));
      } else res = await request(config.id, () => http.post(target, payload));
      const msg = expectOk(config.id, res, 'webhook') as { id?: string };
      return { detail: `HTTP ${res.status}; message ${msg?.id ?? '?'}` };
    },
  });
}
