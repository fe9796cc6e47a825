/**
 * Outbox channel: with no channel configured, each alert becomes `<alert id>.eml` (the exact e-mail the SMTP
 * channel would send, RFC 822 with CRLF) and `<alert id>.json` (the exact webhook body) in a folder, so a
 * first run shows results without any server. Writes are atomic (temp file + rename in the same folder) and
 * idempotent: an alert whose two files exist is not written again.
 */
import nodemailer from 'nodemailer';
import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeliveryError, type Alert, type Channel, type DeliveryReceipt } from '../channel';
import { serializeWebhookBody } from '../payload';
import type { OutboxChannelConfig } from '../../config/channels-schema';
import { resolveDeps, type ChannelDeps } from './deps';
import { DEFAULT_FROM } from './email';
import { fileStem } from './ids';
import { buildMessage } from './render/message';

export const OUTBOX_TO = 'flightwatch-outbox@localhost';

// Disk errors that no retry fixes; everything else (ENOSPC, EMFILE, EBUSY, …) may clear up.
const PERMANENT_FS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'EINVAL']);

export function outboxPaths(dir: string, alertId: string): { eml: string; json: string } {
  const stem = path.join(dir, fileStem(alertId));
  return { eml: `${stem}.eml`, json: `${stem}.json` };
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

async function writeAtomic(file: string, data: Buffer | string): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await writeFile(tmp, data, { flush: true });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

export function createOutboxChannel(config: OutboxChannelConfig, deps: ChannelDeps = {}): Channel {
  const { env, log, watch } = resolveDeps(deps);
  const dir = path.resolve(config.dir);
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

  return {
    id: config.id,
    kind: 'outbox',
    async send(alert: Alert): Promise<DeliveryReceipt> {
      const files = outboxPaths(dir, alert.id);
      try {
        if ((await exists(files.eml)) && (await exists(files.json)))
          return { detail: `already in outbox: ${files.eml}` };
        await mkdir(dir, { recursive: true });
        const message = buildMessage(alert, {
          from: env.SMTP_FROM ?? DEFAULT_FROM,
          to: [OUTBOX_TO],
          subjectPrefix: '[flightwatch]',
          map: true,
          log,
          watch,
        });
        const info = await composer.sendMail(message);
        // The .json first: a crash between the two leaves the .eml missing, so the retry writes both again.
        await writeAtomic(files.json, serializeWebhookBody(alert));
        await writeAtomic(files.eml, info.message as Buffer);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        throw new DeliveryError(
          config.id,
          PERMANENT_FS.has(code) ? 'permanent' : 'transient',
          `${code}: cannot write to ${dir}: ${(err as Error).message}`,
        );
      }
      return { detail: `wrote ${files.eml} and ${files.json}` };
    },
  };
}
