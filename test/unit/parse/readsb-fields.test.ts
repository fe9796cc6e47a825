/**
 * Every value the readsb parser reads, checked record by record against plain named reads of the raw JSON:
 * the parser reads values through for…in keys (src/sources/readsb/parse.ts), which must not change one.
 * Parsed twice, so the second parse meets the maps the first one settled (the bench's steady state).
 */
import { parseReadsbText } from '../../../src/sources/readsb/parse';
import { ADSBX, describeShared, readText } from '../../helpers/shared';

const ctx = { sourceId: 'adsbx', fetchedAt: 1_651_363_200_000 };
type Raw = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

describeShared('readsb parser: field values equal named reads of the real snapshot', () => {
  const text = readText(ADSBX);
  const raw = (JSON.parse(text) as { aircraft: Raw[] }).aircraft;

  it.each([1, 2])('parse %i', () => {
    const { states } = parseReadsbText(text, ctx);
    expect(states).toHaveLength(raw.length);
    states.forEach((s, i) => {
      const r = raw[i];
      const hasPos = typeof r.lat === 'number' && typeof r.lon === 'number';
      expect({
        hex: s.hex,
        registration: s.registration,
        type: s.type,
        callsign: s.callsign,
        operator: s.operator,
        squawk: s.squawk,
        sourceType: s.sourceType,
        altFt: s.altFt,
        onGround: s.onGround,
        gsKt: s.gsKt,
        trackDeg: s.trackDeg,
        vrateFpm: s.vrateFpm,
        lat: hasPos ? s.lat : undefined,
        lon: hasPos ? s.lon : undefined,
        positionAgeS: hasPos ? s.positionAgeS : undefined,
        observedAt: s.observedAt,
      }).toEqual({
        hex: (r.hex as string).toLowerCase(),
        registration: str(r.r),
        type: str(r.t),
        callsign: str(r.flight),
        operator: str(r.ownOp),
        squawk: str(r.squawk),
        sourceType: str(r.type),
        altFt: num(r.alt_baro),
        onGround: r.alt_baro === 'ground',
        gsKt: num(r.gs),
        trackDeg: num(r.track) ?? num(r.true_heading),
        vrateFpm: num(r.baro_rate) ?? num(r.geom_rate),
        lat: hasPos ? r.lat : undefined,
        lon: hasPos ? r.lon : undefined,
        positionAgeS: hasPos ? r.seen_pos : undefined,
        observedAt: Math.round(1_651_363_199_612 - (r.seen as number) * 1000),
      });
    });
  });
});
