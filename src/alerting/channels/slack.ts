/**
 * Slack incoming webhook (api.slack.com/messaging/webhooks) with Block Kit (api.slack.com/reference/block-kit):
 * a header block (plain text, ≤ 150 characters), a section per part in mrkdwn (≤ 3,000 each), a context line.
 * `text` is the notification fallback. The webhook URL is the secret, so it is read from an env var and never
 * logged. Replies are plain text: "ok", or invalid_payload / invalid_token (403) / no_service (404) /
 * channel_is_archived (410); 429 with Retry-After. Incoming webhooks cannot upload files: no map.
 */
import type { SlackChannelConfig } from '../../config/channels-schema';
import type { Channel } from '../channel';
import { DeliveryError } from '../channel';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { fitLines } from './chat/compose';
import { expectOk, request } from './chat/http';
import { slackEscape as esc, slackLink } from './chat/markup';
import { oneLine } from './render/sanitize';

export function createSlackChannel(config: SlackChannelConfig, deps: ChannelDeps = {}): Channel {
  let url = '';
  return chatChannel({
    config: { ...config, map: false },
    deps,
    secrets: (env, need) => {
      url = need(env, config.webhookUrlEnv, 'the incoming-webhook URL');
    },
    async send(_alert, { parts, http }) {
      const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: fitLines([text], 3000) } });
      const facts = parts.facts.map((f) => `*${esc(f.label)}:* ${esc(f.value)}`);
      const blocks: object[] = [
        { type: 'header', text: { type: 'plain_text', text: oneLine(parts.headline, 150), emoji: false } },
      ];
      if (parts.view.summary) blocks.push(section(esc(parts.view.summary)));
      if (parts.sure) blocks.push(section(`_How sure: ${esc(parts.sure)}_`));
      if (facts.length) blocks.push(section(fitLines(facts, 3000)));
      if (parts.legs.length) blocks.push(section(fitLines(['*Trip so far*', ...parts.legs.map(esc)], 3000)));
      if (parts.why.length) blocks.push(section(`*Watched:* ${esc(parts.why.join('; '))}`));
      const links = parts.links.map((l) => slackLink(l.href, l.label)).join(' · ');
      blocks.push({
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: fitLines(
              [links ? `Check: ${links}` : ' ', esc(`${parts.ref}. ${parts.footer}`)],
              3000,
              undefined,
              '\n',
            ),
          },
        ],
      });
      const res = await request(config.id, () => http.post(url, { text: esc(parts.headline), blocks }));
      if (res.status === 410)
        throw new DeliveryError(config.id, 'gone', `webhook: HTTP 410 ${oneLine(String(res.data), 80)}`);
      expectOk(config.id, res, 'webhook');
      return { detail: `HTTP ${res.status}` };
    },
  });
}
