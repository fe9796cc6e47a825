/** E-mail channel against a real SMTP server (smtp-server) that parses what it receives (mailparser). */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DeliveryError } from '../../../../src/alerting/channel';
import { createEmailChannel } from '../../../../src/alerting/channels/email';
import type { EmailChannelConfig } from '../../../../src/config/channels-schema';
import type { Channel } from '../../../../src/alerting/channel';
import { startSmtpSink, type SmtpSink } from '../../../helpers/smtp-sink';
import { hostileAlert, landingAlert } from '../../../unit/alerting/channels/fixture';
import { pngInfo } from '../../../unit/alerting/channels/png';

const config: EmailChannelConfig = {
  id: 'ops',
  kind: 'email',
  to: ['alerts@example.org', 'Desk <desk@example.org>'],
  from: 'flightwatch <fw@example.org>',
  subjectPrefix: '[flightwatch]',
  smtpUrlEnv: 'SMTP_URL',
  map: true,
};

async function sendError(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeliveryError) return e;
    throw e;
  }
  throw new Error('expected a DeliveryError');
}

describe('email channel (real SMTP server)', () => {
  let sink: SmtpSink;
  let ch: Channel;
  beforeAll(async () => {
    sink = await startSmtpSink();
    ch = createEmailChannel(config, { env: { SMTP_URL: sink.url } });
  });
  afterAll(async () => {
    await ch.close?.();
    await sink.close();
  });
  beforeEach(() => {
    sink.fail(null);
    sink.messages.length = 0;
    sink.raw.length = 0;
  });

  it('sends a multipart text + HTML message with subject, links, local time and an inline PNG map', async () => {
    const alert = landingAlert('ops');
    const receipt = await ch.send(alert);
    expect(receipt.detail).toMatch(
      /^250 .*; 2 accepted, 0 rejected; <ab12cd=3Alanding=3A20261127T1900=3Aops@flightwatch>$/,
    );
    const m = sink.messages[0];
    expect(m.subject).toBe(
      '[flightwatch] Boeing 737-800 N917XA landed at Alexandria (KAEX), United States — 13:02 local, 19:02 UTC',
    );
    expect(m.from?.value[0]).toMatchObject({ name: 'flightwatch', address: 'fw@example.org' });
    expect(m.to && !Array.isArray(m.to) && m.to.value.map((a) => a.address)).toEqual([
      'alerts@example.org',
      'desk@example.org',
    ]);
    expect(m.text).toContain('2026-11-27 13:02:00 CST (America/Chicago, UTC-06:00)');
    expect(m.text).toContain('https://globe.adsb.lol/?icao=ab12cd');
    expect(m.html).toContain(
      'href="https://globe.adsbexchange.com/?icao=ab12cd&amp;showTrace=2026-11-27&amp;timestamp=1795806120"',
    );
    expect(m.html).toContain(
      'href="https://globe.airplanes.live/?icao=ab12cd&amp;showTrace=2026-11-27&amp;timestamp=1795806120"',
    );
    expect(m.headers.get('x-flightwatch-event-id')).toBe(alert.event.id);
    expect(m.headers.get('auto-submitted')).toBe('auto-generated');
    // multipart/related (HTML + inline image) inside multipart/alternative with the text part
    expect(sink.raw[0].toString()).toMatch(/Content-Type: multipart\/alternative/);
    expect(m.attachments).toHaveLength(1);
    const att = m.attachments[0];
    expect(att.contentType).toBe('image/png');
    expect(att.contentDisposition).toBe('inline');
    expect(m.html).toContain(`src="cid:${att.cid}"`);
    expect(pngInfo(att.content)).toMatchObject({ width: 640, height: 400 });
  });

  it('uses a deterministic Message-ID (same alert, same id) and threads replies', async () => {
    const alert = { ...landingAlert('ops'), threadIds: ['ab12cd:takeoff:20261127T1500:ops'] };
    await ch.send(alert);
    await ch.send(alert);
    expect(sink.messages.map((m) => m.messageId)).toEqual([
      '<ab12cd=3Alanding=3A20261127T1900=3Aops@flightwatch>',
      '<ab12cd=3Alanding=3A20261127T1900=3Aops@flightwatch>',
    ]);
    expect(sink.messages[0].inReplyTo).toBe('<ab12cd=3Atakeoff=3A20261127T1500=3Aops@flightwatch>');
    expect(sink.messages[0].references).toBe('<ab12cd=3Atakeoff=3A20261127T1500=3Aops@flightwatch>');
  });

  it('escapes HTML in API strings and lets no CR/LF inject a header', async () => {
    await ch.send(hostileAlert());
    const m = sink.messages[0];
    const raw = sink.raw[0].toString();
    expect(m.headers.has('bcc')).toBe(false);
    expect(m.headers.has('x-injected')).toBe(false);
    expect(raw).not.toMatch(/^(Bcc|X-Injected):/im);
    expect(m.subject).toBe(
      '[flightwatch] Boeing 737-800 N1<b>X</b> landed at Alexandria X-Injected: yes <i> (KAEX), United States — 13:02 local, 19:02 UTC',
    );
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<img src=x');
    expect(m.html).not.toContain('<b>X</b>');
    expect(m.html).toContain('N1&lt;b&gt;X&lt;/b&gt;');
    expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('classifies SMTP 421 as transient and 550 as permanent, then recovers', async () => {
    sink.fail(421, { stage: 'mail', message: 'Service not available, closing channel' });
    const e421 = await sendError(ch.send(landingAlert('ops')));
    expect(e421.kind).toBe('transient');
    expect(e421.message).toMatch(/SMTP 421/);
    sink.fail(550, { stage: 'rcpt', message: 'Mailbox unavailable' });
    const e550 = await sendError(ch.send(landingAlert('ops')));
    expect(e550.kind).toBe('permanent');
    expect(e550.message).toMatch(/SMTP 550/);
    sink.fail(451, { stage: 'data', message: 'Local error in processing' });
    expect((await sendError(ch.send(landingAlert('ops')))).kind).toBe('transient');
    sink.fail(554, { stage: 'data', message: 'Transaction failed' });
    expect((await sendError(ch.send(landingAlert('ops')))).kind).toBe('permanent');
    sink.fail(null);
    await ch.send(landingAlert('ops'));
    expect(sink.messages).toHaveLength(1);
  });

  it('treats a refused connection as transient', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const down = createEmailChannel(config, { env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
    try {
      const err = await sendError(down.send(landingAlert('ops')));
      expect(err.kind).toBe('transient');
      expect(err.message).toMatch(/ECONNECTION|ECONNREFUSED/);
    } finally {
      await down.close?.();
    }
  });

  it('gives up on a server that never greets within the greeting timeout (transient)', async () => {
    const sockets: Socket[] = [];
    const mute: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const port = (mute.address() as AddressInfo).port;
    const slow = createEmailChannel(config, {
      env: { SMTP_URL: `smtp://127.0.0.1:${port}` },
      smtpTimeouts: { greetingTimeout: 400 },
    });
    try {
      const t0 = Date.now();
      const err = await sendError(slow.send(landingAlert('ops')));
      expect(err.kind).toBe('transient');
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await slow.close?.();
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((r) => mute.close(() => r()));
    }
  });

  it('omits the map when the channel disables it', async () => {
    const noMap = createEmailChannel({ ...config, map: false }, { env: { SMTP_URL: sink.url } });
    try {
      await noMap.send(landingAlert('ops'));
      expect(sink.messages[0].attachments).toHaveLength(0);
      expect(sink.messages[0].html).not.toContain('cid:');
    } finally {
      await noMap.close?.();
    }
  });
});
