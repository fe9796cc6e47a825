/**
 * Apprise API (github.com/caronc/apprise-api): one server that forwards to ~100 services. POST
 * /notify/{key} (URLs stored on the server) or POST /notify with `urls` (from an env var: Apprise URLs carry
 * the services' secrets), multipart with title, body, type, format and the map as `attach`. 200 = sent;
 * 424 = some services failed (retried); 204/400 = nothing to notify or a bad request.
 */
import type { AppriseChannelConfig } from '../../config/channels-schema';
import type { Channel } from '../channel';
import { DeliveryError } from '../channel';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { fitLines, plainLines } from './chat/compose';
import { expectOk, joinUrl, request } from './chat/http';

export function createAppriseChannel(config: AppriseChannelConfig, deps: ChannelDeps = {}): Channel {
  let urls: string | undefined;
  return chatChannel({
    config,
    deps,
    secrets: (env, need) => {
      if (config.urlsEnv) urls = need(env, config.urlsEnv, 'Apprise URLs, space separated');
    },
    async send(alert, { parts, map, http }) {
      const form = new FormData();
      form.append('title', parts.headline);
      form.append('body', `${fitLines(plainLines(parts, { links: 3 }).slice(1), 7000)}\n\n${parts.ref}`);
      form.append('type', alert.operational ? 'warning' : 'info');
      form.append('format', 'text');
      if (config.tag) form.append('tag', config.tag);
      if (urls) form.append('urls', urls);
      if (map) form.append('attach', new Blob([map.png], { type: 'image/png' }), 'map.png');
      const path = config.key ? `/notify/${config.key}` : '/notify';
      const res = await request(config.id, () => http.post(joinUrl(config.apiUrl, path), form));
      if (res.status === 424)
        throw new DeliveryError(config.id, 'transient', 'notify: HTTP 424, one or more services failed');
      if (res.status === 204)
        throw new DeliveryError(config.id, 'permanent', 'notify: HTTP 204, no services matched (check key and tag)');
      expectOk(config.id, res, 'notify');
      return { detail: `HTTP ${res.status}` };
    },
  });
}
