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
import { createOutboxChannel, OUTBOX_INDEX, outboxPaths } from '../../../../src/alerting/channels/outbox';
import { serializeWebhookBody, webhookBodySchema } from '../../../../src/alerting/payload';
import { channelDisabledAlert, hostileAlert, landingAlert } from '../../../unit/alerting/channels/fixture';
import { pngInfo } from '../../../unit/alerting/channels/png';

describe('outbox channel', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'fw-outbox-')), 'outbox');
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  const alertFiles = () => readdirSync(dir).filter((f) => f !== OUTBOX_INDEX);

  it('writes the e-mail and the webhook body, named by time, event and aircraft, creating the folder', async () => {
    const ch = createOutboxChannel({ id: 'outbox', kind: 'outbox', dir });
    const alert = landingAlert('outbox');
    const receipt = await ch.send(alert);
    const files = outboxPaths(dir, alert);
    expect(path.basename(files.eml)).toMatch(/^2026-11-27T19-02-00Z_landing_N917XA_[0-9a-f]{10}\.eml$/);
    expect(receipt.detail).toBe(`wrote ${files.eml} and ${files.json}`);
    expect(alertFiles().sort()).toEqual([path.basename(files.eml), path.basename(files.json)]);

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
    const files = outboxPaths(dir, alert);
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
    const files = outboxPaths(dir, alert);
    // Its mtime set an hour back: a rewrite, however soon after the first send, would move it.
    const anHourAgo = new Date(Date.now() - 3600_000);
    utimesSync(files.eml, anHourAgo, anHourAgo);
    const before = { eml: readFileSync(files.eml), mtime: statSync(files.eml).mtimeMs };
    expect((await ch.send(alert)).detail).toBe(`already in outbox: ${files.eml}`);
    expect(readFileSync(files.eml).equals(before.eml)).toBe(true);
    expect(statSync(files.eml).mtimeMs).toBe(before.mtime);
    expect(alertFiles()).toHaveLength(2);
    // a half-written pair (crash between the two renames) is completed on the retry
    unlinkSync(files.eml);
    await ch.send(alert);
    expect(alertFiles().sort()).toEqual([path.basename(files.eml), path.basename(files.json)]);
    // different alerts never share files
    await ch.send(landingAlert('other'));
    expect(alertFiles()).toHaveLength(4);
  });

  it('leaves no temp files behind and keeps hostile strings out of headers', async () => {
    const ch = createOutboxChannel({ id: 'outbox', kind: 'outbox', dir });
    await ch.send(hostileAlert('outbox'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const raw = readFileSync(outboxPaths(dir, hostileAlert('outbox')).eml, 'utf8');
    expect(raw).not.toMatch(/^(Bcc|X-Injected):/im);
    const m = await simpleParser(raw);
    expect(m.html).not.toContain('<script>');
  });

  it('keeps index.html listing every alert newest first, also when sends overlap', async () => {
    const ch = createOutboxChannel({ id: 'outbox', kind: 'outbox', dir });
    const at = (minute: number, channel: string) => {
      const a = landingAlert(channel);
      a.id = `${a.id}:${minute}`;
      a.event.time = `2026-11-27T19:${String(minute).padStart(2, '0')}:00.000Z`;
      return a;
    };
    // Ten sends at once: each rebuild that starts before the last write is followed by one that lists it.
    const alerts = Array.from({ length: 10 }, (_, i) => at(i, `c${i}`));
    await Promise.all(alerts.map((a) => ch.send(a)));
    await ch.send(channelDisabledAlert('outbox'));
    await ch.send(hostileAlert('outbox'));
    const html = readFileSync(path.join(dir, OUTBOX_INDEX), 'utf8');
    const listed = [...html.matchAll(/href="([^"]+)\.eml"/g)].map((m) => decodeURIComponent(m[1]));
    expect(listed).toHaveLength(12);
    for (const a of [...alerts, channelDisabledAlert('outbox'), hostileAlert('outbox')])
      expect(listed).toContain(path.basename(outboxPaths(dir, a).eml, '.eml'));
    // Newest first: 19:09 … 19:00 (the 19:02 hostile one among them).
    const times = [...html.matchAll(/<td>(2026-11-27 19:\d\d:00 UTC)<\/td>/g)].map((m) => m[1]);
    expect(times).toEqual([...times].sort().reverse());
    expect(times[0]).toBe('2026-11-27 19:09:00 UTC');
    expect(html).toContain('<td>operational channel disabled</td>');
    expect(html).toContain('12 alerts, newest first');
    expect(html).not.toMatch(/<b>|<script/i);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
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
