/**
 * What the charter flights of ./charter-flights must raise on each webhook channel — `seen`, `takeoff` (at the
 * origin) and `landing` (at the destination) per aircraft — and the check of what a receiver got: every
 * request signed, its alert id its webhook-id, nothing unexpected, one webhook-id per (channel, aircraft,
 * event type), a repeat byte for byte the same alert, nothing lost.
 */
import type { ReceivedWebhook } from '../../helpers/webhook-receiver';
import type { CharterFlight } from './charter-flights';

export interface CharterHook {
  channel: string;
  alertId: string;
  event: { type: string; aircraft: { hex: string }; airport?: { icao: string } };
}

/** The alert counts of a fault summary line (./summary). */
export interface CharterAlertTally {
  expected: number;
  /** Distinct expected (channel, aircraft, type) alerts received. */
  delivered: number;
  /** Requests that repeated an alert already received. */
  duplicates: number;
  lost: number;
  unit: 'alerts (event x channel)';
}

export function charterAlerts(flights: readonly CharterFlight[], channels: readonly string[]) {
  /** (channel|hex|type) → the airport the event must name. */
  const expected = new Map<string, string | undefined>();
  for (const f of flights)
    for (const c of channels) {
      expected.set(`${c}|${f.hex}|seen`, f.from);
      expected.set(`${c}|${f.hex}|takeoff`, f.from);
      expected.set(`${c}|${f.hex}|landing`, f.to);
    }
  const keyOf = (h: CharterHook) => `${h.channel}|${h.event.aircraft.hex}|${h.event.type}`;
  return {
    expected,
    /** Distinct expected alerts among the verified requests so far. */
    deliveredKeys: (requests: readonly ReceivedWebhook[]) =>
      new Set(
        requests
          .filter((r) => r.verified)
          .map((r) => keyOf(r.payload as CharterHook))
          .filter((k) => expected.has(k)),
      ).size,
    /** Asserts everything the header says of `requests`; returns the tallies for the summary line. */
    check(requests: readonly ReceivedWebhook[]): CharterAlertTally {
      expect(requests.filter((r) => !r.verified).map((r) => r.verifyError ?? 'not verified')).toEqual([]);
      const idsByKey = new Map<string, Set<string>>();
      const bodyById = new Map<string, string>();
      let duplicates = 0;
      for (const r of requests) {
        const h = r.payload as CharterHook;
        const id = r.headers['webhook-id'] as string;
        expect(h.alertId).toBe(id);
        const key = keyOf(h);
        expect(expected.has(key)).toBe(true); // nothing but the expected events
        if (h.event.type !== 'seen') expect(h.event.airport?.icao).toBe(expected.get(key));
        idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(id));
        const prev = bodyById.get(id);
        if (prev !== undefined) {
          duplicates++;
          expect(r.rawBody).toBe(prev); // a duplicate is the same alert, byte for byte
        }
        bodyById.set(id, r.rawBody);
      }
      // One alert per (channel, aircraft, event type): a duplicate never comes under a second webhook-id.
      expect([...idsByKey].filter(([, ids]) => ids.size > 1).map(([k]) => k)).toEqual([]);
      const lost = [...expected.keys()].filter((k) => !idsByKey.has(k));
      expect(lost).toEqual([]);
      return {
        expected: expected.size,
        delivered: idsByKey.size,
        duplicates,
        lost: lost.length,
        unit: 'alerts (event x channel)',
      };
    },
  };
}
