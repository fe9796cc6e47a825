/**
 * Alert → nodemailer message, shared by the SMTP channel and the outbox so both produce the same e-mail.
 * The map is best effort: if rendering fails the e-mail goes out without it (logged), never not at all.
 */
import type { SendMailOptions } from 'nodemailer';
import type { Logger } from '../../../util/log';
import type { Alert } from '../../channel';
import { messageId } from '../ids';
import { renderEventMap, type MapImage } from '../map';
import { renderHtml, MAP_CID } from './html';
import { headerText } from './sanitize';
import { renderText } from './text';
import { alertView, subject, type WatchInfo } from './view';
import { digestParts } from './digest';

export interface MessageOptions {
  from: string;
  to: string[];
  subjectPrefix: string;
  map: boolean;
  log: Logger;
  /** Watch entries, for the "why this aircraft is watched" part. */
  watch?: readonly WatchInfo[];
  /** Injected by tests to exercise the failure path; defaults to the real renderer. */
  renderMap?: typeof renderEventMap;
}

export function buildMessage(alert: Alert, opts: MessageOptions): SendMailOptions {
  const view = alertView(alert, { watch: opts.watch });
  const op = alert.operational ? alert.event.details.operational : undefined;
  const digest = op?.kind === 'report-digest' ? op : undefined;
  let map: MapImage | null = null;
  // Operational alerts are about flightwatch, not an aircraft: nothing to draw.
  if (opts.map && !alert.operational) {
    try {
      map = (opts.renderMap ?? renderEventMap)(alert.event);
    } catch (err) {
      opts.log.warn({ err, alertId: alert.id, channel: alert.channelId }, 'map rendering failed; sending without map');
    }
  }
  const thread = (alert.threadIds ?? []).map(messageId);
  return {
    from: opts.from,
    to: opts.to,
    subject: subject(alert, opts.subjectPrefix),
    messageId: messageId(alert.id),
    ...(thread.length ? { inReplyTo: thread[thread.length - 1], references: thread } : {}),
    headers: {
      'X-Flightwatch-Alert-Id': headerText(alert.id, 200),
      'X-Flightwatch-Event-Id': headerText(alert.event.id, 200),
      'X-Flightwatch-Event': headerText(
        alert.operational
          ? `operational ${alert.event.details.operational.kind}`
          : `${alert.event.type} ${alert.event.aircraft.hex}`,
        64,
      ),
      // Alerts are machine-generated: no vacation auto-replies back to the sender.
      'Auto-Submitted': 'auto-generated',
    },
    ...(digest
      ? digestParts(digest, { log: opts.log, alertId: alert.id })
      : {
          text: renderText(view, { map: !!map }),
          html: renderHtml(view, { map: map && { width: map.width, height: map.height } }),
          attachments: mapAttachment(map),
        }),
    // Keep the raw 8-bit safe encodings predictable for archived .eml files.
    textEncoding: 'quoted-printable',
  };
}

function mapAttachment(map: MapImage | null): SendMailOptions['attachments'] {
  return map
    ? [
        {
          filename: 'map.png',
          content: map.png,
          contentType: 'image/png',
          cid: MAP_CID,
          contentDisposition: 'inline',
        },
      ]
    : [];
}
