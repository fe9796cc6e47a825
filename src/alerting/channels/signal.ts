/**
 * Signal through a signal-cli-rest-api server (github.com/bbernhard/signal-cli-rest-api, Swagger at
 * /v1/api-docs): POST /v2/send {message, number, recipients, base64_attachments} → 201 {timestamp}. The map
 * travels as a data-URI attachment. Plain text (Signal renders no markup); long messages are cut at 2,000
 * characters, past which Signal turns the text into a file. No idempotency key exists: the notification
 * log keeps a delivered alert from being sent again.
 */
import type { SignalChannelConfig } from '../../config/channels-schema';
import type { Channel } from '../channel';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { fitLines, plainLines } from './chat/compose';
import { expectOk, joinUrl, request } from './chat/http';

export const SIGNAL_TEXT_MAX = 2000;

export function createSignalChannel(config: SignalChannelConfig, deps: ChannelDeps = {}): Channel {
  let token: string | undefined;
  return chatChannel({
    config,
    deps,
    secrets: (env, need) => {
      if (config.tokenEnv) token = need(env, config.tokenEnv, 'the bearer token of the proxy in front of the server');
    },
    async send(alert, { parts, map, http }) {
      const body = {
        message: fitLines(plainLines(parts), SIGNAL_TEXT_MAX),
        number: config.number,
        recipients: config.recipients,
        text_mode: 'normal',
        ...(map
          ? { base64_attachments: [`data:image/png;filename=map.png;base64,${map.png.toString('base64')}`] }
          : {}),
      };
      const res = await request(config.id, () =>
        http.post(joinUrl(config.apiUrl, '/v2/send'), body, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        }),
      );
      const data = expectOk(config.id, res, 'send') as { timestamp?: string | number };
      return { detail: `HTTP ${res.status}; timestamp ${data?.timestamp ?? '?'}` };
    },
  });
}
