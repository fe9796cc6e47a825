/**
 * Outbox channel: with no channel configured, each alert becomes `<stem>.eml` (the exact e-mail the SMTP
 * channel would send, RFC 822 with CRLF) and `<stem>.json` (the exact webhook body) in a folder, so a first
 * run shows results without any server. The stem reads as time, event, aircraft and a hash of the alert id
 * (outbox-index.ts), and index.html lists the alerts newest first. Writes are atomic (temp file + rename in
 * the same folder) and idempotent: an alert whose two files exist is not written again.
 */
import nodemailer from 'nodemailer';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeliveryError, type Alert, type Channel, type DeliveryReceipt } from '../channel';
import { serializeWebhookBody } from '../payload';
import type { OutboxChannelConfig } from '../../config/channels-schema';
import { resolveDeps, type ChannelDeps } from './deps';
import { DEFAULT_FROM } from './email';
import { indexRows, outboxStem, renderIndex } from './outbox-index';
import { buildMessage } from './render/message';

export const OUTBOX_TO = 'flightwatch-outbox@localhost';

// Disk errors that no retry fixes; everything else (ENOSPC, EMFILE, EBUSY, …) may clear up.
const PERMANENT_FS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'EINVAL']);

export const OUTBOX_INDEX = 'index.html';

export function outboxPaths(dir: string, alert: Alert): { eml: string; json: string } {
  const stem = path.join(dir, outboxStem(alert));
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

  // One rebuild at a time; writes that land meanwhile get one more rebuild after it (which lists them all).
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const buildIndex = async () => {
    try {
      const rows = indexRows(await readdir(dir));
      await writeAtomic(path.join(dir, OUTBOX_INDEX), renderIndex(rows, new Date()));
    } catch (err) {
      // The alert itself is written; a stale index heals on the next write.
      log.warn({ channel: config.id, err: (err as Error).message }, 'outbox index.html not updated');
    }
  };
  const refreshIndex = (): Promise<void> => {
    if (!running) {
      running = buildIndex().finally(() => (running = undefined));
      return running;
    }
    next ??= running.then(() => {
      next = undefined;
      return refreshIndex();
    });
    return next;
  };

  return {
    id: config.id,
    kind: 'outbox',
    async send(alert: Alert): Promise<DeliveryReceipt> {
      const files = outboxPaths(dir, alert);
      try {
        if ((await exists(files.eml)) && (await exists(files.json))) {
          await refreshIndex();
          return { detail: `already in outbox: ${files.eml}` };
        }
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
      await refreshIndex();
      return { detail: `wrote ${files.eml} and ${files.json}` };
    },
  };
}
