/** Outbox channel on a real temp folder: one .eml (parsed back with mailparser) and one .json per alert. */
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { DeliveryError } from '../../../../src/alerting/channel';
import { createOutboxChannel, outboxPaths } from '../../../../src/alerting/channels/outbox';
import { serializeWebhookBody, webhookBodySchema } from '../../../../src/alerting/payload';
import { channelDisabledAlert, hostileAlert, landingAlert } from '../../../unit/alerting/channels/fixture';
import { pngInfo } from '../../../unit/alerting/channels/png';

describe('outbox channel', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'fw-outbox-')), 'outbox');
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('writes the e-mail and the webhook body, named from the alert id, creating the folder', async () => {
    const ch = createOutboxChannel({ id: 'outbox', kind: 'outbox', dir });
    const alert = landingAlert('outbox');
    const receipt = await ch.send(alert);
    const files = outboxPaths(dir, alert.id);
    expect(files.eml).toBe(path.join(dir, 'ab12cd=3Alanding=3A20261127T1900=3Aoutbox.eml'));
    expect(receipt.detail).toBe(`wrote ${files.eml} and ${files.json}`);
    expect(readdirSync(dir).sort()).toEqual([path.basename(files.eml), path.basename(files.json)]);

    expect(readFileSync(files.json, 'utf8')).toBe(serializeWebhookBody(alert));
    const raw = readFileSync(files.eml);
    expect(raw.toString()).toMatch(/\r\n/);
    const m = await simpleParser(raw);
    expect(m.subject).toBe(
      '[flightwatch] Boeing 737-800 N917XA landed at Alexandria (KAEX), United States — 13:02 local, 19:02 UTC',
    );
    expect(m.messageId).toBe('<ab12cd=3Alanding=3A20261127T1900=3Aoutbox@flightwatch>');
    expect(m.text).toContain('https://globe.airplanes.live/?icao=ab12cd');
    expect(m.attachments).toHaveLength(1);
    expect(pngInfo(m.attachments[0].content).width).toBe(640);
  });

  it('writes an operational alert as an operational e-mail and body: no aircraft, no map links, no map', async () => {
    const ch = createOutboxChannel({ id: 'outbox', kind: 'outbox', dir });
    const alert = channelDisabledAlert('outbox');
    await ch.send(alert);
    const files = outboxPaths(dir, alert.id);
    const body = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(webhookBodySchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      type: 'flightwatch.operational',
      operational: true,
      event: { type: 'operational', details: { operational: { kind: 'channel-disabled', channelId: 'partner' } } },
    });
    expect(body).not.toHaveProperty('links');
    const m = await simpleParser(readFileSync(files.eml));
    expect(m.subject).toBe('[flightwatch] operational: alert channel disabled (partner)');
    expect(m.headers.get('x-flightwatch-event')).toBe('operational channel-disabled');
    expect(m.attachments).toHaveLength(0);
    expect(m.text).toContain('Channel partner is disabled');
    for (const part of [m.text ?? '', String(m.html)]) expect(part).not.toMatch(/globe\.|public maps|cid:|hex /);
  });

  it('is idempotent: the same alert again leaves the files untouched', async () => {
    const ch = createOutboxChannel({ id: 'outbox', kind: 'outbox', dir });
    const alert = landingAlert('outbox');
    await ch.send(alert);
    const files = outboxPaths(dir, alert.id);
    // Its mtime set an hour back: a rewrite, however soon after the first send, would move it.
    const anHourAgo = new Date(Date.now() - 3600_000);
    utimesSync(files.eml, anHourAgo, anHourAgo);
    const before = { eml: readFileSync(files.eml), mtime: statSync(files.eml).mtimeMs };
    expect((await ch.send(alert)).detail).toBe(`already in outbox: ${files.eml}`);
    expect(readFileSync(files.eml).equals(before.eml)).toBe(true);
    expect(statSync(files.eml).mtimeMs).toBe(before.mtime);
    expect(readdirSync(dir)).toHaveLength(2);
    // a half-written pair (crash between the two renames) is completed on the retry
    unlinkSync(files.eml);
    await ch.send(alert);
    expect(readdirSync(dir).sort()).toEqual([path.basename(files.eml), path.basename(files.json)]);
    // different alerts never share files
    await ch.send(landingAlert('other'));
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it('leaves no temp files behind and keeps hostile strings out of headers', async () => {
    const ch = createOutboxChannel({ id: 'outbox', kind: 'outbox', dir });
    await ch.send(hostileAlert('outbox'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const raw = readFileSync(outboxPaths(dir, hostileAlert('outbox').id).eml, 'utf8');
    expect(raw).not.toMatch(/^(Bcc|X-Injected):/im);
    const m = await simpleParser(raw);
    expect(m.html).not.toContain('<script>');
  });

  it('reports an unwritable folder as a permanent delivery error naming it', async () => {
    writeFileSync(path.join(path.dirname(dir), 'file'), 'x');
    const bad = path.join(path.dirname(dir), 'file', 'outbox');
    const ch = createOutboxChannel({ id: 'outbox', kind: 'outbox', dir: bad });
    const err = await ch.send(landingAlert('outbox')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ kind: 'permanent', channelId: 'outbox' });
    expect((err as Error).message).toContain(bad);
  });
});
