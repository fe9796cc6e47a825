import fc from 'fast-check';
import pino from 'pino';
import { Writable } from 'node:stream';
import { buildMessage } from '../../../../src/alerting/channels/render/message';
import { escapeHtml, headerText, oneLine } from '../../../../src/alerting/channels/render/sanitize';
import { alertView, localZone, subject } from '../../../../src/alerting/channels/render/view';
import { renderHtml } from '../../../../src/alerting/channels/render/html';
import { renderText } from '../../../../src/alerting/channels/render/text';
import { silentLogger } from '../../../../src/util/log';
import { syntheticAlert } from '../../../../src/alerting/channels/synthetic';
import { operationalEvent } from '../../../../src/pipeline/operational';
import { channelDisabledAlert, hostileAlert, landingAlert } from './fixture';

/** A rendered part (`html`, `text`), which buildMessage sets as a string. */
function part(v: unknown): string {
  expect(typeof v).toBe('string');
  return v as string;
}

const opts = {
  from: 'fw <fw@example.org>',
  to: ['ops@example.org'],
  subjectPrefix: '[flightwatch]',
  map: false,
  log: silentLogger,
};

describe('e-mail rendering', () => {
  it('subject says in plain words what happened, where and when (local and UTC)', () => {
    expect(subject(landingAlert(), '[flightwatch]')).toBe(
      '[flightwatch] Boeing 737-800 N917XA landed at Alexandria (KAEX), United States — 13:02 local, 19:02 UTC',
    );
    const a = landingAlert();
    delete a.event.airport;
    a.event.type = 'takeoff';
    expect(subject(a, '[fw]')).toBe(
      '[fw] Boeing 737-800 N917XA took off near 31.33°N 92.55°W — 13:02 local, 19:02 UTC',
    );
    expect(subject(syntheticAlert('ops'), '[flightwatch]')).toMatch(
      /^\[flightwatch\] TEST Boeing 737-800 N0TEST landed/,
    );
  });

  it('says when a landing was inferred and when its time is an estimate, without machine fields', () => {
    const a = landingAlert();
    a.event.details = {
      inferred: true,
      reason: 'signal-lost-low-slow',
      lastAltFt: 900,
      lastDistanceNm: 3.2,
      departure: 'KAEX',
      departedAt: '2026-11-27T14:00:00.000Z',
      estimated: true,
      observedAt: '2026-11-27T18:58:00Z',
      tripId: 'ab12cd:trip:1',
    };
    expect(subject(a, '[flightwatch]')).toBe(
      '[flightwatch] Boeing 737-800 N917XA probably landed at Alexandria (KAEX), United States — 13:02 local, 19:02 UTC',
    );
    const text = renderText(alertView(a), { map: false });
    expect(text).toMatch(
      /How sure: +inferred — signal lost low and slow at 900 ft, 3.2 nm from the airport; not seen on the ground; the time is an estimate/,
    );
    expect(text).toContain('2026-11-27 19:02:00 UTC (estimated)');
    expect(text).toMatch(/Departed: +KAEX at 2026-11-27 14:00 UTC/);
    for (const machine of ['departedAt', 'observedAt', 'tripId', '2026-11-27T14:00:00.000Z', 'signal-lost-low-slow'])
      expect(text).not.toContain(machine);
    const plain = renderText(alertView(landingAlert()), { map: false });
    expect(plain).toMatch(/How sure: +observed/);
    expect(plain).not.toContain('estimated');
  });

  it('shows times in UTC and in the airport local time (luxon)', () => {
    const text = renderText(alertView(landingAlert()), { map: false });
    expect(text).toContain('Time (UTC):');
    expect(text).toContain('2026-11-27 19:02:00 UTC');
    expect(text).toContain('2026-11-27 13:02:00 CST (America/Chicago, UTC-06:00)');
    const zhy = landingAlert();
    zhy.event.airport = { icao: 'ZYTX', name: 'Shenyang Taoxian', country: 'CN', lat: 41.6398, lon: 123.4833 }; // no tz: looked up
    expect(localZone(zhy.event)).toBe('Asia/Shanghai');
    expect(renderText(alertView(zhy), { map: false })).toContain(
      '2026-11-28 03:02:00 GMT+8 (Asia/Shanghai, UTC+08:00)',
    );
  });

  it('links the aircraft on the three public maps at the event time, in both parts', () => {
    const v = alertView(landingAlert());
    const text = renderText(v, { map: false });
    const html = renderHtml(v, { map: null });
    for (const u of [
      // 2026-11-27T19:02:00Z = 1795806120 s: tar1090 opens that day's trace at that moment.
      'https://globe.adsb.lol/?icao=ab12cd&showTrace=2026-11-27&timestamp=1795806120',
      'https://globe.adsbexchange.com/?icao=ab12cd&showTrace=2026-11-27&timestamp=1795806120',
      'https://globe.airplanes.live/?icao=ab12cd&showTrace=2026-11-27&timestamp=1795806120',
    ]) {
      expect(text).toContain(u);
      expect(html).toContain(`href="${u.replace(/&/g, '&amp;')}"`);
    }
  });

  it('escapes API strings in HTML and strips CR/LF from headers', () => {
    const msg = buildMessage(hostileAlert(), opts);
    const html = part(msg.html);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>X</b>');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(String(msg.subject)).not.toMatch(/[\r\n]/);
    for (const v of Object.values(msg.headers as Record<string, string>)) expect(v).not.toMatch(/[\r\n]/);
    // the text part keeps each value on its own line: the injected "Bcc:" cannot start a line
    expect(part(msg.text)).not.toMatch(/^Bcc:/m);
    expect(part(msg.text)).toContain('Callsign:              EVIL Bcc:');
  });

  it('escapes and strips for any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const esc = escapeHtml(s);
        expect(esc).not.toMatch(/[<>"']/);
        expect(
          esc
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&quot;/g, '"')
            .replace(/&#39;/g, "'")
            .replace(/&amp;/g, '&'),
        ).toBe(s);
        const h = headerText(s, 120);
        // eslint-disable-next-line no-control-regex -- the control characters are what headerText must strip
        expect(h).not.toMatch(/[\u0000-\u001f\u007f\u2028\u2029]/);
        expect(h.length).toBeLessThanOrEqual(120);
        const a = landingAlert();
        a.event.aircraft.callsign = s;
        a.event.aircraft.operator = s;
        a.event.aircraft.registration = s;
        const sub = subject(a, '[flightwatch]');
        expect(sub).not.toMatch(/[\r\n]/);
        expect(sub.length).toBeLessThanOrEqual(200);
      }),
      { numRuns: 300 },
    );
  });

  it('caps long values', () => {
    expect(oneLine('x'.repeat(500), 50)).toHaveLength(50);
    expect(oneLine('x'.repeat(500), 50).endsWith('…')).toBe(true);
  });

  it('sets a deterministic Message-ID and threads with In-Reply-To/References', () => {
    const a = { ...landingAlert(), threadIds: ['ab12cd:takeoff:20261127T1500:ops', 'ab12cd:en_route:x:ops'] };
    const m1 = buildMessage(a, opts);
    const m2 = buildMessage(a, opts);
    expect(m1.messageId).toBe('<ab12cd=3Alanding=3A20261127T1900=3Apartner@flightwatch>');
    expect(m2.messageId).toBe(m1.messageId);
    expect(m1.inReplyTo).toBe('<ab12cd=3Aen_route=3Ax=3Aops@flightwatch>');
    expect(m1.references).toEqual([
      '<ab12cd=3Atakeoff=3A20261127T1500=3Aops@flightwatch>',
      '<ab12cd=3Aen_route=3Ax=3Aops@flightwatch>',
    ]);
    expect(buildMessage(landingAlert(), opts).inReplyTo).toBeUndefined();
  });

  it('sends without the map (and logs) when rendering fails', () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const msg = buildMessage(landingAlert(), {
      ...opts,
      map: true,
      log,
      renderMap: () => {
        throw new Error('resvg exploded');
      },
    });
    expect(msg.attachments).toEqual([]);
    expect(part(msg.html)).not.toContain('cid:');
    expect(part(msg.text)).not.toContain('map.png');
    expect(lines.join('')).toMatch(/map rendering failed.*|resvg exploded/);
  });

  it('renders an operational alert without aircraft, map links or map', () => {
    const alert = channelDisabledAlert();
    expect(subject(alert, '[flightwatch]')).toBe('[flightwatch] operational: alert channel disabled (partner)');
    const renderMap = jest.fn(() => {
      throw new Error('no map for operational alerts');
    });
    const msg = buildMessage(alert, { ...opts, map: true, renderMap });
    expect(renderMap).not.toHaveBeenCalled();
    expect(msg.attachments).toEqual([]);
    const text = part(msg.text);
    const html = part(msg.html);
    expect(text).toContain('Channel partner is disabled (HTTP 410 Gone).');
    expect(text).toMatch(/Event: +operational \(channel-disabled\)/);
    expect(text).toMatch(/channelId: +partner/);
    expect(text).toMatch(/reason: +HTTP 410 Gone <b>bye<\/b>/);
    expect(html).toContain('HTTP 410 Gone &lt;b&gt;bye&lt;/b&gt;');
    for (const part of [text, html]) {
      expect(part).not.toMatch(/globe\.|public maps|Aircraft|hex|map\.png|cid:/);
      expect(part).toContain('operational alert about flightwatch itself');
      expect(part).not.toContain('Positions come from public ADS-B feeds');
    }
    expect((msg.headers as Record<string, string>)['X-Flightwatch-Event']).toBe('operational channel-disabled');
  });

  it('renders the blind alert with its summary and facts', () => {
    const event = operationalEvent({
      kind: 'blind',
      summary: 'No ADS-B source has returned data since 2026-11-27T18:00:00.000Z.',
      details: { since: '2026-11-27T18:00:00.000Z', sources: 'adsblol: HTTP 503' },
      subject: 'watcher',
      at: '2026-11-27T18:00:00.000Z',
      time: '2026-11-27T18:15:00.000Z',
    });
    const v = alertView({ id: 'oper_x', channelId: 'ops', event, operational: true });
    expect(v.headline).toBe('operational: flightwatch is blind: no ADS-B data');
    expect(v.links).toEqual([]);
    expect(v.rows).toEqual([
      { label: 'Event', value: 'operational (blind)' },
      { label: 'Time (UTC)', value: '2026-11-27 18:15:00 UTC' },
      { label: 'since', value: '2026-11-27T18:00:00.000Z' },
      { label: 'sources', value: 'adsblol: HTTP 503' },
    ]);
    expect(renderText(v, { map: false })).toContain('No ADS-B source has returned data since');
  });

  it('attaches the map inline and references it from the HTML', () => {
    const msg = buildMessage(landingAlert(), { ...opts, map: true });
    const att = (msg.attachments as { cid: string; content: Buffer; contentType: string }[])[0];
    expect(att.contentType).toBe('image/png');
    expect(part(msg.html)).toContain(`src="cid:${att.cid}"`);
    expect(att.content.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });
});
