/**
 * The real ADS-B Exchange snapshot (../shared/fixtures, 8,423 aircraft) through the detector once, with the full
 * VRS airport table (≥ 30,000 airports, ../shared/data) in the project's kd-tree index: every aircraft gets
 * exactly one `seen` (climbing near an airport also a takeoff), aircraft on the ground name an airport, ADS-C positions are flagged stale, and a second
 * identical snapshot produces nothing.
 */
import { readFileSync } from 'node:fs';
import { createDetector } from '../../../src/detect';
import { buildAirports } from '../../../src/data/build-airports';
import { parseVrsAirports } from '../../../src/data/formats/vrs-airports';
import { createAirportIndex } from '../../../src/places/kd-airport-index';
import { parseReadsbText } from '../../../src/sources/readsb/parse';
import type { MatchedAircraft } from '../../../src/domain/watchlist';
import { ADSBX as SNAPSHOT, VRS_AIRPORTS as AIRPORTS, describeShared } from '../../helpers/shared';

describeShared('ADSBx snapshot through the detector', () => {
  it('one seen per aircraft, otherwise only first-seen-climbing takeoffs; ground aircraft name an airport; ADS-C is stale; a repeat adds nothing', async () => {
    const { airports } = buildAirports({ vrs: parseVrsAirports(readFileSync(AIRPORTS, 'utf8'), AIRPORTS) });
    const index = createAirportIndex(airports);
    expect(index.size).toBeGreaterThanOrEqual(30_000);
    const fetchedAt = Date.UTC(2022, 4, 1, 0, 0, 0);
    const res = parseReadsbText(readFileSync(SNAPSHOT, 'utf8'), { sourceId: 'adsbx-sample', fetchedAt });
    const batch: MatchedAircraft[] = res.states.map((s) => ({ ...s, watch: { ids: ['all'], tags: [] } }));
    expect(batch.length).toBeGreaterThan(8000);

    const d = createDetector({ airports: index, maxPositionAgeS: 60 });
    const evs = await d.process(batch, fetchedAt);
    const hexes = new Set(batch.map((b) => b.hex));
    const seen = evs.filter((e) => e.type === 'seen');
    expect(seen).toHaveLength(hexes.size);
    expect(new Set(seen.map((e) => e.aircraft.hex)).size).toBe(hexes.size);
    // Besides sightings, one snapshot can only show aircraft first seen climbing out of an airport (a takeoff
    // by rule); nothing can be landed or squawk-held from a single instant.
    const others = evs.filter((e) => e.type !== 'seen');
    console.log(`ADSBx snapshot: ${seen.length} seen, ${others.length} first-seen-climbing takeoffs`);
    for (const e of others) {
      expect(e.type).toBe('takeoff');
      expect(e.details).toMatchObject({ reason: 'first-seen-climbing', inferred: true });
      expect(e.airport).toBeDefined();
    }
    expect(others.length).toBeLessThan(seen.length / 10);

    const onGround = seen.filter((e) => e.evidence[0].onGround && e.position);
    expect(onGround.length).toBeGreaterThan(1000);
    const named = onGround.filter((e) => e.airport);
    // Nearly every aircraft reporting "ground" is on an airport; a few sit on private fields not in VRS.
    expect(named.length / onGround.length).toBeGreaterThan(0.9);
    for (const e of named) expect(e.airport!.distanceNm).toBeLessThanOrEqual(5);

    const adscHexes = new Set(batch.filter((b) => b.sourceType === 'adsc').map((b) => b.hex));
    const adsc = seen.filter((e) => adscHexes.has(e.aircraft.hex));
    expect(adsc.length).toBeGreaterThan(100);
    expect(adsc.every((e) => e.details?.stale === true)).toBe(true);

    expect(await d.process(batch, fetchedAt + 30_000)).toEqual([]);
  });
});
