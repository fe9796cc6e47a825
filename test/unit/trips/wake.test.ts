/**
 * The trips extension reads its entry (TrackState.ext.trips) only in steps that would change it (extWake): a
 * flight runs to the same events and the same entry as when every step reads it, and a step before the wake
 * leaves the entry as the store left it, unparsed.
 */
import { tripsSchema, type TripsConfigInput } from '../../../src/config/trips-schema';
import { MemoryTrackStore, type DetectorExtension, type DetectorExtensionContext } from '../../../src/detect';
import { extOf, lastSample, type TrackState } from '../../../src/detect/track-state';
import type { Destination } from '../../../src/config/schema';
import type { FlightEvent } from '../../../src/domain/event';
import { generatePathFlight } from '../../../src/sim/route-path';
import { toPolls, type Poll } from '../../../src/sim';
import { tripsExtension } from '../../../src/trips';
import { MIN, T0, detector, polls, run, simAirport, trace } from '../detect/harness';

const PANC = simAirport('PANC');
const RKSI = simAirport('RKSI');
const ZYTX = simAirport('ZYTX');
const ZYTL = simAirport('ZYTL');
const KAEX = simAirport('KAEX');
const SHENYANG: Destination = { id: 'shenyang', airports: ['ZYTX'], countries: [], radiusNm: 5 };

/** The trips extension as shipped, or with its wake forgotten before every step: it then reads the entry each time. */
function trips(cfg: TripsConfigInput, everyStep: boolean) {
  const make = tripsExtension({ cfg: tripsSchema.parse(cfg) });
  return (ctx: DetectorExtensionContext): DetectorExtension => {
    const inner = make(ctx);
    if (!everyStep) return inner;
    return {
      afterStep(st: TrackState, out: FlightEvent[], from: number, now: number, timeout: boolean) {
        st.extWake = undefined;
        inner.afterStep(st, out, from, now, timeout);
      },
    };
  };
}

async function runWith(ps: readonly Poll[], destinations: Destination[], cfg: TripsConfigInput, everyStep: boolean) {
  const store = new MemoryTrackStore();
  const events = await run(detector({ store, destinations, extensions: [trips(cfg, everyStep)] }), ps);
  const st = await store.get('a1b2c3');
  return { events, ext: st?.ext, wake: st?.extWake };
}

describe('trips: the entry is read only when a step would change it', () => {
  const diverted = generatePathFlight({
    hex: 'a1b2c3',
    start: T0,
    legs: [{ path: [RKSI, { lat: 39.8, lon: 125.2 }, { lat: 40.3, lon: 126.4 }, ZYTL] }],
    callsign: 'GXA1',
  });
  const flights: [string, Poll[]][] = [
    [
      'two legs with a ground stop',
      polls(
        trace({
          legs: [
            { from: PANC, to: RKSI },
            { from: RKSI, to: ZYTX },
          ],
        }),
      ),
    ],
    [
      'a leg that turns away from an announced destination',
      toPolls(diverted.states, { from: T0, to: diverted.end + 30 * MIN, watch: { ids: ['w'], tags: [] } }),
    ],
    ['a domestic leg', polls(trace({ legs: [{ from: KAEX, to: simAirport('KSAT') }] }))],
  ];

  it.each(flights)('%s: the same events and the same entry as reading it in every step', async (_name, ps) => {
    for (const [destinations, cfg] of [
      [[SHENYANG], {}],
      [[], {}],
      [[SHENYANG], { enRoute: { evaluateEverySeconds: 5 }, stitch: { mapPointsPerLeg: 4 } }],
    ] as [Destination[], TripsConfigInput][]) {
      const woken = await runWith(ps, destinations, cfg, false);
      const always = await runWith(ps, destinations, cfg, true);
      expect(woken.events).toEqual(always.events);
      expect(woken.ext).toEqual(always.ext);
      expect(woken.events.some((e) => e.type === 'trip' || e.type === 'takeoff')).toBe(true);
    }
  });

  it('an airborne step before the wake leaves the stored entry unparsed; the step at the wake reads it', async () => {
    const t = trace({ legs: [{ from: PANC, to: ZYTX }] });
    // The worker's 5 s schedule.
    const ps = toPolls(t.states, { from: t.start, to: t.end, intervalS: 5, watch: { ids: ['w'], tags: [] } });
    const store = new MemoryTrackStore();
    const d = detector({ store, destinations: [SHENYANG], extensions: [trips({}, false)] });
    // Into the cruise, past the first evaluations: the entry has a trip, a leg prediction and a wake ahead.
    const cruise = ps.findIndex((p) => p.now > T0 + 60 * MIN);
    await run(d, ps.slice(0, cruise));
    const st = (await store.get('a1b2c3'))!;
    expect(st.phase).toBe('airborne');
    const wake = st.extWake!;
    expect(wake).toBeGreaterThan(lastSample(st)!.t);
    // As a Redis store hands it over: the entry still JSON.
    const json = JSON.stringify(st.ext);
    st.ext = undefined;
    st.extLater = json;
    let untouched = 0;
    for (let i = cruise; lastSample(st)!.t < wake; i++) {
      expect(st.extLater).toBe(json);
      await d.process(ps[i].batch, ps[i].now);
      if (lastSample(st)!.t < wake) untouched++;
    }
    expect(untouched).toBeGreaterThan(2);
    expect(st.extLater).toBeUndefined();
    expect(extOf(st)).toMatchObject({ trips: { trip: { status: 'open' } } });
    expect(st.extWake).toBeGreaterThan(wake);
  });
});
