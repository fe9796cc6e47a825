/** Pure parts of delivery: route matching, retry timing, the alerts config schema. */
import { route } from '../../../src/alerting/routing';
import { attemptsForHorizon, nextRetryDelayMs, nominalDelayMs } from '../../../src/pipeline/backoff';
import { alertsSchema, parseDuration } from '../../../src/config/alerts-schema';
import { alertId } from '../../../src/alerting/alert-id';
import { silenceMatches } from '../../../src/alerting/silences';
import { suppressedByRepeat } from '../../../src/alerting/notification-log';
import { makeAlerts, makeEvent, webhookEntry } from './support/fixtures';

describe('route', () => {
  const alerts = makeAlerts({
    channels: [webhookEntry('ops'), webhookEntry('partner'), webhookEntry('audit')],
    routes: [
      {
        match: { events: ['landing', 'destination'], watch: ['gulfstream-v'], tags: ['removal-charter'] },
        channels: ['ops', 'partner'],
        repeatInterval: '6h',
      },
      { match: { events: ['landing'] }, channels: ['audit'] },
      { match: {}, channels: ['audit', 'ops'], continue: true },
    ],
  });

  it('stops at the first matching route unless it continues', () => {
    expect(route(makeEvent(), alerts)).toEqual([
      { channelId: 'ops', repeatIntervalMs: 6 * 3600_000, route: 0 },
      { channelId: 'partner', repeatIntervalMs: 6 * 3600_000, route: 0 },
    ]);
    expect(route(makeEvent({ watch: ['other'] }), alerts).map((t) => t.channelId)).toEqual(['audit']);
    expect(route(makeEvent({ type: 'takeoff' }), alerts).map((t) => t.channelId)).toEqual(['audit', 'ops']);
  });

  it('ANDs keys and ORs values; destination needs the event to have one', () => {
    const a = makeAlerts({
      channels: [webhookEntry('x')],
      routes: [{ match: { destinations: ['prc', 'ru'], tags: ['a', 'b'] }, channels: ['x'] }],
    });
    expect(route(makeEvent({ destination: 'ru', tags: ['b'] }), a)).toHaveLength(1);
    expect(route(makeEvent({ destination: 'ru', tags: ['c'] }), a)).toHaveLength(0);
    expect(route(makeEvent({ tags: ['a'] }), a)).toHaveLength(0);
  });

  it('routes touch_and_go and go_around by type like any event type the config lists', () => {
    const a = makeAlerts({
      channels: [webhookEntry('training'), webhookEntry('ops')],
      routes: [
        { match: { events: ['touch_and_go', 'go_around'] }, channels: ['training'] },
        { match: { events: ['landing'] }, channels: ['ops'] },
      ],
    });
    expect(route(makeEvent({ type: 'touch_and_go' }), a).map((t) => t.channelId)).toEqual(['training']);
    expect(route(makeEvent({ type: 'go_around' }), a).map((t) => t.channelId)).toEqual(['training']);
    expect(route(makeEvent({ type: 'landing' }), a).map((t) => t.channelId)).toEqual(['ops']);
    const bad = alertsSchema.safeParse({ routes: [{ match: { events: ['go-around'] }, channels: ['ops'] }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/"go-around" is not an event type \(.*touch_and_go, go_around\)/);
  });

  it('sends everything to every channel without routes, and to the outbox without channels', () => {
    expect(
      route(makeEvent(), makeAlerts({ channels: [webhookEntry('a'), webhookEntry('b')] })).map((t) => t.channelId),
    ).toEqual(['a', 'b']);
    expect(route(makeEvent(), makeAlerts({}))).toEqual([{ channelId: 'outbox', repeatIntervalMs: 0, route: -1 }]);
  });
});

describe('retry timing', () => {
  const p = { horizonMs: 24 * 3600_000, baseMs: 30_000, maxMs: 2 * 3600_000 };
  it('doubles from the base up to the cap, with jitter in [½, 1] of nominal', () => {
    expect([1, 2, 3, 4].map((n) => nominalDelayMs(n, p))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(nominalDelayMs(30, p)).toBe(2 * 3600_000);
    expect(nextRetryDelayMs(3, 0, 0, p, () => 0)).toBe(60_000);
    expect(nextRetryDelayMs(3, 0, 0, p, () => 1)).toBe(120_000);
  });
  it('gives up (-1) when the next try would land beyond the horizon, and has enough attempts to reach it', () => {
    expect(nextRetryDelayMs(5, 0, p.horizonMs - 1000, p, () => 0)).toBe(-1);
    expect(nextRetryDelayMs(5, 0, 1000, p, () => 0)).toBeGreaterThan(0);
    let t = 0;
    const n = attemptsForHorizon(p);
    for (let a = 1; a < n; a++) t += nominalDelayMs(a, p) / 2;
    expect(t).toBeGreaterThanOrEqual(p.horizonMs);
  });
});

describe('alerts schema', () => {
  it('parses durations and rejects routes to unknown channels with the path', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('6 hours')).toBeUndefined();
    const r = alertsSchema.safeParse({
      channels: [webhookEntry('ops')],
      routes: [{ match: { events: ['landing'] }, channels: ['ops', 'nope'], repeatInterval: 'soon' }],
    });
    expect(r.success).toBe(false);
    const msgs = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(msgs).toEqual(
      expect.arrayContaining([expect.stringMatching(/^routes\.0\.repeatInterval: "soon" is not a duration/)]),
    );
    const r2 = alertsSchema.safeParse({ channels: [webhookEntry('ops')], routes: [{ channels: ['nope'] }] });
    expect(r2.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'routes.0.channels.0: "nope" is not a channel (known: ops)',
    ]);
  });
  it('defaults: 24 h horizon, outbox route target allowed without channels', () => {
    const a = alertsSchema.parse({ routes: [{ match: { events: ['landing'] }, channels: ['outbox'] }] });
    expect(a.retry.horizon).toBe(24 * 3600_000);
    expect(a.channels).toEqual([]);
  });
});

describe('ids, silences, repeat', () => {
  it('alert ids are deterministic per (event, channel) and valid BullMQ job ids', () => {
    expect(alertId('e1', 'ops')).toBe(alertId('e1', 'ops'));
    expect(alertId('e1', 'ops')).not.toBe(alertId('e1', 'partner'));
    expect(alertId('e1', 'ops')).toMatch(/^alrt_[0-9a-f]{32}$/);
  });
  it('silences match on every key they set and only until they end', () => {
    const s = { id: 's', hex: 'a1b2c3', event: 'landing', createdAt: '', endsAt: '2026-11-21T00:00:00Z' };
    const now = Date.parse('2026-11-20T00:00:00Z');
    expect(silenceMatches(s, { hex: 'A1B2C3', watchIds: [], type: 'landing' }, now)).toBe(true);
    expect(silenceMatches(s, { hex: 'a1b2c3', watchIds: [], type: 'takeoff' }, now)).toBe(false);
    expect(silenceMatches(s, { hex: 'a1b2c3', watchIds: [], type: 'landing' }, Date.parse(s.endsAt))).toBe(false);
    expect(
      silenceMatches(
        { ...s, hex: undefined, event: undefined, watch: 'gv' },
        { hex: 'ffffff', watchIds: ['gv'], type: 'seen' },
        now,
      ),
    ).toBe(true);
  });
  it('repeatInterval suppresses other alerts of the same kind on either side in event time, never the same alert', () => {
    const last = { alertId: 'a', eventTimeMs: 10 * 3600_000, sentAt: 0 };
    expect(suppressedByRepeat(last, 'b', 12 * 3600_000, 6 * 3600_000)).toBe(true);
    expect(suppressedByRepeat(last, 'b', 5 * 3600_000, 6 * 3600_000)).toBe(true);
    expect(suppressedByRepeat(last, 'b', 17 * 3600_000, 6 * 3600_000)).toBe(false);
    expect(suppressedByRepeat(last, 'a', 12 * 3600_000, 6 * 3600_000)).toBe(false);
    expect(suppressedByRepeat(last, 'b', 12 * 3600_000, 0)).toBe(false);
  });
});
